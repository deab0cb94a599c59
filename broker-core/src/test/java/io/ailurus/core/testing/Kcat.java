package io.ailurus.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code kcat} binary (librdkafka) as a child process against a broker, bounded in time:
 * a run that outlives its limit is killed and reported as such. {@code .ci/run} installs kcat.
 */
public final class Kcat {
    /** What one kcat run did. */
    public record Result(int exitCode, String stdout, String stderr) {
        public List<String> lines() {
            return stdout.isEmpty() ? List.of() : List.of(stdout.split("\n"));
        }
    }

    private final String bootstrap;

    public Kcat(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** kcat's version line ("kcat - ... Version 1.7.1 (... librdkafka 2.0.2 ...)"), or a clear failure. */
    public static String version() throws IOException, InterruptedException {
        Result r = exec(List.of("kcat", "-V"), new byte[0], Duration.ofSeconds(30));
        return r.stdout() + r.stderr();
    }

    public Result run(Duration limit, String... args) throws IOException, InterruptedException {
        return run(new byte[0], limit, args);
    }

    public Result run(byte[] stdin, Duration limit, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("kcat");
        cmd.add("-b");
        cmd.add(bootstrap);
        cmd.addAll(List.of(args));
        return exec(cmd, stdin, limit);
    }

    private static Result exec(List<String> cmd, byte[] stdin, Duration limit) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new IOException("cannot run kcat (librdkafka's CLI); install it (Debian: apt-get install kcat): "
                + e.getMessage(), e);
        }
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        }
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IOException("kcat " + String.join(" ", cmd) + " did not finish within " + limit
                + "; stderr:\n" + new String(err.completeOnTimeout(new byte[0], 5, TimeUnit.SECONDS).join(),
                    StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
            new String(err.join(), StandardCharsets.UTF_8));
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
        }, "kcat-output");
        t.setDaemon(true);
        t.start();
        return f;
    }
}
