package io.ailurus.rpk.container;

import io.ailurus.rpk.RpkException;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A local N-node cluster without Docker: one {@code bin/ailurus start} process per node, each with
 * its own directory under the base directory ({@code node-<id>/}: data, broker.log, pid, ports).
 * Processes are found again through their pid files and are only ever signalled when the process
 * with that PID is still the broker started for that node (its command line names the node's data
 * directory), so a recycled PID is never touched.
 */
final class LocalCluster {
    private static final String NODE_PREFIX = "node-";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path baseDir;

    LocalCluster(Path baseDir) {
        this.baseDir = baseDir.toAbsolutePath().normalize();
    }

    Path baseDir() {
        return baseDir;
    }

    /** The nodes that exist on disk, by id. */
    List<LocalNode> nodes() {
        if (!Files.isDirectory(baseDir)) {
            return List.of();
        }
        List<LocalNode> nodes = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(baseDir)) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith(NODE_PREFIX)).toList()) {
                readNode(d).ifPresent(nodes::add);
            }
        } catch (IOException e) {
            throw new RpkException("cannot list " + baseDir + ": " + e.getMessage());
        }
        nodes.sort(Comparator.comparingInt(LocalNode::id));
        return nodes;
    }

    private static Optional<LocalNode> readNode(Path dir) throws IOException {
        String suffix = dir.getFileName().toString().substring(NODE_PREFIX.length());
        Path ports = dir.resolve("ports");
        if (!suffix.matches("\\d+") || !Files.exists(ports)) {
            return Optional.empty();
        }
        String[] p = Files.readString(ports).trim().split("\\s+");
        if (p.length != 3) {
            throw new RpkException(ports + " is damaged (expected 'KAFKA RPC ADMIN' ports); run 'rpk container purge'");
        }
        return Optional.of(new LocalNode(Integer.parseInt(suffix), dir, Integer.parseInt(p[0]),
            Integer.parseInt(p[1]), Integer.parseInt(p[2])));
    }

    /** Lays out a new node: its directory and ports file. */
    LocalNode create(int id, int kafkaPort, int rpcPort, int adminPort) {
        LocalNode node = new LocalNode(id, baseDir.resolve(NODE_PREFIX + id), kafkaPort, rpcPort, adminPort);
        try {
            Files.createDirectories(node.dataDir());
            Files.writeString(node.portsFile(), kafkaPort + " " + rpcPort + " " + adminPort + "\n");
        } catch (IOException e) {
            throw new RpkException("cannot create " + node.dir() + ": " + e.getMessage());
        }
        return node;
    }

    /** The live broker process of {@code node}, if it runs. */
    Optional<ProcessHandle> process(LocalNode node) {
        try {
            if (!Files.exists(node.pidFile())) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(node.pidFile()).trim());
            String dataDirArg = node.dataDir().toString();
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> commandLine(pid).contains(dataDirArg));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The process's arguments from /proc. (ProcessHandle.Info drops them when the command line is
     * long, as a broker's class path makes it.)
     */
    private static List<String> commandLine(long pid) {
        try {
            String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                StandardCharsets.UTF_8);
            return List.of(raw.split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Starts {@code node}'s broker in the background, detached from rpk (its own session, output to
     * broker.log), joining the cluster formed by {@code seeds}. Returns the started process (for a
     * moment after the start its command line is still the JVM's spawn helper's, so use this handle,
     * not {@link #process}, to see whether it is alive while it starts).
     */
    Process start(LocalNode node, Path launcher, String seeds, Map<String, String> env) {
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            cmd.add("/usr/bin/setsid");  // a new session: closing rpk's terminal does not stop the brokers
        }
        cmd.addAll(List.of(launcher.toString(), "start",
            "--node-id", Integer.toString(node.id()),
            "--data-dir", node.dataDir().toString(),
            "--kafka-addr", node.kafkaAddress(),
            "--admin-addr", node.adminAddress(),
            "--rpc-addr", node.rpcAddress(),
            "--seeds", seeds,
            // Several brokers share this machine's cores: one shard each, and no pinning or CPU checks.
            "--smp", "1", "--overprovisioned", "--check=false"));
        ProcessBuilder pb = new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(node.log().toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            Files.writeString(node.pidFile(), p.pid() + "\n");
            return p;
        } catch (IOException e) {
            throw new RpkException("cannot start node " + node.id() + " (" + launcher + "): " + e.getMessage());
        }
    }

    /** Whether the node's admin API answers {@code /v1/status/ready} with 200. */
    static boolean ready(LocalNode node) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + node.adminAddress() + "/v1/status/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last {@code n} lines of the node's log, to show why it did not start. */
    static String logTail(LocalNode node, int n) {
        try {
            List<String> lines = Files.readAllLines(node.log(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return "(no log at " + node.log() + ")";
        }
    }

    /**
     * Stops the node's broker: SIGTERM (a clean shutdown), then SIGKILL if it is still there after
     * {@code grace}. Returns the PID stopped, or empty when it was not running.
     */
    Optional<Long> stop(LocalNode node, Duration grace) {
        Optional<ProcessHandle> running = process(node);
        running.ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                h.destroyForcibly();
                h.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(x -> h).join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                // onExit never fails; nothing to do
            }
        });
        try {
            Files.deleteIfExists(node.pidFile());
        } catch (IOException e) {
            throw new RpkException("cannot remove " + node.pidFile() + ": " + e.getMessage());
        }
        return running.map(ProcessHandle::pid);
    }

    /** A free TCP port on 127.0.0.1 (bound and released; the broker binds it moments later). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new RpkException("cannot find a free port on 127.0.0.1: " + e.getMessage());
        }
    }
}
