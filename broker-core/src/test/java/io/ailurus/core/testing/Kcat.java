package io.ailurus.core.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the {@code kcat} binary (librdkafka) as a child process against a broker, bounded in time.
 * {@code .ci/run} installs kcat; without it the run fails saying how to install it.
 */
public final class Kcat {
    private final String bootstrap;

    public Kcat(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** kcat's version text ("... Version 1.7.1 (... librdkafka 2.0.2 ...)"). */
    public static String version() throws IOException, InterruptedException {
        ChildProcess.Result r = exec(List.of("kcat", "-V"), new byte[0], Duration.ofSeconds(30));
        return r.stdout() + r.stderr();
    }

    public ChildProcess.Result run(Duration limit, String... args) throws IOException, InterruptedException {
        return run(new byte[0], limit, args);
    }

    public ChildProcess.Result run(byte[] stdin, Duration limit, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("kcat", "-b", bootstrap));
        cmd.addAll(List.of(args));
        return exec(cmd, stdin, limit);
    }

    private static ChildProcess.Result exec(List<String> cmd, byte[] stdin, Duration limit)
            throws IOException, InterruptedException {
        try {
            return ChildProcess.run(cmd, stdin, limit);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("error=2")) {
                throw new IOException("cannot run kcat (librdkafka's CLI); install it (Debian: apt-get install kcat)", e);
            }
            throw e;
        }
    }
}
