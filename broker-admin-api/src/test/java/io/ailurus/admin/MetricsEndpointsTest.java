package io.ailurus.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.admin.metrics.BrokerGauges;
import io.ailurus.admin.metrics.KafkaRequestKind;
import io.ailurus.admin.metrics.PublicMetrics;
import io.micrometer.core.instrument.Counter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /public_metrics and /metrics: well-formed Prometheus text with the registered meters. */
class MetricsEndpointsTest {

    private AdminServerFixture admin;

    @TempDir
    Path dataDir;

    @BeforeEach
    void start() throws Exception {
        admin = new AdminServerFixture();
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    private PrometheusText scrape(String path) throws Exception {
        HttpResponse<String> r = admin.get(path);
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("content-type").orElseThrow());
        return PrometheusText.parse(r.body());
    }

    @Test
    void publicMetricsCarryWhatTheBrokerRecorded() throws Exception {
        PublicMetrics pm = admin.metrics.publicMetrics();
        pm.kafkaRequestLatency(KafkaRequestKind.PRODUCE).record(3, TimeUnit.MILLISECONDS);
        pm.kafkaRequestLatency(KafkaRequestKind.PRODUCE).record(40, TimeUnit.MILLISECONDS);
        pm.kafkaRequestBytes(KafkaRequestKind.PRODUCE).increment(4096);
        pm.kafkaRequestBytes(KafkaRequestKind.CONSUME).increment(1024);
        pm.recordsProduced().increment(17);
        pm.raftLeadershipChanges().increment();
        pm.kafkaRequestErrors(KafkaRequestKind.CONSUME).increment(2);
        pm.bindBrokerGauges(new FixedGauges());
        pm.bindDataDirectory(dataDir);
        pm.updateConsumerGroupLag(List.of(new PublicMetrics.GroupLag("billing", 40, 55)));

        PrometheusText t = scrape("/public_metrics");
        assertEquals("histogram", t.types.get("ailurus_kafka_request_latency_seconds"));
        Map<String, String> produce = Map.of("request", "produce");
        assertEquals(2, t.value("ailurus_kafka_request_latency_seconds_count", produce));
        assertEquals(0.043, t.value("ailurus_kafka_request_latency_seconds_sum", produce), 1e-9);
        assertEquals(2, t.value("ailurus_kafka_request_latency_seconds_bucket", Map.of("request", "produce", "le", "+Inf")));
        // Buckets are cumulative: the 3 ms request is below a 5 ms-ish bound, the 40 ms one is not.
        long under10ms = t.samples.stream()
                .filter(s -> s.name().equals("ailurus_kafka_request_latency_seconds_bucket")
                        && "produce".equals(s.labels().get("request"))
                        && !s.labels().get("le").equals("+Inf") && Double.parseDouble(s.labels().get("le")) <= 0.01)
                .mapToLong(s -> (long) s.value()).max().orElseThrow();
        assertEquals(1, under10ms);
        assertEquals(0, t.value("ailurus_kafka_request_latency_seconds_count", Map.of("request", "consume")));

        assertEquals("counter", t.types.get("ailurus_kafka_request_bytes_total"));
        assertEquals(4096, t.value("ailurus_kafka_request_bytes_total", produce));
        assertEquals(1024, t.value("ailurus_kafka_request_bytes_total", Map.of("request", "consume")));
        assertEquals(17, t.value("ailurus_kafka_records_produced_total", Map.of()));
        assertEquals(1, t.value("ailurus_raft_leadership_changes_total", Map.of()));
        assertEquals(2, t.value("ailurus_kafka_request_errors_total", Map.of("request", "consume")));

        assertEquals(3, t.value("ailurus_cluster_brokers", Map.of()));
        assertEquals(5, t.value("ailurus_cluster_topics", Map.of()));
        assertEquals(24, t.value("ailurus_cluster_partitions", Map.of()));
        assertEquals(1, t.value("ailurus_cluster_unavailable_partitions", Map.of()));
        assertEquals(2, t.value("ailurus_kafka_under_replicated_replicas", Map.of()));
        assertEquals(8, t.value("ailurus_raft_leaders", Map.of()));
        assertEquals(11, t.value("ailurus_rpc_active_connections", Map.of("server", "kafka")));
        assertEquals(40, t.value("ailurus_kafka_consumer_group_lag_max", Map.of("group", "billing")));
        assertEquals(55, t.value("ailurus_kafka_consumer_group_lag_sum", Map.of("group", "billing")));

        double free = t.value("ailurus_storage_disk_free_bytes", Map.of());
        double total = t.value("ailurus_storage_disk_total_bytes", Map.of());
        assertTrue(free > 0 && total >= free, free + " / " + total);
        assertEquals(1, t.value("ailurus_application_build", Map.of("version", "0.1.0-test", "revision", "abc123")));
        assertTrue(t.value("ailurus_application_uptime_seconds", Map.of()) > 0);

        // Only our stable names: no JVM or admin-server internals leak into the public endpoint.
        for (String family : t.types.keySet()) {
            assertTrue(family.startsWith("ailurus_"), family);
            assertFalse(family.startsWith("ailurus_admin_"), family);
        }
    }

    @Test
    void consumerGroupsThatDisappearStopBeingReported() throws Exception {
        PublicMetrics pm = admin.metrics.publicMetrics();
        pm.updateConsumerGroupLag(List.of(new PublicMetrics.GroupLag("a", 1, 1), new PublicMetrics.GroupLag("b", 2, 3)));
        pm.updateConsumerGroupLag(List.of(new PublicMetrics.GroupLag("b", 7, 9)));
        PrometheusText t = scrape("/public_metrics");
        assertEquals(7, t.value("ailurus_kafka_consumer_group_lag_max", Map.of("group", "b")));
        assertTrue(t.samples.stream().noneMatch(s -> "a".equals(s.labels().get("group"))), "group a is gone");
    }

    @Test
    void partitionLagRowsAreReplacedWhole() throws Exception {
        PublicMetrics pm = admin.metrics.publicMetrics();
        pm.updateConsumerGroupPartitionLag(List.of(new PublicMetrics.PartitionLag("a", "t", 0, 5),
            new PublicMetrics.PartitionLag("a", "t", 1, 6)));
        pm.updateConsumerGroupPartitionLag(List.of(new PublicMetrics.PartitionLag("a", "t", 1, 2)));
        PrometheusText t = scrape("/public_metrics");
        assertEquals(2, t.value("ailurus_kafka_consumer_group_partition_lag",
            Map.of("group", "a", "topic", "t", "partition", "1")));
        assertTrue(t.samples.stream().noneMatch(s -> "0".equals(s.labels().get("partition"))), "partition 0's row is gone");
    }

    @Test
    void publicRegistryRefusesNamesOutsideThePrefix() throws Exception {
        Counter stray = Counter.builder("jvm.sneaky").register(admin.metrics.publicRegistry());
        stray.increment();
        assertFalse(scrape("/public_metrics").hasFamily("jvm_sneaky"));
    }

    @Test
    void internalMetricsHaveJvmProcessAndAdminRequestMeters() throws Exception {
        admin.get("/v1/brokers");
        admin.get("/v1/brokers/77");
        Counter.builder("ailurus.storage.fsync.batches").register(admin.metrics.internalRegistry()).increment(5);

        PrometheusText t = scrape("/metrics");
        for (String family : List.of("jvm_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total", "jvm_threads_live_threads",
                "system_cpu_count", "process_uptime_seconds", "jvm_classes_loaded_classes")) {
            assertTrue(t.hasFamily(family), "missing " + family + " in " + t.types.keySet());
        }
        assertEquals(5, t.value("ailurus_storage_fsync_batches_total", Map.of()));
        assertEquals(1, t.value("ailurus_admin_http_requests_seconds_count",
                Map.of("route", "/v1/brokers/{id}", "status", "404", "method", "GET")));
        assertTrue(t.value("ailurus_admin_http_requests_seconds_count",
                Map.of("route", "/v1/brokers", "status", "200", "method", "GET")) >= 1);
        assertFalse(t.hasFamily("ailurus_kafka_request_latency_seconds"), "public meters stay on /public_metrics");
    }

    @Test
    void parserRejectsMalformedText() {
        // The checks above mean something only if the parser can say no.
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("foo 1\n"));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("# TYPE foo gauge\nfoo{a=\"1} 1\n"));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("# TYPE foo gauge\nfoo one\n"));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("# TYPE foo gauge\nfoo{a=1} 1\n"));
        assertEquals(2.5, PrometheusText.parse("# TYPE foo gauge\nfoo{a=\"x\\\"y\",b=\"z\"} 2.5\n")
                .value("foo", Map.of("a", "x\\\"y")));
    }

    /** Fixed values so the scrape can be checked exactly. */
    private static final class FixedGauges implements BrokerGauges {
        public long clusterBrokers() { return 3; }
        public long clusterTopics() { return 5; }
        public long clusterPartitions() { return 24; }
        public long clusterUnavailablePartitions() { return 1; }
        public long underReplicatedReplicas() { return 2; }
        public long raftLeaders() { return 8; }
        public long kafkaConnections() { return 11; }
    }
}
