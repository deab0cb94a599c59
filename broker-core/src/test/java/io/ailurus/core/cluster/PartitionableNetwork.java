package io.ailurus.core.cluster;

import io.ailurus.core.testing.ChildProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private network for N broker processes, built from Linux network namespaces, so a test can cut one
 * broker off from the others (a real network partition: packets are dropped, TCP connections stall,
 * nothing is told to the processes) and heal it again.
 *
 * <pre>
 *  root namespace (the test JVM and its Kafka clients)
 *     │ ail&lt;pid&gt;c&lt;i&gt; 10.B.i.1/24            "client" link, one per node, never cut
 *     │ cx 10.B.i.2/24 ─ namespace ailurus-&lt;pid&gt;-&lt;i&gt; (broker i: Kafka listener on cx)
 *                           cl 10.77.0.(i+1)/24    "cluster" link: Raft and internal RPC
 *                            │
 *  namespace ailurus-&lt;pid&gt;-sw: bridge br0 ── port p&lt;i&gt;   (cut = p&lt;i&gt; down)
 * </pre>
 *
 * The bridge lives in its own namespace with no uplink, so the 10.77.0.0/24 cluster addresses exist only
 * inside this network; the client links put one /24 per node into the root namespace, picked from
 * 10.100-227.x.x so that it collides with no address already there. These are not loopback addresses:
 * they are the "equivalent on loopback" the network-partition issue allows: private to this test's own
 * namespaces, reachable from nothing else, removed by {@link #close()}.
 *
 * <p>Needs root (CAP_NET_ADMIN) and the {@code ip} tool; {@link #unavailableReason()} says why not.
 */
final class PartitionableNetwork implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PartitionableNetwork.class);
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(20);

    private final String prefix;
    private final int nodes;
    private final int clientOctet;
    private final List<String> created = new ArrayList<>();
    private final List<String> rootLinks = new ArrayList<>();

    private PartitionableNetwork(String prefix, int nodes, int clientOctet) {
        this.prefix = prefix;
        this.nodes = nodes;
        this.clientOctet = clientOctet;
    }

    /**
     * Why namespaces cannot be used here (not root, no {@code ip}, no CAP_NET_ADMIN), or empty when they
     * can: creates and deletes a probe namespace.
     */
    static Optional<String> unavailableReason() {
        String probe = "ailurus-probe-" + ProcessHandle.current().pid();
        try {
            ChildProcess.Result add = ChildProcess.run(List.of("ip", "netns", "add", probe), new byte[0], COMMAND_LIMIT);
            if (add.exitCode() != 0) {
                return Optional.of("'ip netns add' failed (exit " + add.exitCode() + "): " + add.stderr().strip());
            }
            ChildProcess.run(List.of("ip", "netns", "del", probe), new byte[0], COMMAND_LIMIT);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot run 'ip': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** Builds the namespaces, the bridge and both links of every node; undoes everything if a step fails. */
    static PartitionableNetwork create(int nodes) throws IOException, InterruptedException {
        removeLeftovers();
        long pid = ProcessHandle.current().pid();
        PartitionableNetwork net = new PartitionableNetwork("ailurus-" + pid, nodes, freeClientOctet(pid));
        try {
            net.build(pid);
            return net;
        } catch (IOException | InterruptedException | RuntimeException e) {
            net.close();
            throw e;
        }
    }

    private void build(long pid) throws IOException, InterruptedException {
        String sw = prefix + "-sw";
        addNamespace(sw);
        ip("-n", sw, "link", "add", "br0", "type", "bridge");
        ip("-n", sw, "link", "set", "br0", "up");
        for (int i = 0; i < nodes; i++) {
            String ns = namespace(i);
            addNamespace(ns);
            // The JVM and the admin API use loopback inside the namespace.
            ip("-n", ns, "link", "set", "lo", "up");

            String rootEnd = "ail" + pid + "c" + i; // at most 3 + 7 + 2 characters: within IFNAMSIZ
            ip("link", "add", rootEnd, "type", "veth", "peer", "name", "cx", "netns", ns);
            rootLinks.add(rootEnd);
            ip("addr", "add", "10." + clientOctet + "." + i + ".1/24", "dev", rootEnd);
            ip("link", "set", rootEnd, "up");
            ip("-n", ns, "addr", "add", clientAddress(i) + "/24", "dev", "cx");
            ip("-n", ns, "link", "set", "cx", "up");

            ip("-n", sw, "link", "add", port(i), "type", "veth", "peer", "name", "cl", "netns", ns);
            ip("-n", sw, "link", "set", port(i), "master", "br0");
            ip("-n", sw, "link", "set", port(i), "up");
            ip("-n", ns, "addr", "add", clusterAddress(i) + "/24", "dev", "cl");
            ip("-n", ns, "link", "set", "cl", "up");
        }
        log.info("network {}: {} namespaces, cluster 10.77.0.0/24 on bridge, clients on 10.{}.0-{}.0/24",
            prefix, nodes, clientOctet, nodes - 1);
    }

    /**
     * Deletes what an earlier run left behind when its JVM died before {@link #close()} (kill -9, a
     * crash): namespaces named after a process id that no longer runs, and that run's root-side links.
     * A live process's network is never touched.
     */
    private static void removeLeftovers() throws IOException, InterruptedException {
        String namespaces = ChildProcess.run(List.of("ip", "netns", "list"), new byte[0], COMMAND_LIMIT).stdout();
        Set<Long> deadRuns = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^ailurus-(\\d+)-\\S+").matcher(namespaces);
        while (m.find()) {
            long pid = Long.parseLong(m.group(1));
            if (ProcessHandle.of(pid).isEmpty()) {
                deadRuns.add(pid);
                quietly("netns", "del", m.group());
            }
        }
        if (deadRuns.isEmpty()) {
            return;
        }
        String links = ChildProcess.run(List.of("ip", "-o", "link"), new byte[0], COMMAND_LIMIT).stdout();
        for (long pid : deadRuns) {
            Matcher l = Pattern.compile("\\d+: (ail" + pid + "c\\d+)[@:]").matcher(links);
            while (l.find()) {
                quietly("link", "del", l.group(1));
            }
        }
        log.info("removed the network namespaces of dead test runs {}", deadRuns);
    }

    /** A second octet whose 10.x.0.0/16 the root namespace does not use yet (a concurrent run picks another). */
    private static int freeClientOctet(long pid) throws IOException, InterruptedException {
        String addrs = ChildProcess.run(List.of("ip", "-4", "-o", "addr"), new byte[0], COMMAND_LIMIT).stdout()
            + ChildProcess.run(List.of("ip", "-4", "route"), new byte[0], COMMAND_LIMIT).stdout();
        for (int k = 0; k < 128; k++) {
            int octet = 100 + (int) ((pid + k) % 128);
            if (!addrs.contains("10." + octet + ".")) {
                return octet;
            }
        }
        throw new IOException("no free 10.x.0.0/16 for the client links among 10.100-227:\n" + addrs);
    }

    String namespace(int i) {
        return prefix + "-" + i;
    }

    /** Broker i's address for Raft and internal RPC (reachable from the other namespaces only). */
    String clusterAddress(int i) {
        return "10.77.0." + (i + 1);
    }

    /** Broker i's address for Kafka clients (reachable from the root namespace, never cut). */
    String clientAddress(int i) {
        return "10." + clientOctet + "." + i + ".2";
    }

    /** The command prefix that runs a program inside node i's namespace. */
    List<String> exec(int i) {
        return List.of("ip", "netns", "exec", namespace(i));
    }

    /** Cuts node i off from every other node: its bridge port goes down, so its cluster link has no carrier. */
    void isolate(int i) throws IOException, InterruptedException {
        ip("-n", prefix + "-sw", "link", "set", port(i), "down");
        log.info("network {}: node {} isolated", prefix, i);
    }

    /** Undoes {@link #isolate}. */
    void heal(int i) throws IOException, InterruptedException {
        ip("-n", prefix + "-sw", "link", "set", port(i), "up");
        log.info("network {}: node {} reconnected", prefix, i);
    }

    private static String port(int i) {
        return "p" + i;
    }

    private void addNamespace(String ns) throws IOException, InterruptedException {
        ip("netns", "add", ns);
        created.add(ns);
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        ChildProcess.Result r = ChildProcess.run(cmd, new byte[0], COMMAND_LIMIT);
        if (r.exitCode() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (exit " + r.exitCode() + "): " + r.stderr().strip());
        }
    }

    /**
     * Deletes the root-side links and every namespace (which takes the links inside them along). Tries
     * every step even when one fails; call it after the processes inside have been killed.
     */
    @Override
    public void close() {
        for (String link : rootLinks) {
            quietly("link", "del", link);
        }
        for (String ns : created.reversed()) {
            quietly("netns", "del", ns);
        }
        rootLinks.clear();
        created.clear();
    }

    private static void quietly(String... args) {
        try {
            ip(args);
        } catch (IOException e) {
            log.warn("cleanup: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("cleanup interrupted: {}", String.join(" ", args));
        }
    }
}
