package io.ailurus.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.testing.Clients;
import io.ailurus.core.testing.EmbeddedBroker;
import io.ailurus.core.testing.RawKafkaConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Kafka's Admin client against the broker: topics, configs, partitions, records, cluster and log dirs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminIntegrationTest {
    private static final long TIMEOUT_S = 30;

    @TempDir
    static Path dir;
    EmbeddedBroker broker;
    Admin admin;

    @BeforeAll
    void start() throws Exception {
        broker = new EmbeddedBroker(dir).start();
        admin = Clients.admin(broker.bootstrap());
    }

    @AfterAll
    void stop() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(10));
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static <T> T get(KafkaFuture<T> f) throws Exception {
        return f.get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    /** The cause of the admin call's failure, which must be of {@code type}. */
    private static <E extends Throwable> E failure(Class<E> type, KafkaFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(TIMEOUT_S, TimeUnit.SECONDS));
        return assertInstanceOf(type, e.getCause());
    }

    private void create(String name, int partitions, Map<String, String> configs) throws Exception {
        get(admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all());
    }

    private Map<String, ConfigEntry> topicConfig(String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config c = get(admin.describeConfigs(List.of(r)).all()).get(r);
        Map<String, ConfigEntry> out = new java.util.HashMap<>();
        c.entries().forEach(e -> out.put(e.name(), e));
        return out;
    }

    private List<RecordMetadata> produce(String topic, int partition, int n, int valueBytes) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (var p = Clients.producer(broker.bootstrap(), Map.of(ProducerConfig.LINGER_MS_CONFIG, 5))) {
            for (int i = 0; i < n; i++) {
                acks.add(p.send(new ProducerRecord<>(topic, partition, null, new byte[valueBytes])));
            }
        }
        List<RecordMetadata> out = new ArrayList<>();
        for (var f : acks) {
            out.add(f.get(TIMEOUT_S, TimeUnit.SECONDS));
        }
        return out;
    }

    @Test
    void createTopicWithPartitionsAndConfigsThenDescribeByNameAndById() throws Exception {
        var result = admin.createTopics(List.of(new NewTopic("described", 3, (short) 1)
            .configs(Map.of("retention.ms", "3600000", "cleanup.policy", "compact"))));
        get(result.all());
        assertEquals(3, get(result.numPartitions("described")));
        assertEquals(1, get(result.replicationFactor("described")));
        Uuid id = get(result.topicId("described"));
        assertNotEquals(Uuid.ZERO_UUID, id);

        TopicDescription byName = get(admin.describeTopics(List.of("described")).allTopicNames()).get("described");
        assertEquals(id, byName.topicId());
        assertEquals(3, byName.partitions().size());
        byName.partitions().forEach(p -> {
            assertEquals(0, p.leader().id());
            assertEquals(1, p.replicas().size());
            assertEquals(1, p.isr().size());
        });
        TopicDescription byId = get(admin.describeTopics(TopicCollection.ofTopicIds(List.of(id))).allTopicIds()).get(id);
        assertEquals("described", byId.name());
        assertEquals(3, byId.partitions().size());

        Map<String, ConfigEntry> configs = topicConfig("described");
        assertEquals("3600000", configs.get("retention.ms").value());
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, configs.get("retention.ms").source());
        assertEquals("compact", configs.get("cleanup.policy").value());
        assertNotEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, configs.get("segment.bytes").source(),
            "a config not set on the topic shows its default");

        assertTrue(get(admin.listTopics().names()).contains("described"));
        failure(UnknownTopicOrPartitionException.class, admin.describeTopics(List.of("no-such-topic")).allTopicNames());
        failure(UnknownTopicIdException.class,
            admin.describeTopics(TopicCollection.ofTopicIds(List.of(Uuid.randomUuid()))).allTopicIds());
    }

    @Test
    void createTopicRejectsWhatKafkaRejects() throws Exception {
        for (String bad : List.of("bad/name", "..", "with space", "x".repeat(250))) {
            failure(InvalidTopicException.class, admin.createTopics(List.of(new NewTopic(bad, 1, (short) 1))).all());
        }
        failure(InvalidReplicationFactorException.class,
            admin.createTopics(List.of(new NewTopic("too-many-replicas", 1, (short) 3))).all());
        create("taken", 1, Map.of());
        failure(TopicExistsException.class, admin.createTopics(List.of(new NewTopic("taken", 1, (short) 1))).all());
        failure(InvalidConfigurationException.class, admin.createTopics(List.of(new NewTopic("bad-config", 1, (short) 1)
            .configs(Map.of("retention.ms", "not-a-number")))).all());
        failure(InvalidConfigurationException.class, admin.createTopics(List.of(new NewTopic("unknown-config", 1, (short) 1)
            .configs(Map.of("no.such.config", "1")))).all());
        failure(InvalidPartitionsException.class, admin.createTopics(List.of(new NewTopic("zero-partitions", 0, (short) 1))).all());
        failure(InvalidReplicaAssignmentException.class, admin.createTopics(List.of(new NewTopic("unknown-broker",
            Map.of(0, List.of(0), 1, List.of(5))))).all());
        // An explicit assignment naming this broker is fine.
        get(admin.createTopics(List.of(new NewTopic("assigned", Map.of(0, List.of(0), 1, List.of(0))))).all());
        assertEquals(2, get(admin.describeTopics(List.of("assigned")).allTopicNames()).get("assigned").partitions().size());

        Collection<String> names = get(admin.listTopics().names());
        for (String never : List.of("too-many-replicas", "bad-config", "unknown-config", "zero-partitions", "unknown-broker")) {
            assertFalse(names.contains(never), never + " must not have been created");
        }
    }

    @Test
    void validateOnlyCreatesNothing() throws Exception {
        var result = admin.createTopics(List.of(new NewTopic("validated", 5, (short) 1)),
            new CreateTopicsOptions().validateOnly(true));
        get(result.all());
        assertEquals(5, get(result.numPartitions("validated")));
        assertFalse(get(admin.listTopics().names()).contains("validated"));
        failure(InvalidReplicationFactorException.class, admin.createTopics(
            List.of(new NewTopic("validated", 1, (short) 3)), new CreateTopicsOptions().validateOnly(true)).all());
    }

    @Test
    void incrementalAlterConfigsSetDeleteAppendSubtract() throws Exception {
        create("altered", 1, Map.of());
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, "altered");
        String defaultRetention = topicConfig("altered").get("retention.ms").value();

        get(admin.incrementalAlterConfigs(Map.of(r, List.of(
            new AlterConfigOp(new ConfigEntry("retention.ms", "7200000"), AlterConfigOp.OpType.SET)))).all());
        assertEquals("7200000", topicConfig("altered").get("retention.ms").value());

        get(admin.incrementalAlterConfigs(Map.of(r, List.of(
            new AlterConfigOp(new ConfigEntry("retention.ms", null), AlterConfigOp.OpType.DELETE)))).all());
        assertEquals(defaultRetention, topicConfig("altered").get("retention.ms").value());
        assertNotEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, topicConfig("altered").get("retention.ms").source());

        // APPEND starts from the effective value (the default "delete").
        get(admin.incrementalAlterConfigs(Map.of(r, List.of(
            new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND)))).all());
        assertEquals("delete,compact", topicConfig("altered").get("cleanup.policy").value());
        get(admin.incrementalAlterConfigs(Map.of(r, List.of(
            new AlterConfigOp(new ConfigEntry("cleanup.policy", "delete"), AlterConfigOp.OpType.SUBTRACT)))).all());
        assertEquals("compact", topicConfig("altered").get("cleanup.policy").value());

        failure(InvalidConfigurationException.class, admin.incrementalAlterConfigs(Map.of(r, List.of(
            new AlterConfigOp(new ConfigEntry("retention.ms", "soon"), AlterConfigOp.OpType.SET)))).all());
        assertEquals(defaultRetention, topicConfig("altered").get("retention.ms").value(), "a refused change changes nothing");
        failure(UnknownTopicOrPartitionException.class, admin.incrementalAlterConfigs(Map.of(
            new ConfigResource(ConfigResource.Type.TOPIC, "no-such-topic"), List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET)))).all());
    }

    /**
     * The legacy AlterConfigs API (Kafka 4's Admin client no longer sends it, older tools still do):
     * the overrides named replace all others.
     */
    @Test
    void alterConfigsReplacesEveryOverride() throws Exception {
        create("replaced", 1, Map.of("retention.ms", "1234567", "max.message.bytes", "200000"));
        AlterConfigsRequestData request = new AlterConfigsRequestData();
        var resource = new AlterConfigsRequestData.AlterConfigsResource()
            .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("replaced");
        resource.configs().add(new AlterConfigsRequestData.AlterableConfig().setName("max.message.bytes").setValue("300000"));
        request.resources().add(resource);
        short version = ApiKeys.ALTER_CONFIGS.latestVersion();
        try (RawKafkaConnection raw = new RawKafkaConnection("127.0.0.1", broker.broker().kafkaAddress().getPort(),
                Duration.ofSeconds(TIMEOUT_S))) {
            raw.sendFrame(raw.encode(ApiKeys.ALTER_CONFIGS, version, request));
            AlterConfigsResponseData response = new AlterConfigsResponseData(
                new ByteBufferAccessor(raw.receive(ApiKeys.ALTER_CONFIGS, version)), version);
            assertEquals(Errors.NONE.code(), response.responses().get(0).errorCode(), response.responses().get(0).errorMessage());
        }
        Map<String, ConfigEntry> after = topicConfig("replaced");
        assertEquals("300000", after.get("max.message.bytes").value());
        assertNotEquals("1234567", after.get("retention.ms").value(), "an override not named is removed");
        assertNotEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, after.get("retention.ms").source());
    }

    @Test
    void describeConfigsOfTheBroker() throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.BROKER, "0");
        Config c = get(admin.describeConfigs(List.of(r)).all()).get(r);
        assertEquals("false", c.get("auto_create_topics_enabled").value());
        assertEquals("1", c.get("default_topic_partitions").value());
    }

    @Test
    void createPartitionsGrowsATopicAndTheNewPartitionsWork() throws Exception {
        create("growing", 2, Map.of());
        get(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(4))).all());
        assertEquals(4, get(admin.describeTopics(List.of("growing")).allTopicNames()).get("growing").partitions().size());
        assertEquals(0, produce("growing", 3, 5, 10).get(0).offset());
        assertEquals(5, Clients.readFromStart(broker.bootstrap(), List.of(new TopicPartition("growing", 3)), 5,
            Duration.ofSeconds(30)).size());
        failure(InvalidPartitionsException.class, admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(3))).all());
        failure(UnknownTopicOrPartitionException.class,
            admin.createPartitions(Map.of("no-such-topic", NewPartitions.increaseTo(3))).all());
    }

    @Test
    void aDeletedTopicRecreatedUnderTheSameNameHasNoOldData() throws Exception {
        create("reborn", 1, Map.of());
        Uuid first = get(admin.describeTopics(List.of("reborn")).allTopicNames()).get("reborn").topicId();
        produce("reborn", 0, 50, 10);
        get(admin.deleteTopics(List.of("reborn")).all());
        assertFalse(get(admin.listTopics().names()).contains("reborn"));
        failure(UnknownTopicOrPartitionException.class, admin.deleteTopics(List.of("reborn")).all());

        create("reborn", 1, Map.of());
        Uuid second = get(admin.describeTopics(List.of("reborn")).allTopicNames()).get("reborn").topicId();
        assertNotEquals(first, second);
        TopicPartition tp = new TopicPartition("reborn", 0);
        try (var c = Clients.consumer(broker.bootstrap(), Map.of())) {
            assertEquals(0L, c.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp));
        }
        assertEquals(0, produce("reborn", 0, 1, 10).get(0).offset());
        var read = Clients.readFromStart(broker.bootstrap(), List.of(tp), 1, Duration.ofSeconds(30));
        assertEquals(1, read.size());

        // Deletion by topic id: the old id is gone already, the current one deletes the topic.
        failure(UnknownTopicIdException.class, admin.deleteTopics(TopicCollection.ofTopicIds(List.of(first))).all());
        get(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(second))).all());
        assertFalse(get(admin.listTopics().names()).contains("reborn"));
    }

    @Test
    void deleteRecordsMovesTheLogStartAndConsumersStartThere() throws Exception {
        create("trimmed", 1, Map.of());
        produce("trimmed", 0, 100, 10);
        TopicPartition tp = new TopicPartition("trimmed", 0);
        var low = get(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(40))).lowWatermarks().get(tp));
        assertEquals(40, low.lowWatermark());
        try (var c = Clients.consumer(broker.bootstrap(), Map.of())) {
            assertEquals(40L, c.beginningOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp));
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            var got = Clients.pollUntil(c, Duration.ofSeconds(30), m -> m.values().stream().mapToInt(List::size).sum() >= 60);
            assertEquals(60, got.get(0).size());
            assertEquals(40, got.get(0).get(0).offset());

            // Fetching a deleted offset is out of range (auto.offset.reset=earliest then lands on the
            // log start), never a way to read deleted records.
            c.seek(tp, 10);
            var again = Clients.pollUntil(c, Duration.ofSeconds(30), m -> !m.isEmpty());
            assertEquals(40, again.get(0).get(0).offset());
        }
        // Lookups never answer with a deleted offset: by time, the oldest match is the new log start.
        assertEquals(40, get(admin.listOffsets(Map.of(tp, OffsetSpec.forTimestamp(0))).partitionResult(tp)).offset());
        assertEquals(40, get(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp)).offset());
        failure(org.apache.kafka.common.errors.OffsetOutOfRangeException.class,
            admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(1000))).lowWatermarks().get(tp));
    }

    @Test
    void describeClusterNamesThisBroker() throws Exception {
        DescribeClusterResult d = admin.describeCluster();
        String clusterId = get(d.clusterId());
        assertNotNull(clusterId);
        assertFalse(clusterId.isEmpty());
        var nodes = get(d.nodes());
        assertEquals(1, nodes.size());
        var node = nodes.iterator().next();
        assertEquals(0, node.id());
        assertEquals(broker.broker().kafkaAddress().getPort(), node.port());
        assertEquals(0, get(d.controller()).id());
    }

    @Test
    void describeLogDirsListsThePartitionsWithTheirSizes() throws Exception {
        create("on-disk", 2, Map.of());
        produce("on-disk", 1, 100, 100);
        Map<String, LogDirDescription> dirs = get(admin.describeLogDirs(List.of(0)).allDescriptions()).get(0);
        assertEquals(1, dirs.size());
        var entry = dirs.entrySet().iterator().next();
        assertEquals(dir.toAbsolutePath().toString(), entry.getKey());
        LogDirDescription d = entry.getValue();
        assertTrue(d.totalBytes().isPresent() && d.totalBytes().getAsLong() > 0);
        assertTrue(d.usableBytes().isPresent() && d.usableBytes().getAsLong() > 0);
        var replicas = d.replicaInfos();
        assertTrue(replicas.get(new TopicPartition("on-disk", 1)).size() >= 100 * 100,
            "partition 1 holds its records: " + replicas.get(new TopicPartition("on-disk", 1)).size());
        assertTrue(replicas.containsKey(new TopicPartition("on-disk", 0)));

        var some = get(admin.describeReplicaLogDirs(List.of(
            new org.apache.kafka.common.TopicPartitionReplica("on-disk", 1, 0))).all());
        assertEquals(dir.toAbsolutePath().toString(), some.values().iterator().next().getCurrentReplicaLogDir());
    }

    @Test
    void segmentAndRetentionChangesReachTheStorageWithoutARestart() throws Exception {
        create("retained", 1, Map.of());
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, "retained");
        TopicPartition tp = new TopicPartition("retained", 0);
        // Small segments first: the writes below must roll into several files.
        get(admin.incrementalAlterConfigs(Map.of(r, List.of(
            new AlterConfigOp(new ConfigEntry("segment.bytes", Integer.toString(1 << 20)), AlterConfigOp.OpType.SET)))).all());
        produce("retained", 0, 5000, 1000); // ~5 MiB
        try (var c = Clients.consumer(broker.bootstrap(), Map.of())) {
            assertEquals(0L, c.beginningOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp));
        }
        get(admin.incrementalAlterConfigs(Map.of(r, List.of(
            new AlterConfigOp(new ConfigEntry("retention.bytes", Integer.toString(2 << 20)), AlterConfigOp.OpType.SET)))).all());
        long start = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (var c = Clients.consumer(broker.bootstrap(), Map.of())) {
            while (start == 0 && System.nanoTime() < deadline) {
                start = c.beginningOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
                if (start == 0) {
                    Thread.sleep(100);
                }
            }
            assertTrue(start > 0, "old segments were deleted after retention.bytes shrank");
            assertEquals(5000L, c.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp));
            // What is left is at most the retained size plus the active segment.
            assertTrue(5000 - start <= 4 * 1024, "records left: " + (5000 - start));
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            var got = Clients.pollUntil(c, Duration.ofSeconds(30), m -> !m.isEmpty());
            assertEquals(start, got.get(0).get(0).offset());
        }
    }
}
