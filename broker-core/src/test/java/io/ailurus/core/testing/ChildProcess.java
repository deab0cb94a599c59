package io.ailurus.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command as a child process with the given standard input, bounded in time: a run that
 * outlives its limit is killed and reported with what it printed so far.
 */
public final class ChildProcess {
    private ChildProcess() {}

    /** What one run did. */
    public record Result(int exitCode, String stdout, String stderr) {
        public List<String> lines() {
            return stdout.isEmpty() ? List.of() : List.of(stdout.split("\n"));
        }
    }

    public static Result run(List<String> cmd, byte[] stdin, Duration limit) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).start();
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // The command exited without reading its input; its exit code and output tell why.
        }
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IOException(String.join(" ", cmd) + " did not finish within " + limit
                + "\nstdout:\n" + text(out) + "\nstderr:\n" + text(err));
        }
        return new Result(p.exitValue(), text(out), text(err));
    }

    private static String text(CompletableFuture<byte[]> f) {
        // The streams end when the process does; the bound only guards against a grandchild holding them.
        return new String(f.completeOnTimeout(new byte[0], 10, TimeUnit.SECONDS).join(), StandardCharsets.UTF_8);
    }

    private static CompletableFuture<byte[]> drain(InputStream s) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (s) {
                s.transferTo(buf);
            } catch (IOException ignored) {
                // the process was killed; what was read so far is the answer
            }
            f.complete(buf.toByteArray());
        }, "child-process-output");
        t.setDaemon(true);
        t.start();
        return f;
    }
}
