package io.ailurus.core.cluster;

import io.ailurus.core.testing.BrokerProcess;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Broker processes ({@code AilurusMain start}, the test class path), each started inside its own
 * namespace of a {@link PartitionableNetwork} with {@code ip netns exec} (which execs the JVM in place, so
 * the process id is the broker's and a kill reaches it). Raft and internal RPC use the cluster addresses,
 * the Kafka listener the client address, which the test's clients in the root namespace reach.
 */
final class NamespacedCluster implements AutoCloseable {
    private static final String LISTENING = "Kafka API listening on";

    private final Path dir;
    private final PartitionableNetwork net;
    private final int size;
    private final int rpcPort;
    private final int kafkaPort;
    private final Process[] processes;
    private final List<List<String>> output = new ArrayList<>();

    private final Path logDir;

    /**
     * @param dir where each broker gets its data directory ({@code broker-<i>})
     * @param logDir where each broker's output is kept ({@code broker-<i>.log}), for reading after a failure
     */
    NamespacedCluster(Path dir, Path logDir, PartitionableNetwork net, int size) throws IOException {
        this.dir = dir;
        this.logDir = logDir;
        Files.createDirectories(logDir);
        this.net = net;
        this.size = size;
        // Every broker has its own addresses, so one pair of ports (free ones, picked by the OS) serves all.
        this.rpcPort = BrokerProcess.freePort();
        this.kafkaPort = BrokerProcess.freePort();
        this.processes = new Process[size];
        for (int i = 0; i < size; i++) {
            output.add(Collections.synchronizedList(new ArrayList<>()));
        }
    }

    /** Starts every broker at once (each waits for a controller majority) and returns when all listen. */
    NamespacedCluster startAll() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(size);
        try {
            List<Future<?>> starts = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                int id = i;
                starts.add(pool.submit(() -> {
                    start(id);
                    return null;
                }));
            }
            for (Future<?> f : starts) {
                f.get(180, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return this;
    }

    private void start(int i) throws IOException, InterruptedException {
        String seeds = IntStream.range(0, size).mapToObj(n -> net.clusterAddress(n) + ":" + rpcPort)
            .collect(Collectors.joining(","));
        String kafka = net.clientAddress(i) + ":" + kafkaPort;
        List<String> cmd = new ArrayList<>(net.exec(i));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        // The same JVM flags as BrokerProcess: jraft, protobuf and Netty need them on JDK 25.
        cmd.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.ailurus.core.AilurusMain", "start",
            "--data-dir", dataDir(i).toString(),
            "--node-id", Integer.toString(i),
            "--kafka-addr", kafka,
            "--advertise-kafka-addr", kafka,
            "--admin-addr", "127.0.0.1:0",
            "--rpc-addr", net.clusterAddress(i) + ":" + rpcPort,
            "--seeds", seeds,
            "--smp", "1",
            "--check=false"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        synchronized (this) {
            processes[i] = p;
        }
        List<String> lines = output.get(i);
        CompletableFuture<Void> listening = new CompletableFuture<>();
        Path logFile = logDir.resolve("broker-" + i + ".log");
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 BufferedWriter w = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    w.write(line);
                    w.newLine();
                    w.flush();
                    if (line.contains(LISTENING)) {
                        listening.complete(null);
                    }
                }
            } catch (IOException ignored) {
                // the process died; the waiter below reports it
            }
            listening.completeExceptionally(new IOException("broker " + i + " exited before listening"));
        }, "netns-broker-" + i + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            listening.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("broker " + i + " did not start: " + e + "\n" + String.join("\n", lines), e);
        }
    }

    Path dataDir(int i) {
        return dir.resolve("broker-" + i);
    }

    int size() {
        return size;
    }

    /** Broker i's Kafka address, as clients in the root namespace reach it. */
    String bootstrap(int i) {
        return net.clientAddress(i) + ":" + kafkaPort;
    }

    String host(int i) {
        return net.clientAddress(i);
    }

    int kafkaPort() {
        return kafkaPort;
    }

    String bootstrap() {
        return IntStream.range(0, size).mapToObj(this::bootstrap).collect(Collectors.joining(","));
    }

    /** What broker i printed (for a failure message). */
    List<String> output(int i) {
        synchronized (output.get(i)) {
            return List.copyOf(output.get(i));
        }
    }

    /** SIGKILLs every broker by its process id (the JVM itself: {@code ip netns exec} exec'd it). */
    @Override
    public synchronized void close() throws InterruptedException {
        for (int i = 0; i < size; i++) {
            if (processes[i] != null) {
                processes[i].destroyForcibly();
                processes[i].waitFor(30, TimeUnit.SECONDS);
                processes[i] = null;
            }
        }
    }
}
