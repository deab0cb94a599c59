package io.ailurus.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.testing.ChildProcess;
import io.ailurus.core.testing.Clients;
import io.ailurus.core.testing.EmbeddedBroker;
import io.ailurus.core.testing.KafkaTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Kafka's own command-line tools, each in a child JVM as its shell script would start it:
 * kafka-topics ({@code TopicCommand}), kafka-configs ({@code kafka.admin.ConfigCommand}),
 * kafka-console-producer and kafka-console-consumer. Their effects are checked with the Admin client
 * and the Java producer/consumer, not just their exit codes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaCliIntegrationTest {
    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final String TOPICS = "org.apache.kafka.tools.TopicCommand";
    private static final String CONFIGS = "kafka.admin.ConfigCommand";
    private static final String CONSOLE_PRODUCER = "org.apache.kafka.tools.ConsoleProducer";
    private static final String CONSOLE_CONSUMER = "org.apache.kafka.tools.consumer.ConsoleConsumer";
    private static final String GET_OFFSETS = "org.apache.kafka.tools.GetOffsetShell";
    private static final String DELETE_RECORDS = "org.apache.kafka.tools.DeleteRecordsCommand";
    private static final String LOG_DIRS = "org.apache.kafka.tools.LogDirsCommand";

    @TempDir
    static Path dir;
    EmbeddedBroker broker;
    KafkaTool tool;
    Admin admin;

    @BeforeAll
    void start() throws Exception {
        broker = new EmbeddedBroker(dir.resolve("data")).start();
        tool = new KafkaTool(dir);
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

    private ChildProcess.Result ok(String mainClass, String... args) throws Exception {
        return ok(mainClass, new byte[0], args);
    }

    private ChildProcess.Result ok(String mainClass, byte[] stdin, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", broker.bootstrap()));
        all.addAll(List.of(args));
        ChildProcess.Result r = tool.run(mainClass, stdin, LIMIT, all.toArray(String[]::new));
        assertEquals(0, r.exitCode(), mainClass + " " + String.join(" ", args) + " failed\nstdout:\n" + r.stdout()
            + "\nstderr:\n" + r.stderr());
        return r;
    }

    private TopicDescription describe(String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
    }

    private Config topicConfig(String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
    }

    @Test
    void kafkaTopicsCreatesDescribesAltersListsAndDeletes() throws Exception {
        ChildProcess.Result created = ok(TOPICS, "--create", "--topic", "cli-topic", "--partitions", "3",
            "--replication-factor", "1", "--config", "retention.ms=3600000");
        assertTrue(created.stdout().contains("Created topic cli-topic."), created.stdout());
        assertEquals(3, describe("cli-topic").partitions().size());
        assertEquals("3600000", topicConfig("cli-topic").get("retention.ms").value());

        ChildProcess.Result described = ok(TOPICS, "--describe", "--topic", "cli-topic");
        assertTrue(described.stdout().contains("PartitionCount: 3"), described.stdout());
        assertTrue(described.stdout().contains("ReplicationFactor: 1"), described.stdout());
        assertTrue(described.stdout().contains("retention.ms=3600000"), described.stdout());
        for (int p = 0; p < 3; p++) {
            assertTrue(described.stdout().contains("Partition: " + p + "\tLeader: 0\tReplicas: 0\tIsr: 0"), described.stdout());
        }

        ok(TOPICS, "--alter", "--topic", "cli-topic", "--partitions", "5");
        assertEquals(5, describe("cli-topic").partitions().size());

        ChildProcess.Result listed = ok(TOPICS, "--list");
        assertTrue(listed.lines().contains("cli-topic"), listed.stdout());

        // An existing topic: kafka-topics reports the error and exits non-zero.
        ChildProcess.Result again = tool.run(TOPICS, LIMIT, "--bootstrap-server", broker.bootstrap(),
            "--create", "--topic", "cli-topic", "--partitions", "1");
        assertFalse(again.exitCode() == 0, "creating an existing topic fails");
        assertTrue((again.stdout() + again.stderr()).contains("already exists"), again.stdout() + again.stderr());

        ok(TOPICS, "--delete", "--topic", "cli-topic");
        assertFalse(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("cli-topic"));
    }

    @Test
    void kafkaConfigsAltersAndDescribesTopicConfigs() throws Exception {
        Clients.createTopic(broker.bootstrap(), "cli-configs", 1, Map.of());
        ok(CONFIGS, "--entity-type", "topics", "--entity-name", "cli-configs", "--alter",
            "--add-config", "retention.ms=7200000,max.message.bytes=200000");
        Config after = topicConfig("cli-configs");
        assertEquals("7200000", after.get("retention.ms").value());
        assertEquals("200000", after.get("max.message.bytes").value());
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, after.get("retention.ms").source());

        ChildProcess.Result described = ok(CONFIGS, "--entity-type", "topics", "--entity-name", "cli-configs", "--describe");
        assertTrue(described.stdout().contains("retention.ms=7200000"), described.stdout());
        assertTrue(described.stdout().contains("max.message.bytes=200000"), described.stdout());

        ok(CONFIGS, "--entity-type", "topics", "--entity-name", "cli-configs", "--alter", "--delete-config", "retention.ms");
        Config deleted = topicConfig("cli-configs");
        assertFalse(deleted.get("retention.ms").source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG,
            "retention.ms is back to its default");
        assertEquals("200000", deleted.get("max.message.bytes").value());

        // A value the broker refuses: the tool fails and nothing changes.
        ChildProcess.Result bad = tool.run(CONFIGS, LIMIT, "--bootstrap-server", broker.bootstrap(), "--entity-type", "topics",
            "--entity-name", "cli-configs", "--alter", "--add-config", "retention.ms=forever");
        assertFalse(bad.exitCode() == 0, "an invalid value fails: " + bad.stdout());
        assertEquals("200000", topicConfig("cli-configs").get("max.message.bytes").value());
    }

    @Test
    void consoleProducerWritesWhatItReadsOnStdin() throws Exception {
        Clients.createTopic(broker.bootstrap(), "cli-produced", 1, Map.of());
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            input.append("key").append(i).append(':').append("line ").append(i).append(" from the console\n");
        }
        ok(CONSOLE_PRODUCER, input.toString().getBytes(StandardCharsets.UTF_8), "--topic", "cli-produced",
            "--reader-property", "parse.key=true", "--reader-property", "key.separator=:", "--producer-property", "acks=all");
        var read = Clients.readFromStart(broker.bootstrap(), Clients.partitions("cli-produced", 1), 100, Duration.ofSeconds(30));
        assertEquals(100, read.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, read.get(i).offset());
            assertEquals("key" + i, new String(read.get(i).key(), StandardCharsets.UTF_8));
            assertEquals("line " + i + " from the console", new String(read.get(i).value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void consoleConsumerPrintsAPartitionFromTheStart() throws Exception {
        Clients.createTopic(broker.bootstrap(), "cli-consumed", 2, Map.of());
        List<String> expected = new ArrayList<>();
        try (var producer = Clients.producer(broker.bootstrap(), Map.of())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                acks.add(producer.send(new ProducerRecord<>("cli-consumed", 0, ("k" + i).getBytes(), ("v" + i).getBytes())));
                acks.add(producer.send(new ProducerRecord<>("cli-consumed", 1, ("other" + i).getBytes(), ("x" + i).getBytes())));
                expected.add("k" + i + ":v" + i);
            }
            for (var f : acks) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        ChildProcess.Result r = ok(CONSOLE_CONSUMER, "--topic", "cli-consumed", "--partition", "0", "--offset", "earliest",
            "--max-messages", "50", "--formatter-property", "print.key=true", "--formatter-property", "key.separator=:");
        assertEquals(expected, r.lines());
    }

    /** kafka-get-offsets, kafka-delete-records and kafka-log-dirs: ListOffsets, DeleteRecords, DescribeLogDirs. */
    @Test
    void offsetRecordAndLogDirTools() throws Exception {
        Clients.createTopic(broker.bootstrap(), "cli-offsets", 2, Map.of());
        try (var producer = Clients.producer(broker.bootstrap(), Map.of())) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>("cli-offsets", i % 2, null, ("r" + i).getBytes()));
            }
            producer.flush();
        }
        ChildProcess.Result latest = ok(GET_OFFSETS, "--topic", "cli-offsets", "--time", "-1");
        assertEquals(List.of("cli-offsets:0:15", "cli-offsets:1:15"), latest.lines().stream().sorted().toList());

        Path plan = dir.resolve("delete-records.json");
        java.nio.file.Files.writeString(plan,
            "{\"version\":1,\"partitions\":[{\"topic\":\"cli-offsets\",\"partition\":1,\"offset\":10}]}");
        ChildProcess.Result deleted = ok(DELETE_RECORDS, "--offset-json-file", plan.toString());
        assertTrue(deleted.stdout().contains("low_watermark: 10"), deleted.stdout());
        ChildProcess.Result earliest = ok(GET_OFFSETS, "--topic", "cli-offsets", "--time", "-2");
        assertEquals(List.of("cli-offsets:0:0", "cli-offsets:1:10"), earliest.lines().stream().sorted().toList());

        ChildProcess.Result dirs = ok(LOG_DIRS, "--describe", "--broker-list", "0", "--topic-list", "cli-offsets");
        String json = dirs.lines().stream().filter(l -> l.startsWith("{")).findFirst().orElseThrow(
            () -> new AssertionError("no JSON in kafka-log-dirs output:\n" + dirs.stdout()));
        var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        var logDir = root.get("brokers").get(0).get("logDirs").get(0);
        assertEquals(dir.resolve("data").toAbsolutePath().toString(), logDir.get("logDir").asText());
        assertEquals(2, logDir.get("partitions").size());
        logDir.get("partitions").forEach(p -> assertTrue(p.get("size").asLong() > 0, p.toString()));
    }
}
