package io.ailurus.bench.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs fio in the bench's own directory (so on the same filesystem as the logs), bounded in time, and removes its
 * files afterwards. Two jobs: direct 1 MiB sequential writes (psync, queue depth 1: like the flusher's pwrite) and
 * buffered 16 KiB writes each followed by fdatasync.
 */
final class FioProbe {
    /** Each job stops after this many seconds even if its size is not reached (a slow or busy disk). */
    static final int JOB_SECONDS = 8;
    private static final long PROCESS_TIMEOUT_SECONDS = JOB_SECONDS + 60;

    private final Path dir;

    FioProbe(Path dir) {
        this.dir = dir;
    }

    /** True when an {@code fio} binary answers {@code --version}. */
    static boolean available() {
        try {
            Process p = new ProcessBuilder("fio", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    FioResult run() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String write = job("seqwrite-direct-1m", "--rw=write", "--bs=1M", "--size=1G", "--direct=1",
                "--ioengine=psync", "--end_fsync=1");
        String sync = job("fdatasync-16k", "--rw=write", "--bs=16k", "--size=256M", "--fdatasync=1",
                "--ioengine=sync");
        return FioResult.parse(write, sync);
    }

    private String job(String name, String... options) throws IOException, InterruptedException {
        Path data = dir.resolve(name + ".dat");
        Path out = dir.resolve(name + ".json");
        Path err = dir.resolve(name + ".err");
        List<String> cmd = new ArrayList<>(List.of("fio", "--name=" + name, "--filename=" + data,
                "--runtime=" + JOB_SECONDS, "--output-format=json"));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IOException("fio job " + name + " did not finish within " + PROCESS_TIMEOUT_SECONDS + " s");
            }
            String json = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException("fio job " + name + " exited with " + p.exitValue() + ": "
                        + Files.readString(err, StandardCharsets.UTF_8).strip());
            }
            return json;
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
            Files.deleteIfExists(data);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
