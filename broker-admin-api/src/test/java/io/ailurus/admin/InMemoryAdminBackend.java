package io.ailurus.admin;

import io.ailurus.admin.backend.AdminApiException;
import io.ailurus.admin.backend.AdminBackend;
import io.ailurus.admin.backend.BrokerView;
import io.ailurus.admin.backend.ClusterConfigPatch;
import io.ailurus.admin.backend.ConfigNodeStatus;
import io.ailurus.admin.backend.ConfigPropertySchema;
import io.ailurus.admin.backend.ConfigValidationException;
import io.ailurus.admin.backend.DecommissionStatus;
import io.ailurus.admin.backend.FeatureSet;
import io.ailurus.admin.backend.HealthFacts;
import io.ailurus.admin.backend.MembershipStatus;
import io.ailurus.admin.backend.PartitionId;
import io.ailurus.admin.backend.PartitionView;
import io.ailurus.admin.backend.PartitionView.ReplicaAssignment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A working in-memory broker behind the admin API for tests: a three-node cluster with one topic,
 * a typed cluster configuration with real validation, leadership that moves when asked. Not a
 * mock: it is an implementation of the module's own interface with the rules a broker enforces.
 */
final class InMemoryAdminBackend implements AdminBackend {

    static final int SELF = 1;

    /** A typed cluster property: its schema and how to check a value. */
    private record Property(ConfigPropertySchema schema, Object dflt, java.util.function.Function<Object, String> check) {
    }

    final AtomicBoolean ready = new AtomicBoolean(true);
    final AtomicReference<HealthFacts> health = new AtomicReference<>(new HealthFacts(
            1, List.of(1, 2, 3), List.of(), List.of(), List.of(), List.of()));
    final AtomicReference<RuntimeException> failNextBrokers = new AtomicReference<>();
    volatile ClusterConfigPatch lastPatch;

    private final Map<Integer, MembershipStatus> membership = new TreeMap<>(Map.of(
            1, MembershipStatus.ACTIVE, 2, MembershipStatus.ACTIVE, 3, MembershipStatus.ACTIVE));
    private final Map<PartitionId, PartitionView> partitions = new LinkedHashMap<>();
    private final Map<String, Property> properties = new TreeMap<>();
    private final Map<String, Object> overrides = new TreeMap<>();
    private long configVersion = 1;

    InMemoryAdminBackend() {
        for (int p = 0; p < 3; p++) {
            List<ReplicaAssignment> replicas = List.of(new ReplicaAssignment(1, p % 2), new ReplicaAssignment(2, 0),
                    new ReplicaAssignment(3, 1));
            partitions.put(PartitionId.kafka("orders", p),
                    new PartitionView("kafka", "orders", p, "done", 1 + p, 10 + p, replicas));
        }
        partitions.put(PartitionId.kafka("audit", 0), new PartitionView("kafka", "audit", 0, "done", 2, 20,
                List.of(new ReplicaAssignment(2, 0), new ReplicaAssignment(3, 0))));
        property("log_retention_ms", "integer", "How long to keep log segments", 604_800_000L, false, null,
                v -> v instanceof Number n && n.longValue() >= -1 ? null : "expected an integer >= -1");
        property("auto_create_topics_enabled", "boolean", "Create topics on first produce or fetch", false, false, null,
                v -> v instanceof Boolean ? null : "expected a boolean");
        property("default_topic_replications", "integer", "Replication factor of new topics", 1L, false, null,
                v -> v instanceof Number n && n.intValue() >= 1 && n.intValue() % 2 == 1 ? null
                        : "expected an odd integer >= 1");
        property("log_compression_type", "string", "Compression of stored batches", "producer", false,
                List.of("none", "gzip", "snappy", "lz4", "zstd", "producer"),
                v -> List.of("none", "gzip", "snappy", "lz4", "zstd", "producer").contains(v) ? null
                        : "expected one of none, gzip, snappy, lz4, zstd, producer");
        property("kafka_rpc_server_tcp_recv_buf", "integer", "Socket receive buffer", null, true, null,
                v -> v == null || v instanceof Number ? null : "expected an integer or null");
    }

    private void property(String name, String type, String description, Object dflt, boolean needsRestart,
                          List<String> enumValues, java.util.function.Function<Object, String> check) {
        properties.put(name, new Property(new ConfigPropertySchema(type, description, dflt == null, needsRestart,
                "user", false, name.endsWith("_ms") ? "ms" : null, null, enumValues, dflt, null, List.of()),
                dflt, check));
    }

    @Override
    public int nodeId() {
        return SELF;
    }

    @Override
    public boolean isReady() {
        return ready.get();
    }

    @Override
    public synchronized List<BrokerView> brokers() {
        RuntimeException fail = failNextBrokers.getAndSet(null);
        if (fail != null) {
            throw fail;
        }
        List<BrokerView> out = new ArrayList<>();
        membership.forEach((id, status) -> out.add(new BrokerView(id, 2, id == 3 ? "rack-b" : null, "10.0.0." + id,
                33145, status, !health.get().nodesDown().contains(id),
                List.of(new BrokerView.DiskSpace("/var/lib/ailurus/data", 1000L * id, 5000)), "0.1.0-test")));
        return out;
    }

    @Override
    public HealthFacts healthFacts() {
        return health.get();
    }

    @Override
    public synchronized void decommission(int nodeId) {
        MembershipStatus s = membership.get(nodeId);
        if (s == null) {
            throw AdminApiException.notFound("Broker " + nodeId + " not found");
        }
        if (membership.values().stream().filter(m -> m == MembershipStatus.ACTIVE).count() <= 1) {
            throw AdminApiException.badRequest("Cannot decommission the last active broker");
        }
        membership.put(nodeId, MembershipStatus.DRAINING);
    }

    @Override
    public synchronized void recommission(int nodeId) {
        MembershipStatus s = membership.get(nodeId);
        if (s == null) {
            throw AdminApiException.notFound("Broker " + nodeId + " not found");
        }
        if (s != MembershipStatus.DRAINING) {
            throw AdminApiException.badRequest("Broker " + nodeId + " is not being decommissioned");
        }
        membership.put(nodeId, MembershipStatus.ACTIVE);
    }

    @Override
    public synchronized DecommissionStatus decommissionStatus(int nodeId) {
        MembershipStatus s = membership.get(nodeId);
        if (s == null) {
            throw AdminApiException.notFound("Broker " + nodeId + " not found");
        }
        if (s == MembershipStatus.ACTIVE) {
            throw AdminApiException.badRequest("Broker " + nodeId + " is not being decommissioned");
        }
        long left = partitions.values().stream()
                .filter(p -> p.replicas().stream().anyMatch(r -> r.nodeId() == nodeId)).count();
        return new DecommissionStatus(left == 0, left, List.of());
    }

    @Override
    public synchronized List<PartitionView> partitions() {
        return partitions.values().stream()
                .filter(p -> p.replicas().stream().anyMatch(r -> r.nodeId() == SELF)).toList();
    }

    @Override
    public synchronized Optional<PartitionView> partition(PartitionId id) {
        return Optional.ofNullable(partitions.get(id));
    }

    @Override
    public synchronized void transferLeadership(PartitionId id, OptionalInt target) {
        PartitionView p = partitions.get(id);
        if (p == null) {
            throw AdminApiException.notFound("Partition " + id + " not found");
        }
        List<Integer> nodes = p.replicas().stream().map(ReplicaAssignment::nodeId).toList();
        int to;
        if (target.isPresent()) {
            if (!nodes.contains(target.getAsInt())) {
                throw AdminApiException.badRequest("Node " + target.getAsInt() + " is not a replica of " + id);
            }
            to = target.getAsInt();
        } else {
            to = nodes.get((nodes.indexOf(p.leaderId()) + 1) % nodes.size());
        }
        partitions.put(id, p.withLeader(to));
    }

    @Override
    public synchronized Map<String, Object> clusterConfig(boolean includeDefaults) {
        Map<String, Object> out = new TreeMap<>();
        if (includeDefaults) {
            properties.forEach((k, v) -> out.put(k, v.dflt()));
        }
        out.putAll(overrides);
        return out;
    }

    @Override
    public synchronized long applyClusterConfig(ClusterConfigPatch patch) {
        lastPatch = patch;
        Map<String, String> errors = new TreeMap<>();
        patch.upsert().forEach((k, v) -> {
            Property p = properties.get(k);
            if (p == null) {
                errors.put(k, "unknown property");
            } else {
                String why = p.check().apply(v);
                if (why != null) {
                    errors.put(k, why);
                }
            }
        });
        patch.remove().forEach(k -> {
            if (!properties.containsKey(k)) {
                errors.put(k, "unknown property");
            }
        });
        if (!errors.isEmpty()) {
            throw new ConfigValidationException(errors);
        }
        if (patch.dryRun()) {
            return configVersion;
        }
        patch.upsert().forEach((k, v) -> {
            if (java.util.Objects.equals(v, properties.get(k).dflt())) {
                overrides.remove(k);
            } else {
                overrides.put(k, v);
            }
        });
        patch.remove().forEach(overrides::remove);
        return ++configVersion;
    }

    @Override
    public synchronized Map<String, ConfigPropertySchema> clusterConfigSchema() {
        Map<String, ConfigPropertySchema> out = new TreeMap<>();
        properties.forEach((k, v) -> out.put(k, v.schema()));
        return out;
    }

    @Override
    public synchronized List<ConfigNodeStatus> clusterConfigStatus() {
        return membership.keySet().stream()
                .map(id -> new ConfigNodeStatus(id, false, configVersion, List.of(), List.of())).toList();
    }

    @Override
    public Map<String, Object> nodeConfig() {
        return Map.of("node_id", SELF, "data_directory", Map.of("path", "/var/lib/ailurus/data"),
                "kafka_api", List.of(Map.of("address", "0.0.0.0", "port", 9092)));
    }

    @Override
    public FeatureSet features() {
        return new FeatureSet(3, List.of(
                new FeatureSet.Feature("idempotent_producer", FeatureSet.State.ACTIVE, true),
                new FeatureSet.Feature("transactions", FeatureSet.State.AVAILABLE, false)));
    }
}
