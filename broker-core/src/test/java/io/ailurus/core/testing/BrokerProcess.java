package io.ailurus.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A broker in its own JVM (the test class path, {@code AilurusMain start}), so a test can
 * {@code kill -9} it. The Kafka port is read from the broker's start-up log line.
 */
public final class BrokerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Kafka API listening on /?[^:]*:(\\d+)");

    private final Process process;
    private final int kafkaPort;
    private final int rpcPort;
    private final List<String> output;

    private BrokerProcess(Process process, int kafkaPort, int rpcPort, List<String> output) {
        this.process = process;
        this.kafkaPort = kafkaPort;
        this.rpcPort = rpcPort;
        this.output = output;
    }

    /** Starts a broker on {@code dataDir}; {@code kafkaPort} 0 picks a free one. Waits until it listens. */
    public static BrokerProcess start(Path dataDir, int kafkaPort) throws IOException, InterruptedException {
        return start(dataDir, kafkaPort, freePort());
    }

    /** A port free right now (the controller log remembers the RPC address, so restarts must reuse it). */
    public static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public static BrokerProcess start(Path dataDir, int kafkaPort, int rpcPort) throws IOException, InterruptedException {
        return start(dataDir, kafkaPort, rpcPort, List.of());
    }

    /** As above, with more {@code start} flags (a cluster member adds {@code --node-id} and {@code --seeds}). */
    public static BrokerProcess start(Path dataDir, int kafkaPort, int rpcPort, List<String> extraArgs)
            throws IOException, InterruptedException {
        return start(dataDir, kafkaPort, rpcPort, extraArgs, List.of());
    }

    /** As above, with more JVM flags (e.g. {@code -Xlog:class+load} to see what a start loads). */
    public static BrokerProcess start(Path dataDir, int kafkaPort, int rpcPort, List<String> extraArgs, List<String> jvmArgs)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.ailurus.core.AilurusMain", "start",
            "--data-dir", dataDir.toString(),
            "--kafka-addr", "127.0.0.1:" + kafkaPort,
            "--admin-addr", "127.0.0.1:0",
            "--rpc-addr", "127.0.0.1:" + rpcPort,
            "--smp", "2",
            "--check=false"));
        cmd.addAll(extraArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // the process died; the waiter below reports it
            }
            port.completeExceptionally(new IOException("broker exited before listening:\n" + String.join("\n", output)));
        }, "broker-process-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new BrokerProcess(p, port.get(90, TimeUnit.SECONDS), rpcPort, output);
        } catch (Exception e) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IOException("broker did not start: " + e.getMessage() + "\n" + String.join("\n", output), e);
        }
    }

    public String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    public int rpcPort() {
        return rpcPort;
    }

    public int kafkaPort() {
        return kafkaPort;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no flush. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the broker's shutdown hook closes it cleanly. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    /** SIGSTOP: the process freezes (a GC pause or a hung VM, as its peers see it). */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public List<String> output() {
        return List.copyOf(output);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }
}
