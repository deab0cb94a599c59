package io.ailurus.core.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@code bin/ailurus} script as a separate process. AILURUS_CLASSPATH points it at
 * this test run's class path so it does not start a Maven build of its own.
 */
class LauncherProcessTest {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path tmp;

    /** Exit code, stdout and stderr of one run. */
    record Run(int code, String out, String err) {}

    private Run ailurus(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(REPO.resolve("bin/ailurus").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        pb.environment().put("AILURUS_CLASSPATH", cp);
        pb.environment().put("AILURUS_HEAP_OPTS", "-Xms32m -Xmx128m");
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("bin/ailurus " + String.join(" ", args) + " did not finish within 120 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void helpListsEveryContractFlag() throws Exception {
        Run r = ailurus("start", "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Usage: ailurus start"), r.out());
        for (String flag : List.of("--config", "--data-dir", "--node-id", "--kafka-addr", "--advertise-kafka-addr",
                "--admin-addr", "--rpc-addr", "--seeds", "--smp", "--memory", "--overprovisioned", "--check")) {
            // picocli prints "--flag=VALUE" or, for optional values, "--flag[=BOOL]"
            assertTrue(r.out().contains("  " + flag + "=") || r.out().contains("  " + flag + "[="),
                    "help does not describe " + flag + ":\n" + r.out());
        }
    }

    @Test
    void badPortIsOneLineAndExitOne() throws Exception {
        Run r = ailurus("start", "--kafka-addr", "127.0.0.1:notaport");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().lines().anyMatch(l -> l.equals("ailurus: error: --kafka-addr: invalid value '127.0.0.1:notaport':"
                + " expected [NAME://]HOST:PORT[,...] with PORT in [0, 65535]")), r.err());
        assertTrue(!r.err().contains("Exception") && !r.out().contains("Exception"), "no stack trace expected:\n" + r.err());
    }

    @Test
    void portInUseIsExitOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Run r = ailurus("start", "--data-dir", tmp.resolve("data").toString(), "--kafka-addr", "127.0.0.1:0",
                    "--admin-addr", "127.0.0.1:" + port, "--rpc-addr", "127.0.0.1:0");
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(r.err().contains("ailurus: error: admin listener 'admin' 127.0.0.1:" + port + ": port " + port
                    + " is already in use (--admin-addr)"), r.err());
        }
    }
}
