package io.ailurus.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs one of bench/'s shell scripts with bash, stdout and stderr together, bounded in time: the script
 * tests check arguments and reports, which start no broker and finish in seconds.
 */
final class BenchScript {

    record Result(int exit, String out) { }

    private final Path script;

    /** {@code name} is a script in the bench module's directory, where Surefire runs. */
    BenchScript(String name) {
        this(Path.of(name).toAbsolutePath());
    }

    BenchScript(Path script) {
        this.script = script;
    }

    Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        // Read before waiting: a full pipe would block the script.
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(script.getFileName() + " did not finish in 60 s: " + out);
        }
        return new Result(p.exitValue(), out);
    }

    /** The script refused its arguments (exit 2) with {@code message}. */
    static void assertRefused(Result r, String message) {
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().contains(message), "expected '" + message + "' in:\n" + r.out());
    }
}
