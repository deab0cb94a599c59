package io.ailurus.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.ailurus.core.testing.EmbeddedBroker;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's end-to-end check: a real Prometheus (the Debian {@code prometheus} package) scrapes a
 * real broker's {@code /public_metrics} and its query API returns what Kafka clients did. This
 * proves more than parsing our own text: Prometheus accepts the exposition (content type, TYPE
 * lines, counter names ending in {@code _total}) and stores the samples under the names the docs
 * promise. Skipped, saying why, where {@code /usr/bin/prometheus} is not installed.
 */
class PrometheusScrapeEndToEndTest {
    private static final int RECORDS = 37;
    private static final Duration SCRAPED_WITHIN = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private PrometheusServer prometheus;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PrometheusServer.BINARY),
            PrometheusServer.BINARY + " is not installed (apt-get install prometheus); skipping the real-Prometheus scrape test");
        broker = new EmbeddedBroker(Files.createDirectory(dir.resolve("broker"))).start();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (prometheus != null) {
                prometheus.close();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    @Test
    void realPrometheusScrapesPublicMetricsAndAnswersQueries() throws Exception {
        produce(RECORDS);

        Path promDir = Files.createDirectory(dir.resolve("prometheus"));
        prometheus = PrometheusServer.start(writeConfig(promDir), promDir, Duration.ofSeconds(30));

        JsonNode produced = awaitNonEmpty("ailurus_kafka_records_produced_total");
        assertEquals("success", produced.path("status").asText(), produced.toString());
        JsonNode result = produced.path("data").path("result");
        assertEquals(1, result.size(), "one broker, one series: " + result);
        assertEquals("ailurus", result.get(0).path("metric").path("job").asText(), "scraped by the configured job: " + result);
        assertEquals(RECORDS, sampleValue(result.get(0)), "Prometheus stored the produced-records counter: " + result);

        JsonNode up = awaitNonEmpty("up{job=\"ailurus\"}");
        assertEquals("success", up.path("status").asText(), up.toString());
        assertEquals(1, up.path("data").path("result").size(), up.toString());
        assertEquals(1, sampleValue(up.path("data").path("result").get(0)), "the scrape target is up: " + up);
    }

    private void produce(int records) throws Exception {
        try (Admin admin = Admin.create(broker.clientProps())) {
            admin.createTopics(List.of(new NewTopic("scraped", 1, (short) 1))).all().get();
        }
        Properties pp = broker.clientProps();
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>("scraped", ("v" + i).getBytes())).get();
            }
        }
    }

    /** A scrape config for this broker's admin port, every second (the default minute would make the test slow). */
    private Path writeConfig(Path promDir) throws Exception {
        int adminPort = URI.create(broker.adminUrl()).getPort();
        Path config = promDir.resolve("prometheus.yml");
        Files.writeString(config, """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: ailurus
                metrics_path: /public_metrics
                static_configs:
                  - targets: ["127.0.0.1:%d"]
            """.formatted(adminPort));
        return config;
    }

    /**
     * Polls (bounded) until the query returns at least one series, i.e. Prometheus has scraped the
     * broker; the caller then asserts on the value, so a wrong number fails at once with the value
     * rather than as a timeout.
     */
    private JsonNode awaitNonEmpty(String promql) throws Exception {
        long deadline = System.nanoTime() + SCRAPED_WITHIN.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            if (!prometheus.isAlive()) {
                fail("Prometheus exited; its log:\n" + prometheus.logTail());
            }
            last = prometheus.query(promql);
            if ("success".equals(last.path("status").asText()) && !last.path("data").path("result").isEmpty()) {
                return last;
            }
            Thread.sleep(250);
        }
        return fail("no result for " + promql + " within " + SCRAPED_WITHIN + "; last reply " + last
            + "\nPrometheus log:\n" + prometheus.logTail());
    }

    /** An instant-vector sample is {@code "value": [<unix time>, "<number as string>"]}. */
    private static double sampleValue(JsonNode series) {
        JsonNode value = series.path("value");
        assertTrue(value.isArray() && value.size() == 2, "instant sample: " + series);
        return Double.parseDouble(value.get(1).asText());
    }
}
