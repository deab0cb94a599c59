package io.ailurus.core;

/** Entry point of {@code bin/ailurus}. Replaced by the picocli launcher in the broker-core work. */
public final class AilurusMain {
    private AilurusMain() {}

    public static void main(String[] args) {
        System.err.println("ailurus: the broker is not built yet (see the open issues)");
        System.exit(2);
    }
}
