package io.ailurus.admin.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The documented public meters ({@code docs/metrics.md}), created once with fixed names so the
 * broker cannot misspell them. The broker records into the handles returned here and binds its
 * gauges with {@link #bindBrokerGauges} and {@link #bindDataDirectory}.
 */
public final class PublicMetrics implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PublicMetrics.class);

    // Micrometer names; the Prometheus names in docs/metrics.md follow from the naming convention
    // (dots to underscores, base unit appended, _total for counters).
    static final String REQUEST_LATENCY = "ailurus.kafka.request.latency";
    static final String REQUEST_BYTES = "ailurus.kafka.request.bytes";
    static final String REQUEST_ERRORS = "ailurus.kafka.request.errors";
    static final String RECORDS_PRODUCED = "ailurus.kafka.records.produced";
    static final String RECORDS_FETCHED = "ailurus.kafka.records.fetched";
    static final String LEADERSHIP_CHANGES = "ailurus.raft.leadership.changes";
    static final String GROUP_LAG_MAX = "ailurus.kafka.consumer.group.lag.max";
    static final String GROUP_LAG_SUM = "ailurus.kafka.consumer.group.lag.sum";
    static final String GROUP_PARTITION_LAG = "ailurus.kafka.consumer.group.partition.lag";

    /** Upper bounds of the latency histogram buckets (plus +Inf), 100 µs to 10 s in 1-2.5-5 steps. */
    public static final Duration[] LATENCY_BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
        Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
    };

    private final MeterRegistry registry;
    private final Map<KafkaRequestKind, Timer> latency = new EnumMap<>(KafkaRequestKind.class);
    private final Map<KafkaRequestKind, Counter> bytes = new EnumMap<>(KafkaRequestKind.class);
    private final Map<KafkaRequestKind, Counter> errors = new EnumMap<>(KafkaRequestKind.class);
    private final Counter recordsProduced;
    private final Counter recordsFetched;
    private final Counter leadershipChanges;
    private final MultiGauge groupLagMax;
    private final MultiGauge groupLagSum;
    private final MultiGauge groupPartitionLag;
    private final AtomicReference<BrokerGauges> brokerGauges = new AtomicReference<>();
    private final AtomicReference<FileStore> dataStore = new AtomicReference<>();
    private final List<Gauge> boundGauges = new ArrayList<>();

    PublicMetrics(MeterRegistry registry, String version, String revision) {
        this.registry = registry;
        for (KafkaRequestKind kind : KafkaRequestKind.values()) {
            latency.put(kind, Timer.builder(REQUEST_LATENCY)
                    .description("Latency of Kafka produce and consume requests, from decode to response")
                    .tag("request", kind.label())
                    // Fixed buckets so Prometheus can compute p50/p99 across brokers with
                    // histogram_quantile; 16 of them rather than Micrometer's ~90 keeps scrapes small.
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry));
            bytes.put(kind, Counter.builder(REQUEST_BYTES)
                    .description("Bytes of record data produced to or fetched from this broker")
                    .baseUnit("bytes")
                    .tag("request", kind.label())
                    .register(registry));
            errors.put(kind, Counter.builder(REQUEST_ERRORS)
                    .description("Kafka produce and consume requests answered with an error")
                    .tag("request", kind.label())
                    .register(registry));
        }
        recordsProduced = Counter.builder(RECORDS_PRODUCED)
                .description("Records appended by produce requests on this broker").register(registry);
        recordsFetched = Counter.builder(RECORDS_FETCHED)
                .description("Records returned by fetch requests on this broker").register(registry);
        leadershipChanges = Counter.builder(LEADERSHIP_CHANGES)
                .description("Times a partition on this broker gained or lost Raft leadership").register(registry);
        groupLagMax = MultiGauge.builder(GROUP_LAG_MAX)
                .description("Largest lag (log end offset minus committed offset) over a group's partitions")
                .register(registry);
        groupLagSum = MultiGauge.builder(GROUP_LAG_SUM)
                .description("Sum of lags over a group's partitions").register(registry);
        groupPartitionLag = MultiGauge.builder(GROUP_PARTITION_LAG)
                .description("High watermark minus the group's committed offset, per group, topic and partition")
                .register(registry);
        Gauge.builder("ailurus.application.build", () -> 1)
                .description("Always 1; the labels say which build is running")
                .tags("version", version, "revision", revision)
                .register(registry);
        TimeGauge.builder("ailurus.application.uptime", ManagementFactory.getRuntimeMXBean(),
                        TimeUnit.MILLISECONDS, rt -> rt.getUptime())
                .description("Time since the broker process started")
                .register(registry);
    }

    /** Latency of one produce or consume request; record with {@link Timer#record(long, TimeUnit)}. */
    public Timer kafkaRequestLatency(KafkaRequestKind kind) {
        return latency.get(kind);
    }

    /** Record bytes produced (PRODUCE) or fetched (CONSUME). */
    public Counter kafkaRequestBytes(KafkaRequestKind kind) {
        return bytes.get(kind);
    }

    /** Requests answered with an error code. */
    public Counter kafkaRequestErrors(KafkaRequestKind kind) {
        return errors.get(kind);
    }

    public Counter recordsProduced() {
        return recordsProduced;
    }

    public Counter recordsFetched() {
        return recordsFetched;
    }

    /** Increment when a partition on this node becomes or stops being leader. */
    public Counter raftLeadershipChanges() {
        return leadershipChanges;
    }

    /**
     * Binds the cluster gauges to the broker. Call once at start-up; a later call replaces the
     * source (e.g. after a restart of the broker's core inside the same process).
     */
    public synchronized void bindBrokerGauges(BrokerGauges gauges) {
        Objects.requireNonNull(gauges, "gauges");
        if (brokerGauges.getAndSet(gauges) != null) {
            return;
        }
        gauge("ailurus.cluster.brokers", "Brokers registered in the cluster", Tags.empty(), BrokerGauges::clusterBrokers);
        gauge("ailurus.cluster.topics", "Topics in the cluster", Tags.empty(), BrokerGauges::clusterTopics);
        gauge("ailurus.cluster.partitions", "Partitions in the cluster, all topics", Tags.empty(),
                BrokerGauges::clusterPartitions);
        gauge("ailurus.cluster.unavailable.partitions", "Partitions without a leader", Tags.empty(),
                BrokerGauges::clusterUnavailablePartitions);
        gauge("ailurus.kafka.under.replicated.replicas", "Replicas on this node behind their leader", Tags.empty(),
                BrokerGauges::underReplicatedReplicas);
        gauge("ailurus.raft.leaders", "Partitions this node leads", Tags.empty(), BrokerGauges::raftLeaders);
        gauge("ailurus.rpc.active.connections", "Open client connections", Tags.of("server", "kafka"),
                BrokerGauges::kafkaConnections);
    }

    private void gauge(String name, String description, Tags tags, ToLongFunction<BrokerGauges> value) {
        boundGauges.add(Gauge.builder(name, brokerGauges, ref -> {
                    BrokerGauges g = ref.get();
                    return g == null ? Double.NaN : value.applyAsLong(g);
                })
                .description(description)
                .tags(tags)
                .strongReference(true)
                .register(registry));
    }

    /**
     * Publishes free and total bytes of the file system holding {@code dataDirectory}
     * ({@code ailurus_storage_disk_free_bytes}, {@code ailurus_storage_disk_total_bytes}).
     */
    public synchronized void bindDataDirectory(Path dataDirectory) throws IOException {
        FileStore store = Files.getFileStore(dataDirectory);
        if (dataStore.getAndSet(store) != null) {
            return;
        }
        boundGauges.add(Gauge.builder("ailurus.storage.disk.free", dataStore, ref -> space(ref.get(), true))
                .description("Bytes available to the broker on the data directory's file system")
                .baseUnit("bytes").strongReference(true).register(registry));
        boundGauges.add(Gauge.builder("ailurus.storage.disk.total", dataStore, ref -> space(ref.get(), false))
                .description("Size of the data directory's file system")
                .baseUnit("bytes").strongReference(true).register(registry));
    }

    private static double space(FileStore store, boolean free) {
        if (store == null) {
            return Double.NaN;
        }
        try {
            return free ? store.getUsableSpace() : store.getTotalSpace();
        } catch (IOException e) {
            log.debug("cannot read file store space of {}", store, e);
            return Double.NaN;
        }
    }

    /**
     * Replaces the consumer group lag gauges with {@code lags}: groups missing from the
     * collection disappear from the endpoint (a deleted group must not report a stale lag).
     */
    public void updateConsumerGroupLag(Collection<GroupLag> lags) {
        List<MultiGauge.Row<?>> max = new ArrayList<>();
        List<MultiGauge.Row<?>> sum = new ArrayList<>();
        for (GroupLag lag : lags) {
            max.add(MultiGauge.Row.of(Tags.of("group", lag.group()), lag.maxLag()));
            sum.add(MultiGauge.Row.of(Tags.of("group", lag.group()), lag.sumLag()));
        }
        groupLagMax.register(max, true);
        groupLagSum.register(sum, true);
    }

    /**
     * Replaces the per-partition lag gauges ({@code ailurus_kafka_consumer_group_partition_lag}) with
     * {@code lags}: rows missing from the collection disappear (a deleted group, a deleted offset).
     */
    public void updateConsumerGroupPartitionLag(Collection<PartitionLag> lags) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>(lags.size());
        for (PartitionLag lag : lags) {
            rows.add(MultiGauge.Row.of(Tags.of("group", lag.group(), "topic", lag.topic(),
                    "partition", Integer.toString(lag.partition())), lag.lag()));
        }
        groupPartitionLag.register(rows, true);
    }

    /** One group's lag on one partition: the high watermark minus its committed offset, at least 0. */
    public record PartitionLag(String group, String topic, int partition, long lag) {
        public PartitionLag {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(topic, "topic");
        }
    }

    /** One consumer group's lag over all its partitions. */
    public record GroupLag(String group, long maxLag, long sumLag) {
        public GroupLag {
            Objects.requireNonNull(group, "group");
        }
    }

    @Override
    public void close() {
        // Gauges hold strong references to the broker; drop them so a closed broker can be collected.
        brokerGauges.set(null);
        dataStore.set(null);
    }
}
