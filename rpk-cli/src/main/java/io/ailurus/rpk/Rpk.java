package io.ailurus.rpk;

/** Entry point of {@code bin/rpk}. */
public final class Rpk {
    private Rpk() {}

    public static void main(String[] args) {
        System.err.println("rpk: no commands yet");
        System.exit(2);
    }
}
