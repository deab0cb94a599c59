package io.ailurus.core.cluster;

import io.ailurus.core.Broker;
import io.ailurus.core.config.BrokerConfig;
import io.ailurus.core.config.ClusterConfig;
import io.ailurus.core.config.ClusterConfigKeys;
import io.ailurus.core.config.ConfigSource;
import io.ailurus.core.config.HostPort;
import io.ailurus.core.testing.BrokerProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * N real brokers in this JVM forming one cluster through {@code --seeds}: ephemeral loopback ports
 * picked up front (the seeds are the founders' RPC addresses) and kept across restarts, one data
 * directory each. Broker i has node id i. Elections are shortened to 1 s so failover tests are quick.
 */
final class InJvmCluster implements AutoCloseable {
    static final int ELECTION_TIMEOUT_MS = 1000;

    private final Path dir;
    private final int[] rpcPorts;
    private final int[] kafkaPorts;
    private final Broker[] brokers;
    private final java.util.function.UnaryOperator<ClusterConfig> cluster;
    /** Brokers 0..seeds-1 are the seeds (the controller's voters); the others join as learners. */
    private int seeds;

    InJvmCluster(Path dir, int size) throws Exception {
        this(dir, size, java.util.function.UnaryOperator.identity());
    }

    /** Same, with cluster properties changed by {@code cluster} (applied after the short election timeout). */
    InJvmCluster(Path dir, int size, java.util.function.UnaryOperator<ClusterConfig> cluster) throws Exception {
        this.cluster = cluster;
        this.dir = dir;
        this.rpcPorts = new int[size];
        this.kafkaPorts = new int[size];
        this.brokers = new Broker[size];
        this.seeds = size;
        for (int i = 0; i < size; i++) {
            rpcPorts[i] = BrokerProcess.freePort();
            kafkaPorts[i] = BrokerProcess.freePort();
        }
    }

    /**
     * Makes only the first {@code count} brokers seeds: the others are started with {@code --seeds}
     * naming those and join the controller group as learners. Before any start.
     */
    InJvmCluster withSeeds(int count) {
        if (count < 1 || count > brokers.length) {
            throw new IllegalArgumentException("seeds must be 1.." + brokers.length + ", got " + count);
        }
        this.seeds = count;
        return this;
    }

    /** Starts every broker at once: each waits for a controller majority, so they must start together. */
    InJvmCluster startAll() throws Exception {
        return startFirst(brokers.length);
    }

    /** Starts brokers 0..count-1 at once (see {@link #startAll}); the rest can be started later with {@link #start}. */
    InJvmCluster startFirst(int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Future<?>> starts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int id = i;
                starts.add(pool.submit(() -> {
                    start(id);
                    return null;
                }));
            }
            for (Future<?> f : starts) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return this;
    }

    void start(int i) throws Exception {
        List<HostPort> seedServers = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            seedServers.add(new HostPort("127.0.0.1", rpcPorts[s]));
        }
        BrokerConfig config = BrokerConfig.builder()
            .nodeId(i)
            .dataDirectory(dir.resolve("broker-" + i))
            .kafkaApi(new HostPort("127.0.0.1", kafkaPorts[i]))
            .admin(new HostPort("127.0.0.1", 0))
            .rpcServer(new HostPort("127.0.0.1", rpcPorts[i]))
            .seedServers(seedServers)
            .smp(1)
            .cluster(cluster.apply(ClusterConfig.defaults().with(ClusterConfigKeys.ELECTION_TIMEOUT_MS, ELECTION_TIMEOUT_MS,
                ConfigSource.STATIC_BROKER_CONFIG)))
            .build();
        brokers[i] = Broker.start(config);
    }

    /** Clean stop of broker i (its data stays). */
    void stop(int i) {
        Broker b = brokers[i];
        brokers[i] = null;
        if (b != null) {
            b.close();
        }
    }

    Broker broker(int i) {
        return brokers[i];
    }

    int size() {
        return brokers.length;
    }

    String bootstrap(int i) {
        return "127.0.0.1:" + kafkaPorts[i];
    }

    /** Every broker's Kafka address: clients find the cluster through any of them. */
    String bootstrap() {
        List<String> all = new ArrayList<>();
        for (int port : kafkaPorts) {
            all.add("127.0.0.1:" + port);
        }
        return all.stream().collect(Collectors.joining(","));
    }

    @Override
    public void close() {
        for (int i = 0; i < brokers.length; i++) {
            stop(i);
        }
    }
}
