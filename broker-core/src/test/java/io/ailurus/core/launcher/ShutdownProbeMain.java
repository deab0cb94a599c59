package io.ailurus.core.launcher;

import io.ailurus.core.AilurusMain;
import io.ailurus.core.BrokerRuntime;
import io.ailurus.core.config.BrokerConfigLoader;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the real launcher in its own JVM with a stand-in broker that runs until closed, so that
 * {@link ShutdownHookProcessTest} can send it SIGTERM. Prints "probe closed" when close() runs.
 */
public final class ShutdownProbeMain {
    private ShutdownProbeMain() {}

    public static void main(String[] args) {
        CountDownLatch stopped = new CountDownLatch(1);
        int code = AilurusMain.run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                config -> new BrokerRuntime() {
                    @Override
                    public void awaitShutdown() throws InterruptedException {
                        stopped.await();
                    }

                    @Override
                    public void close() {
                        System.out.println("probe closed");
                        System.out.flush();
                        stopped.countDown();
                    }
                }, BrokerConfigLoader.forThisProcess());
        System.exit(code);
    }
}
