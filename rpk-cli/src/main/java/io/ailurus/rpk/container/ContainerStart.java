package io.ailurus.rpk.container;

import io.ailurus.rpk.Progress;
import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.RpkException;
import io.ailurus.rpk.profile.ProfileStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rpk container start}: creates and starts an N-node local cluster, or restarts the stopped
 * nodes of the one already in the base directory (with the ports it was created with), waits
 * until every node's admin API says ready, and switches rpk to the {@code rpk-container} profile.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
    description = {"Start a local cluster (or restart a stopped one) and wait until every node is ready.",
        "Ports are picked free on 127.0.0.1 unless given; they are kept for later restarts.",
        "The first 3 nodes (5 from -n 5 on) are the seeds and vote in the controller group; the others join as learners."})
final class ContainerStart implements Runnable {
    static final int MAX_NODES = 9;

    @Spec
    CommandSpec spec;

    @Mixin
    ContainerCommand.BaseDir base;

    @Option(names = {"-n", "--nodes"}, paramLabel = "N", description = "Number of nodes of a new cluster (1-9, default 1).")
    Integer nodes;

    @Option(names = "--kafka-ports", split = ",", paramLabel = "PORT", description = "Kafka API ports, one per node (default: free ports).")
    List<Integer> kafkaPorts = List.of();

    @Option(names = "--rpc-ports", split = ",", paramLabel = "PORT", description = "Internal RPC ports, one per node (default: free ports).")
    List<Integer> rpcPorts = List.of();

    @Option(names = "--admin-ports", split = ",", paramLabel = "PORT", description = "Admin API ports, one per node (default: free ports).")
    List<Integer> adminPorts = List.of();

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180",
        description = "How long to wait for every node to be ready (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public void run() {
        Rpk rpk = Rpk.of(spec);
        LocalCluster cluster = base.cluster(rpk);
        Path launcher = ContainerCommand.launcher(rpk);
        List<LocalNode> existing = cluster.nodes();
        List<LocalNode> all = existing.isEmpty() ? layOut(cluster) : reuse(cluster, existing);

        Map<Integer, ProcessHandle> processes = new java.util.HashMap<>();
        // The first nodes are the seeds, the controller group's voters; the others join it as learners.
        int voters = controllerVoters(all.size());
        String seeds = all.stream().limit(voters).map(LocalNode::rpcAddress).collect(Collectors.joining(","));
        if (voters < all.size()) {
            rpk.out().println("nodes 0-" + (voters - 1) + " are the seeds (the controller's " + voters
                + " voters); the others join the cluster through them");
        }
        // Every node is started before any is waited for: a broker waits for a controller majority
        // (and one that is not a seed keeps asking the seeds until they have one).
        for (LocalNode n : all) {
            var running = cluster.process(n);
            if (running.isPresent()) {
                rpk.out().println("node " + n.id() + " is already running (pid " + running.get().pid() + ")");
                processes.put(n.id(), running.get());
                continue;
            }
            processes.put(n.id(), cluster.start(n, launcher, seeds, Map.of()).toHandle());
            rpk.out().println("node " + n.id() + " starting (log " + n.log() + ")");
        }
        awaitReady(rpk, all, processes);
        rpk.out().println();
        ContainerCommand.printNodes(rpk, cluster, all);
        selectProfile(rpk, all);
        rpk.out().println();
        rpk.out().println("Cluster of " + all.size() + " started; rpk now uses profile \"" + ContainerCommand.PROFILE
            + "\" (brokers " + all.stream().map(LocalNode::kafkaAddress).collect(Collectors.joining(",")) + ").");
        rpk.out().println("Stop it with 'rpk container stop', remove it with 'rpk container purge'.");
    }

    /**
     * How many of {@code n} nodes are seeds, i.e. vote in the controller group: all of up to 3, then
     * 3 (a 4th voter would raise the majority to 3 without tolerating a second failure), and 5 from
     * 5 nodes on (two nodes may then be down at once, as RF=5 topics allow; more voters than 5 only
     * add a vote to every metadata change). The other nodes are learners: they get every metadata
     * change but do not vote.
     */
    static int controllerVoters(int n) {
        return n <= 3 ? n : n < 5 ? 3 : 5;
    }

    private List<LocalNode> layOut(LocalCluster cluster) {
        int n = nodes == null ? 1 : nodes;
        if (n < 1 || n > MAX_NODES) {
            throw new RpkException("-n must be between 1 and " + MAX_NODES + ", got " + n);
        }
        checkPortList("--kafka-ports", kafkaPorts, n);
        checkPortList("--rpc-ports", rpcPorts, n);
        checkPortList("--admin-ports", adminPorts, n);
        List<LocalNode> created = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            created.add(cluster.create(i, port(kafkaPorts, i), port(rpcPorts, i), port(adminPorts, i)));
        }
        return created;
    }

    private List<LocalNode> reuse(LocalCluster cluster, List<LocalNode> existing) {
        if (nodes != null && nodes != existing.size()) {
            throw new RpkException("a cluster of " + existing.size() + " node(s) already exists in " + cluster.baseDir()
                + "; run 'rpk container purge' first to create one of " + nodes);
        }
        if (!kafkaPorts.isEmpty() || !rpcPorts.isEmpty() || !adminPorts.isEmpty()) {
            throw new RpkException("the cluster in " + cluster.baseDir() + " keeps the ports it was created with; "
                + "run 'rpk container purge' first to choose others");
        }
        return existing;
    }

    private static void checkPortList(String flag, List<Integer> ports, int n) {
        if (!ports.isEmpty() && ports.size() != n) {
            throw new RpkException(flag + " needs one port per node: " + n + " port(s), got " + ports.size());
        }
        for (int p : ports) {
            if (p < 1 || p > 65535) {
                throw new RpkException(flag + ": " + p + " is not a port (1-65535)");
            }
        }
    }

    private static int port(List<Integer> given, int i) {
        return given.isEmpty() ? LocalCluster.freePort() : given.get(i);
    }

    private void awaitReady(Rpk rpk, List<LocalNode> all, Map<Integer, ProcessHandle> processes) {
        Progress progress = Progress.on(rpk.err());
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        try {
            for (LocalNode n : all) {
                while (!LocalCluster.ready(n)) {
                    if (!processes.get(n.id()).isAlive()) {
                        throw new RpkException("node " + n.id() + " exited while starting; the end of " + n.log() + ":\n"
                            + LocalCluster.logTail(n, 20));
                    }
                    if (System.nanoTime() > deadline) {
                        throw new RpkException("node " + n.id() + " was not ready after " + timeoutSeconds
                            + " s (it keeps running; see " + n.log() + ", or 'rpk container stop')");
                    }
                    progress.show("waiting for node " + n.id() + " to be ready ...");
                    sleep();
                }
            }
        } finally {
            progress.done();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpkException("interrupted while waiting for the cluster");
        }
    }

    private static void selectProfile(Rpk rpk, List<LocalNode> all) {
        ProfileStore store = rpk.profiles();
        ProfileStore.File f = store.load();
        f.profiles.removeIf(p -> ContainerCommand.PROFILE.equals(p.name));
        ProfileStore.Profile p = new ProfileStore.Profile();
        p.name = ContainerCommand.PROFILE;
        p.description = "local cluster started by 'rpk container start'";
        p.kafkaApi.brokers = all.stream().map(LocalNode::kafkaAddress).toList();
        p.adminApi.addresses = all.stream().map(LocalNode::adminAddress).toList();
        f.profiles.add(p);
        f.currentProfile = p.name;
        store.save(f);
    }
}
