package io.ailurus.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Everything one broker needs to start: its node settings ({@link NodeConfigKeys}), its resources
 * ({@link TuningConfigKeys}) and the initial cluster properties ({@link ClusterConfig}). Immutable
 * and fully resolved: derived defaults (advertised addresses, the memory budget) are filled in and
 * the data directory is absolute.
 *
 * <p>Made by {@link BrokerConfigLoader} from the YAML file and the start flags, or in tests with
 * {@link #builder()}. A port of 0 means "any free port"; the data plane then advertises the port
 * it actually bound.
 */
public final class BrokerConfig {
    private final int nodeId;
    private final Path dataDirectory;
    private final List<HostPort> seedServers;
    private final HostPort rpcServer;
    private final HostPort advertisedRpcApi;
    private final List<Listener> kafkaApi;
    private final List<Listener> advertisedKafkaApi;
    private final List<Listener> admin;
    private final int smp;
    private final long memoryBytes;
    private final boolean overprovisioned;
    private final ClusterConfig cluster;
    private final Path configFile;

    private BrokerConfig(Builder b) {
        this.nodeId = b.get(NodeConfigKeys.NODE_ID);
        this.dataDirectory = b.get(NodeConfigKeys.DATA_DIRECTORY).toAbsolutePath().normalize();
        this.seedServers = List.copyOf(b.get(NodeConfigKeys.SEED_SERVERS));
        this.rpcServer = b.get(NodeConfigKeys.RPC_SERVER);
        this.advertisedRpcApi = resolveAdvertisedRpc(b.get(NodeConfigKeys.ADVERTISED_RPC_API), rpcServer);
        this.kafkaApi = List.copyOf(b.get(NodeConfigKeys.KAFKA_API));
        this.advertisedKafkaApi = resolveAdvertisedKafka(b.get(NodeConfigKeys.ADVERTISED_KAFKA_API), kafkaApi);
        this.admin = List.copyOf(b.get(NodeConfigKeys.ADMIN));
        this.smp = b.get(TuningConfigKeys.SMP);
        Long memory = b.get(TuningConfigKeys.MEMORY);
        this.memoryBytes = memory != null ? memory : Runtime.getRuntime().maxMemory() / 2;
        this.overprovisioned = b.get(TuningConfigKeys.OVERPROVISIONED);
        this.cluster = b.cluster;
        this.configFile = b.configFile;
        if (kafkaApi.isEmpty()) {
            throw new ConfigException(NodeConfigKeys.KAFKA_API.fullName() + ": at least one Kafka API listener is required");
        }
        if (admin.isEmpty()) {
            throw new ConfigException(NodeConfigKeys.ADMIN.fullName() + ": at least one admin API listener is required");
        }
    }

    /** A builder starting from the built-in defaults. */
    public static Builder builder() {
        return new Builder();
    }

    public int nodeId() {
        return nodeId;
    }

    /** Absolute and normalized. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** RPC addresses of the founding members; empty means this node founds its own cluster. */
    public List<HostPort> seedServers() {
        return seedServers;
    }

    /** True if this node starts a new cluster on its own rather than joining seeds. */
    public boolean foundsOwnCluster() {
        return seedServers.isEmpty();
    }

    public HostPort rpcServer() {
        return rpcServer;
    }

    public HostPort advertisedRpcApi() {
        return advertisedRpcApi;
    }

    public List<Listener> kafkaApi() {
        return kafkaApi;
    }

    /** One entry per {@link #kafkaApi()} listener, same order and names. */
    public List<Listener> advertisedKafkaApi() {
        return advertisedKafkaApi;
    }

    public List<Listener> admin() {
        return admin;
    }

    /** Number of shards (event-loop threads). */
    public int smp() {
        return smp;
    }

    /** Memory budget, in bytes, for the batch cache and network/IO buffers. */
    public long memoryBytes() {
        return memoryBytes;
    }

    /** Cores are shared: no thread pinning, no busy polling. */
    public boolean overprovisioned() {
        return overprovisioned;
    }

    /** The cluster properties this node bootstraps with. */
    public ClusterConfig cluster() {
        return cluster;
    }

    /** The YAML file the config was read from; empty when the built-in default was used. */
    public Optional<Path> configFile() {
        return Optional.ofNullable(configFile);
    }

    /** A builder holding this config's values, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder()
                .set(NodeConfigKeys.NODE_ID, nodeId)
                .set(NodeConfigKeys.DATA_DIRECTORY, dataDirectory)
                .set(NodeConfigKeys.SEED_SERVERS, seedServers)
                .set(NodeConfigKeys.RPC_SERVER, rpcServer)
                .set(NodeConfigKeys.ADVERTISED_RPC_API, advertisedRpcApi)
                .set(NodeConfigKeys.KAFKA_API, kafkaApi)
                .set(NodeConfigKeys.ADVERTISED_KAFKA_API, advertisedKafkaApi)
                .set(NodeConfigKeys.ADMIN, admin)
                .set(TuningConfigKeys.SMP, smp)
                .set(TuningConfigKeys.MEMORY, memoryBytes)
                .set(TuningConfigKeys.OVERPROVISIONED, overprovisioned)
                .cluster(cluster);
        b.configFile = configFile;
        return b;
    }

    private static HostPort resolveAdvertisedRpc(HostPort advertised, HostPort rpc) {
        if (advertised == null) {
            return derive(rpc);
        }
        requireReachable(NodeConfigKeys.ADVERTISED_RPC_API, advertised);
        return advertised;
    }

    private static List<Listener> resolveAdvertisedKafka(List<Listener> advertised, List<Listener> kafka) {
        Map<String, HostPort> byName = new HashMap<>();
        if (advertised != null) {
            List<String> kafkaNames = kafka.stream().map(Listener::name).toList();
            for (int i = 0; i < advertised.size(); i++) {
                Listener a = advertised.get(i);
                String name = a.name();
                if (name.isEmpty()) {
                    if (i >= kafka.size()) {
                        throw new ConfigException(NodeConfigKeys.ADVERTISED_KAFKA_API.fullName() + ": entry " + (i + 1) + " ("
                                + a.address() + ") has no name and there is no kafka_api listener at that position; expected at most "
                                + kafka.size() + " unnamed entries or NAME://HOST:PORT");
                    }
                    name = kafka.get(i).name();
                } else if (!kafkaNames.contains(name)) {
                    throw new ConfigException(NodeConfigKeys.ADVERTISED_KAFKA_API.fullName() + ": listener '" + name
                            + "' has no kafka_api listener of that name; expected one of " + String.join(", ", kafkaNames));
                }
                requireReachable(NodeConfigKeys.ADVERTISED_KAFKA_API, a.address());
                if (byName.put(name, a.address()) != null) {
                    throw new ConfigException(NodeConfigKeys.ADVERTISED_KAFKA_API.fullName() + ": listener '" + name
                            + "' is advertised twice");
                }
            }
        }
        List<Listener> out = new ArrayList<>();
        for (Listener l : kafka) {
            HostPort a = byName.get(l.name());
            out.add(new Listener(l.name(), a != null ? a : derive(l.address())));
        }
        return List.copyOf(out);
    }

    /** Clients cannot connect to 0.0.0.0; loopback is the one address that works on a single host. */
    private static HostPort derive(HostPort listen) {
        return listen.isWildcard() ? new HostPort("127.0.0.1", listen.port()) : listen;
    }

    private static void requireReachable(ConfigKey<?> key, HostPort advertised) {
        if (advertised.isWildcard()) {
            throw ConfigException.invalidValue(key.fullName(), null, advertised.toString(),
                    "an address others can connect to, not a wildcard such as 0.0.0.0");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BrokerConfig c && nodeId == c.nodeId && smp == c.smp && memoryBytes == c.memoryBytes
                && overprovisioned == c.overprovisioned && dataDirectory.equals(c.dataDirectory)
                && seedServers.equals(c.seedServers) && rpcServer.equals(c.rpcServer)
                && advertisedRpcApi.equals(c.advertisedRpcApi) && kafkaApi.equals(c.kafkaApi)
                && advertisedKafkaApi.equals(c.advertisedKafkaApi) && admin.equals(c.admin) && cluster.equals(c.cluster);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nodeId, dataDirectory, kafkaApi, admin, rpcServer);
    }

    @Override
    public String toString() {
        return "BrokerConfig{node_id=" + nodeId + ", data_directory=" + dataDirectory + ", seed_servers=" + seedServers
                + ", rpc_server=" + rpcServer + ", advertised_rpc_api=" + advertisedRpcApi + ", kafka_api=" + kafkaApi
                + ", advertised_kafka_api=" + advertisedKafkaApi + ", admin=" + admin + ", smp=" + smp
                + ", memory=" + ByteSize.format(memoryBytes) + ", overprovisioned=" + overprovisioned
                + ", cluster=" + cluster.asText().entrySet().stream()
                        .filter(e -> !e.getValue().equals(ConfigRegistry.cluster(e.getKey()).orElseThrow().defaultText()))
                        .map(Object::toString).collect(Collectors.joining(", ", "{", "}")) + "}";
    }

    /**
     * Collects node and tuning values; anything not set keeps its built-in default. Values are
     * checked against their key's rule as they are set.
     */
    public static final class Builder {
        private final Map<ConfigKey<?>, Object> values = new HashMap<>();
        private ClusterConfig cluster = ClusterConfig.defaults();
        private Path configFile;

        private Builder() {}

        /**
         * Sets a node or tuning key.
         *
         * @throws ConfigException if the value breaks the key's rule
         */
        public <T> Builder set(ConfigKey<T> key, T value) {
            if (key.section() == ConfigSection.CLUSTER) {
                throw new IllegalArgumentException(key.fullName() + " is a cluster property; use cluster(...)");
            }
            try {
                values.put(key, key.check(value));
            } catch (BadValueException e) {
                throw ConfigException.invalidValue(key.fullName(), null, key.format(value), e.expected());
            }
            return this;
        }

        public Builder nodeId(int id) {
            return set(NodeConfigKeys.NODE_ID, id);
        }

        public Builder dataDirectory(Path dir) {
            return set(NodeConfigKeys.DATA_DIRECTORY, dir);
        }

        /** One Kafka listener called "internal". */
        public Builder kafkaApi(HostPort address) {
            return set(NodeConfigKeys.KAFKA_API, List.of(new Listener("internal", address)));
        }

        /** One admin listener called "admin". */
        public Builder admin(HostPort address) {
            return set(NodeConfigKeys.ADMIN, List.of(new Listener("admin", address)));
        }

        public Builder rpcServer(HostPort address) {
            return set(NodeConfigKeys.RPC_SERVER, address);
        }

        public Builder seedServers(List<HostPort> seeds) {
            return set(NodeConfigKeys.SEED_SERVERS, seeds);
        }

        public Builder smp(int shards) {
            return set(TuningConfigKeys.SMP, shards);
        }

        public Builder memoryBytes(long bytes) {
            return set(TuningConfigKeys.MEMORY, bytes);
        }

        public Builder overprovisioned(boolean value) {
            return set(TuningConfigKeys.OVERPROVISIONED, value);
        }

        public Builder cluster(ClusterConfig clusterConfig) {
            this.cluster = Objects.requireNonNull(clusterConfig);
            return this;
        }

        /** Records which file the values came from (shown in the start-up banner). */
        public Builder configFile(Path file) {
            this.configFile = file;
            return this;
        }

        @SuppressWarnings("unchecked")
        <T> T get(ConfigKey<T> key) {
            return values.containsKey(key) ? (T) values.get(key) : key.defaultValue();
        }

        /**
         * @throws ConfigException if the values do not fit together (e.g. an advertised listener
         *                         without a matching listener)
         */
        public BrokerConfig build() {
            return new BrokerConfig(this);
        }
    }
}
