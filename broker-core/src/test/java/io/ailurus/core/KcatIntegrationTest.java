package io.ailurus.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ailurus.core.testing.ChildProcess;
import io.ailurus.core.testing.Clients;
import io.ailurus.core.testing.EmbeddedBroker;
import io.ailurus.core.testing.Kcat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * librdkafka, through the {@code kcat} binary, against the broker: metadata, producing keyed
 * records with every codec (read back by the Java consumer), consuming what the Java producer wrote,
 * and offsets by timestamp.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KcatIntegrationTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    EmbeddedBroker broker;
    Kcat kcat;

    @BeforeAll
    void start() throws Exception {
        broker = new EmbeddedBroker(dir).start();
        kcat = new Kcat(broker.bootstrap());
        System.out.println("kcat: " + Kcat.version().trim());
    }

    @AfterAll
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static void assertSucceeded(ChildProcess.Result r) {
        assertEquals(0, r.exitCode(), "kcat failed; stderr:\n" + r.stderr());
    }

    @Test
    void metadataNamesTheBrokerAndTheTopicsPartitions() throws Exception {
        Clients.createTopic(broker.bootstrap(), "kc-meta", 3, Map.of());
        ChildProcess.Result r = kcat.run(LIMIT, "-L", "-J", "-t", "kc-meta");
        assertSucceeded(r);
        JsonNode md = new ObjectMapper().readTree(r.stdout());
        JsonNode brokers = md.get("brokers");
        assertEquals(1, brokers.size());
        assertEquals(0, brokers.get(0).get("id").asInt());
        assertEquals(broker.bootstrap(), brokers.get(0).get("name").asText());
        JsonNode topic = md.get("topics").get(0);
        assertEquals("kc-meta", topic.get("topic").asText());
        assertEquals(3, topic.get("partitions").size());
        for (JsonNode p : topic.get("partitions")) {
            assertEquals(0, p.get("leader").asInt());
            assertEquals(1, p.get("isrs").size());
        }
    }

    /**
     * kcat produces keyed lines with a codec, librdkafka's idempotent producer and its murmur2
     * partitioner (the Java client's algorithm); the Java consumer must read every key/value, in order, in the partition Java's
     * partitioner would have chosen.
     */
    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void kcatProducesKeyedRecordsWithEveryCodecAndJavaReadsThem(String codec) throws Exception {
        String topic = "kc-in-" + codec;
        int partitions = 4;
        int n = 300;
        Clients.createTopic(broker.bootstrap(), topic, partitions, Map.of());
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < n; i++) {
            input.append("key-").append(i % 37).append(':').append("value-").append(i).append('-').append(codec).append('\n');
        }
        ChildProcess.Result r = kcat.run(input.toString().getBytes(StandardCharsets.UTF_8), LIMIT,
            "-P", "-t", topic, "-K:", "-z", codec, "-X", "partitioner=murmur2_random", "-X", "linger.ms=20",
            "-X", "enable.idempotence=true");
        assertSucceeded(r);

        var read = Clients.readFromStart(broker.bootstrap(), Clients.partitions(topic, partitions), n, LIMIT);
        assertEquals(n, read.size());
        Map<Integer, Integer> lastIndexByPartition = new HashMap<>();
        for (var rec : read) {
            String key = new String(rec.key(), StandardCharsets.UTF_8);
            String value = new String(rec.value(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("value-(\\d+)-" + codec).matcher(value);
            assertTrue(m.matches(), value);
            int i = Integer.parseInt(m.group(1));
            assertEquals("key-" + (i % 37), key);
            assertEquals(Utils.toPositive(Utils.murmur2(rec.key())) % partitions, rec.partition(),
                "librdkafka's murmur2 partitioner agrees with the Java client's for " + key);
            Integer before = lastIndexByPartition.put(rec.partition(), i);
            assertTrue(before == null || before < i, "per-partition order: " + before + " then " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "zstd"})
    void javaProducesAndKcatReadsExactlyThat(String codec) throws Exception {
        String topic = "kc-out-" + codec;
        Clients.createTopic(broker.bootstrap(), topic, 1, Map.of());
        int n = 150;
        List<String> expected = new ArrayList<>();
        try (var producer = Clients.producer(broker.bootstrap(), Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec,
                ProducerConfig.LINGER_MS_CONFIG, 20))) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String key = "k" + i;
                String value = "java-value-" + i + "-" + "x".repeat(i % 50);
                acks.add(producer.send(new ProducerRecord<>(topic, 0, key.getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8))));
                expected.add(i + "|" + key + "|" + value);
            }
            for (var f : acks) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        ChildProcess.Result r = kcat.run(LIMIT, "-C", "-t", topic, "-p", "0", "-o", "beginning", "-e", "-q",
            "-f", "%o|%k|%s\\n");
        assertSucceeded(r);
        assertEquals(expected, r.lines());
    }

    @Test
    void offsetsByTimestamp() throws Exception {
        String topic = "kc-times";
        Clients.createTopic(broker.bootstrap(), topic, 1, Map.of());
        long t0 = System.currentTimeMillis() - TimeUnit.MINUTES.toMillis(10);
        try (var producer = Clients.producer(broker.bootstrap(), Map.of(ProducerConfig.LINGER_MS_CONFIG, 50,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"))) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, 0, t0 + 1000L * i, null, ("v" + i).getBytes())));
            }
            for (var f : acks) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        assertEquals(26, offsetForTime(topic, t0 + 25_500));
        assertEquals(10, offsetForTime(topic, t0 + 10_000));
        assertEquals(0, offsetForTime(topic, t0 - 5_000));
    }

    private long offsetForTime(String topic, long timestamp) throws Exception {
        ChildProcess.Result r = kcat.run(LIMIT, "-Q", "-t", topic + ":0:" + timestamp);
        assertSucceeded(r);
        Matcher m = Pattern.compile("\\[0\\]\\s+offset\\s+(-?\\d+)").matcher(r.stdout());
        assertTrue(m.find(), "kcat -Q output: " + r.stdout());
        return Long.parseLong(m.group(1));
    }
}
