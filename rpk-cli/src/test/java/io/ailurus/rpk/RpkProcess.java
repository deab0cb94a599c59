package io.ailurus.rpk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs rpk as a real process: the test JVM's java binary and class path, main class
 * {@link Rpk}, with the launcher's fast-start flags. Every run is bounded in time and its
 * process is killed (by the handle we started) if it overstays.
 */
final class RpkProcess {
    private static final long TIMEOUT_SECONDS = 90;

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Path work;
    private final Map<String, String> env;

    /** @param env variables added to (or, with a null value, removed from) the inherited environment */
    RpkProcess(Path work, Map<String, String> env) {
        this.work = work;
        this.env = env;
    }

    Result run(String stdin, String... args) throws IOException, InterruptedException {
        return run(TIMEOUT_SECONDS, stdin, args);
    }

    Result run(long timeoutSeconds, String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
            "-cp", System.getProperty("java.class.path"), Rpk.class.getName()));
        cmd.addAll(List.of(args));
        Files.createDirectories(work);
        Path out = Files.createTempFile(work, "rpk-out", ".txt");
        Path err = Files.createTempFile(work, "rpk-err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        // Never read a developer's real profile.
        pb.environment().put("RPK_CONFIG", work.resolve("rpk.yaml").toString());
        pb.environment().remove("RPK_BROKERS");
        pb.environment().remove("RPK_ADMIN_HOSTS");
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("rpk " + String.join(" ", args) + " did not finish within " + timeoutSeconds
                + " s; stderr: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
