package io.ailurus.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.testing.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scrapes a real broker's {@code /public_metrics} and {@code /metrics} over HTTP before and after
 * real clients produce and fetch, and checks that the counters moved by exactly what was sent and
 * that the histograms got samples.
 */
class BrokerMetricsIntegrationTest {
    private static final int RECORDS = 60;
    private static final int VALUE_BYTES = 200;
    private static final Map<String, String> PRODUCE = Map.of("request", "produce");
    private static final Map<String, String> CONSUME = Map.of("request", "consume");
    private static final Map<String, String> TOPIC = Map.of("topic", "metered");

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private AdminHttp http;

    @BeforeEach
    void start() throws Exception {
        broker = new EmbeddedBroker(dir).start();
        http = new AdminHttp(broker.adminUrl());
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void produceAndFetchMoveTheCountersByWhatWasSent() throws Exception {
        PrometheusScrape before = scrape("/public_metrics");
        PrometheusScrape internalBefore = scrape("/metrics");
        assertEquals("histogram", before.type("ailurus_kafka_request_latency_seconds"));
        assertEquals(0, before.value("ailurus_cluster_topics"));

        try (Admin admin = Admin.create(broker.clientProps())) {
            admin.createTopics(List.of(new NewTopic("metered", 2, (short) 1))).all().get();
        }
        Properties pp = broker.clientProps();
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        pp.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>("metered", i % 2, null, new byte[VALUE_BYTES])).get();
            }
        }
        int consumed = 0;
        Properties cp = broker.clientProps();
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = List.of(new TopicPartition("metered", 0), new TopicPartition("metered", 1));
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumed < RECORDS && System.nanoTime() < deadline) {
                consumed += consumer.poll(Duration.ofMillis(200)).count();
            }
            assertEquals(RECORDS, consumed);

            PrometheusScrape during = scrape("/public_metrics");
            assertTrue(during.value("ailurus_rpc_active_connections", Map.of("server", "kafka")) >= 1);

            // A fetch at an offset past the end is answered with OFFSET_OUT_OF_RANGE: a consume error.
            consumer.seek(tps.get(0), 10_000);
            assertThrows(OffsetOutOfRangeException.class, () -> {
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (System.nanoTime() < until) {
                    consumer.poll(Duration.ofMillis(200));
                }
            });
        }

        PrometheusScrape after = scrape("/public_metrics");
        assertEquals(RECORDS, delta(before, after, "ailurus_kafka_records_produced_total", Map.of()));
        assertEquals(RECORDS, delta(before, after, "ailurus_kafka_records_fetched_total", Map.of()));
        // Record bytes include batch and record headers, so at least the values, and not wildly more.
        double producedBytes = delta(before, after, "ailurus_kafka_request_bytes_total", PRODUCE);
        assertTrue(producedBytes >= RECORDS * VALUE_BYTES && producedBytes < RECORDS * (VALUE_BYTES + 100), "" + producedBytes);
        double fetchedBytes = delta(before, after, "ailurus_kafka_request_bytes_total", CONSUME);
        assertEquals(producedBytes, fetchedBytes, "every batch written was fetched once");

        double produceRequests = delta(before, after, "ailurus_kafka_request_latency_seconds_count", PRODUCE);
        assertTrue(produceRequests >= RECORDS, "one synchronous send per record: " + produceRequests);
        assertEquals(produceRequests, after.value("ailurus_kafka_request_latency_seconds_bucket",
            Map.of("request", "produce", "le", "+Inf")), "the +Inf bucket holds every sample");
        assertTrue(after.value("ailurus_kafka_request_latency_seconds_sum", PRODUCE) > 0);
        assertTrue(delta(before, after, "ailurus_kafka_request_latency_seconds_count", CONSUME) >= 1);
        assertEquals(0, delta(before, after, "ailurus_kafka_request_errors_total", PRODUCE));
        assertTrue(delta(before, after, "ailurus_kafka_request_errors_total", CONSUME) >= 1);

        assertEquals(1, after.value("ailurus_cluster_topics"));
        assertEquals(2, after.value("ailurus_cluster_partitions"));
        assertEquals(1, after.value("ailurus_cluster_brokers"));
        assertEquals(0, after.value("ailurus_cluster_unavailable_partitions"));
        assertEquals(2, after.value("ailurus_raft_leaders"));
        assertEquals(2, delta(before, after, "ailurus_raft_leadership_changes_total", Map.of()));
        assertTrue(after.value("ailurus_storage_disk_free_bytes") > 0);
        assertTrue(after.value("ailurus_storage_disk_total_bytes") >= after.value("ailurus_storage_disk_free_bytes"));

        PrometheusScrape internal = scrape("/metrics");
        assertEquals(RECORDS, internal.value("ailurus_kafka_topic_produced_records_total", TOPIC)
            - internalBefore.valueOrZero("ailurus_kafka_topic_produced_records_total", TOPIC));
        assertEquals(RECORDS, internal.value("ailurus_kafka_topic_fetched_records_total", TOPIC));
        assertEquals(producedBytes, internal.value("ailurus_kafka_topic_produced_bytes_total", TOPIC));
        assertTrue(internal.value("ailurus_kafka_api_requests_total", Map.of("api", "produce")) >= RECORDS);
        assertTrue(internal.value("ailurus_kafka_api_latency_seconds_count", Map.of("api", "metadata")) >= 1);
        assertTrue(internal.value("ailurus_kafka_api_errors_total", Map.of("api", "fetch")) >= 1);
        assertTrue(internal.value("ailurus_kafka_api_error_codes_total",
            Map.of("api", "fetch", "error", "offset_out_of_range")) >= 1, "the fetch error's code is counted");
        assertTrue(internal.value("ailurus_storage_fsync_latency_seconds_count") >= 1, "acks=all writes were fsynced");
        assertTrue(internal.value("ailurus_storage_fsyncs_total")
            > internalBefore.value("ailurus_storage_fsyncs_total"));
        // The controller's log plus one per partition, each at least one segment.
        assertTrue(internal.value("ailurus_storage_segments") >= 3);
        assertTrue(internal.value("ailurus_storage_log_size_bytes") >= producedBytes);
        assertTrue(internal.has("jvm_memory_used_bytes") && internal.has("jvm_gc_memory_allocated_bytes_total"));

        // Operators look names up in docs/metrics.md: every ailurus_* family of /metrics must be there
        // (a timer's _max gauge goes with its histogram, as the doc says).
        String doc = java.nio.file.Files.readString(Path.of("..", "docs", "metrics.md"));
        List<String> undocumented = internal.families().stream()
            .filter(f -> f.startsWith("ailurus_"))
            .map(f -> f.endsWith("_max") ? f.substring(0, f.length() - 4) : f)
            .filter(f -> !doc.contains("`" + f + "`") && !doc.contains("`" + f + "_total`"))
            .toList();
        assertEquals(List.of(), undocumented, "internal metrics missing from docs/metrics.md");
    }

    @Test
    void groupLagLatenciesAndErrorCodesMoveWithRealTraffic() throws Exception {
        PrometheusScrape internalBefore = scrape("/metrics");
        String group = "lagging";
        TopicPartition p0 = new TopicPartition("lagged", 0);
        TopicPartition p1 = new TopicPartition("lagged", 1);
        try (Admin admin = Admin.create(broker.clientProps())) {
            admin.createTopics(List.of(new NewTopic("lagged", 2, (short) 1))).all().get();
            // Creating it again is answered with TOPIC_ALREADY_EXISTS: an error code of CreateTopics.
            var again = admin.createTopics(List.of(new NewTopic("lagged", 2, (short) 1))).all();
            assertThrows(java.util.concurrent.ExecutionException.class, again::get);

            int sends = produce(p0, 10) + produce(p1, 4);
            Properties cp = broker.clientProps();
            cp.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.assign(List.of(p0, p1));
                consumer.commitSync(Map.of(p0, new org.apache.kafka.clients.consumer.OffsetAndMetadata(3),
                    p1, new org.apache.kafka.clients.consumer.OffsetAndMetadata(4)));
            }
            assertEquals(7, refreshedLag(group, p0));
            assertEquals(0, refreshedLag(group, p1), "committed at the high watermark");
            PrometheusScrape lag = scrape("/public_metrics");
            assertEquals(7, lag.value("ailurus_kafka_consumer_group_lag_max", Map.of("group", group)));
            assertEquals(7, lag.value("ailurus_kafka_consumer_group_lag_sum", Map.of("group", group)));

            sends += produce(p1, 5);
            assertEquals(5, refreshedLag(group, p1), "new records behind the committed offset are lag");
            assertEquals(12, scrape("/public_metrics").value("ailurus_kafka_consumer_group_lag_sum", Map.of("group", group)));

            PrometheusScrape internal = scrape("/metrics");
            // Every acks=all send is one append made durable (the controller's appends come on top).
            assertTrue(delta(internalBefore, internal, "ailurus_storage_append_latency_seconds_count", Map.of()) >= sends);
            assertTrue(internal.value("ailurus_storage_append_latency_seconds_sum") > 0);
            // CreateTopics and the offset commit went through the controller's Raft group.
            assertTrue(delta(internalBefore, internal, "ailurus_raft_commit_latency_seconds_count",
                Map.of("group", "controller")) >= 2);
            assertEquals(1, internal.value("ailurus_raft_leader_elected_total", Map.of("group", "controller")),
                "the single broker's controller won one election at start");
            assertEquals(1, delta(internalBefore, internal, "ailurus_kafka_api_error_codes_total",
                Map.of("api", "create_topics", "error", "topic_already_exists")));
            assertEquals(1, delta(internalBefore, internal, "ailurus_kafka_api_errors_total", Map.of("api", "create_topics")));
            assertTrue(internal.has("ailurus_kafka_topic_produced_records_total"));
            assertEquals(19, internal.value("ailurus_kafka_topic_produced_records_total", Map.of("topic", "lagged")));

            admin.deleteConsumerGroups(List.of(group)).all().get();
            broker.broker().admin().refreshGroupLag();
            PrometheusScrape gone = scrape("/public_metrics");
            assertEquals(0, gone.valueOrZero("ailurus_kafka_consumer_group_lag_sum", Map.of("group", group)),
                "a deleted group reports no lag");
            assertTrue(!gone.has("ailurus_kafka_consumer_group_partition_lag"), "nor any partition row");

            admin.deleteTopics(List.of("lagged")).all().get();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            boolean present;
            do {
                present = scrape("/metrics").valueOrZero("ailurus_kafka_topic_produced_records_total", Map.of("topic", "lagged")) > 0;
            } while (present && System.nanoTime() < deadline && sleep());
            assertTrue(!present, "a deleted topic's meters are removed");
        }
    }

    /** Sends {@code records} records one at a time with acks=all; returns the number of sends. */
    private int produce(TopicPartition tp, int records) throws Exception {
        Properties pp = broker.clientProps();
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        pp.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), null, new byte[VALUE_BYTES])).get();
            }
        }
        return records;
    }

    /** Forces a lag pass and reads the partition's lag row from {@code /public_metrics}. */
    private double refreshedLag(String group, TopicPartition tp) throws Exception {
        broker.broker().admin().refreshGroupLag();
        return scrape("/public_metrics").value("ailurus_kafka_consumer_group_partition_lag",
            Map.of("group", group, "topic", tp.topic(), "partition", Integer.toString(tp.partition())));
    }

    @Test
    void connectionsGaugeFollowsClientsClosing() throws Exception {
        try (Admin admin = Admin.create(broker.clientProps())) {
            admin.listTopics().names().get();
            assertTrue(scrape("/public_metrics").value("ailurus_rpc_active_connections", Map.of("server", "kafka")) >= 1);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        double open;
        do {
            open = scrape("/public_metrics").value("ailurus_rpc_active_connections", Map.of("server", "kafka"));
        } while (open > 0 && System.nanoTime() < deadline && sleep());
        assertEquals(0, open, "the closed client's connections are no longer counted");
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(50);
        return true;
    }

    private PrometheusScrape scrape(String path) throws Exception {
        AdminHttp.Reply r = http.get(path);
        assertEquals(200, r.status());
        return PrometheusScrape.parse(r.body());
    }

    private static double delta(PrometheusScrape before, PrometheusScrape after, String name, Map<String, String> labels) {
        return after.value(name, labels) - before.valueOrZero(name, labels);
    }
}
