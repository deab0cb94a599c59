package io.ailurus.core.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to a running launcher closes the broker through the shutdown hook, and says so in the log. */
class ShutdownHookProcessTest {
    @TempDir
    Path tmp;

    @Test
    void sigtermClosesTheBroker() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path out = tmp.resolve("out.txt");
        Process p = new ProcessBuilder(java, "-Xmx128m", "-cp", cp, ShutdownProbeMain.class.getName(), "start",
                "--check=false", "--data-dir", tmp.resolve("data").toString(), "--kafka-addr", "127.0.0.1:0",
                "--admin-addr", "127.0.0.1:0", "--rpc-addr", "127.0.0.1:0")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(out).contains("broker started")) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    fail("launcher did not report a started broker:\n" + Files.readString(out));
                }
                Thread.sleep(50);
            }
            p.destroy(); // SIGTERM on Linux
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                fail("launcher did not stop within 60 s of SIGTERM:\n" + Files.readString(out));
            }
            String log = Files.readString(out);
            for (String expected : List.of("shutdown requested (SIGTERM or Ctrl-C): stopping the broker", "probe closed",
                    "broker stopped")) {
                assertTrue(log.contains(expected), "missing '" + expected + "' in:\n" + log);
            }
        } finally {
            p.destroyForcibly();
        }
    }
}
