package io.ailurus.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ailurus.core.testing.EmbeddedBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API served by a real broker: Redpanda-shaped JSON over real state, 4xx on bad input,
 * and cluster config changes that go through the controller, change what the broker does, and
 * survive a restart.
 */
class AdminApiIntegrationTest {
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
    void readyBrokersAndHealthDescribeTheRunningBroker() throws Exception {
        AdminHttp.Reply ready = http.get("/v1/status/ready");
        assertEquals(200, ready.status());
        assertEquals("ready", ready.json().get("status").asText());

        JsonNode brokers = http.get("/v1/brokers").json();
        assertEquals(1, brokers.size());
        JsonNode self = brokers.get(0);
        assertEquals(0, self.get("node_id").asInt());
        assertEquals(2, self.get("num_cores").asInt());
        assertTrue(self.get("is_alive").asBoolean());
        assertEquals("active", self.get("membership_status").asText());
        assertEquals(broker.broker().rpcAddress().getPort(), self.get("internal_rpc_port").asInt());
        assertEquals(dir.toAbsolutePath().normalize().toString(), self.get("disk_space").get(0).get("path").asText());
        assertTrue(self.get("disk_space").get(0).get("free").asLong() > 0);

        assertEquals(0, http.get("/v1/brokers/0").json().get("node_id").asInt());
        assertEquals(404, http.get("/v1/brokers/7").status());
        assertEquals(400, http.get("/v1/brokers/seven").status());

        JsonNode health = http.get("/v1/cluster/health_overview").json();
        assertTrue(health.get("is_healthy").asBoolean(), health.toString());
        assertEquals(0, health.get("controller_id").asInt());
        assertEquals("[0]", health.get("all_nodes").toString());

        JsonNode node = http.get("/v1/node_config").json();
        assertEquals(0, node.get("node_id").asInt());
        assertEquals("127.0.0.1", node.get("kafka_api").get(0).get("address").asText());
        assertEquals(dir.toAbsolutePath().normalize().toString(), node.get("data_directory").get("path").asText());
    }

    @Test
    void partitionsComeFromTheControllerAndThePartitionManager() throws Exception {
        try (Admin admin = Admin.create(broker.clientProps())) {
            admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1))).all().get();
        }
        JsonNode all = http.get("/v1/partitions").json();
        assertEquals(3, all.size());
        for (int p = 0; p < 3; p++) {
            JsonNode e = all.get(p);
            assertEquals("kafka", e.get("ns").asText());
            assertEquals("orders", e.get("topic").asText());
            assertEquals(p, e.get("partition_id").asInt());
            assertEquals(0, e.get("leader_id").asInt());
            assertTrue(e.get("core").asInt() >= 0 && e.get("core").asInt() < 2);
        }
        JsonNode one = http.get("/v1/partitions/kafka/orders/1").json();
        assertEquals(0, one.get("leader_id").asInt());
        assertEquals("done", one.get("status").asText());
        assertEquals(0, one.get("replicas").get(0).get("node_id").asInt());

        assertEquals(404, http.get("/v1/partitions/kafka/orders/3").status());
        assertEquals(404, http.get("/v1/partitions/kafka/nope/0").status());
        assertEquals(404, http.get("/v1/partitions/redpanda/orders/0").status());
        AdminHttp.Reply transfer = http.post("/v1/partitions/kafka/orders/0/transfer_leadership");
        assertEquals(400, transfer.status());
        assertTrue(transfer.json().get("message").asText().contains("single replica"), transfer.body());
        assertEquals(400, http.put("/v1/brokers/0/decommission", "").status());
        assertEquals(404, http.put("/v1/brokers/5/decommission", "").status());
    }

    @Test
    void clusterConfigChangesGoThroughTheControllerChangeBehaviourAndSurviveARestart() throws Exception {
        JsonNode before = http.get("/v1/cluster_config").json();
        assertFalse(before.get("auto_create_topics_enabled").asBoolean(), "off by default, as in Redpanda");
        assertTrue(before.get("log_retention_ms").isIntegralNumber());
        assertEquals(0, http.get("/v1/cluster_config?include_defaults=false").json().size());
        long v0 = http.get("/v1/cluster_config/status").json().get(0).get("config_version").asLong();

        // Auto-creation is off: asking a producer for an unknown topic's partitions creates nothing.
        assertThrows(org.apache.kafka.common.errors.TimeoutException.class, () -> partitionsFor("auto-off"));

        AdminHttp.Reply put = http.put("/v1/cluster_config",
            "{\"upsert\":{\"auto_create_topics_enabled\":true,\"default_topic_partitions\":4}}");
        assertEquals(200, put.status(), put.body());
        long v1 = put.json().get("config_version").asLong();
        assertTrue(v1 > v0, v0 + " -> " + v1);
        JsonNode status = http.get("/v1/cluster_config/status").json().get(0);
        assertEquals(v1, status.get("config_version").asLong());
        assertEquals(0, status.get("node_id").asInt());
        assertTrue(http.get("/v1/cluster_config?key=auto_create_topics_enabled").json()
            .get("auto_create_topics_enabled").asBoolean());

        // Now the same request creates the topic, with the new default partition count.
        assertEquals(4, partitionsFor("auto-on").size());

        broker.stop();
        broker.start();
        http = new AdminHttp(broker.adminUrl());
        JsonNode after = http.get("/v1/cluster_config?include_defaults=false").json();
        assertTrue(after.get("auto_create_topics_enabled").asBoolean(), after.toString());
        assertEquals(4, after.get("default_topic_partitions").asInt());
        assertEquals(4, partitionsFor("auto-after-restart").size());

        // remove: back to the default, and auto-creation is off again.
        assertEquals(200, http.put("/v1/cluster_config", "{\"remove\":[\"auto_create_topics_enabled\"]}").status());
        assertThrows(org.apache.kafka.common.errors.TimeoutException.class, () -> partitionsFor("auto-off-again"));
        try (Admin admin = Admin.create(broker.clientProps())) {
            var names = admin.listTopics().names().get();
            assertTrue(names.contains("auto-on") && names.contains("auto-after-restart"), names.toString());
            assertFalse(names.contains("auto-off") || names.contains("auto-off-again"), names.toString());
        }
    }

    @Test
    void badConfigPatchesAreRejectedWithReasonsAndChangeNothing() throws Exception {
        AdminHttp.Reply unknown = http.put("/v1/cluster_config",
            "{\"upsert\":{\"log_retention_msx\":1,\"log_retention_ms\":5}}");
        assertEquals(400, unknown.status());
        JsonNode errors = unknown.json().get("errors");
        assertTrue(errors.get("log_retention_msx").asText().startsWith("unknown property"), unknown.body());
        assertTrue(errors.get("log_retention_msx").asText().contains("log_retention_ms"), "suggests the close name");
        assertFalse(errors.has("log_retention_ms"));

        AdminHttp.Reply badValue = http.put("/v1/cluster_config", "{\"upsert\":{\"default_topic_partitions\":\"many\"}}");
        assertEquals(400, badValue.status());
        assertTrue(badValue.json().get("errors").get("default_topic_partitions").asText().contains("integer"), badValue.body());

        // Each fine alone, inconsistent together: min above max.
        AdminHttp.Reply inconsistent = http.put("/v1/cluster_config",
            "{\"upsert\":{\"group_min_session_timeout_ms\":900000,\"group_max_session_timeout_ms\":1000}}");
        assertEquals(400, inconsistent.status(), inconsistent.body());

        assertEquals(400, http.put("/v1/cluster_config", "{\"remove\":[\"no_such_thing\"]}").status());
        assertEquals(400, http.put("/v1/cluster_config", "not json").status());

        AdminHttp.Reply dry = http.put("/v1/cluster_config?dry_run=1", "{\"upsert\":{\"log_retention_ms\":60000}}");
        assertEquals(200, dry.status());

        assertEquals(0, http.get("/v1/cluster_config?include_defaults=false").json().size(),
            "no rejected or dry-run change was applied");
        JsonNode schema = http.get("/v1/cluster_config/schema").json().get("properties");
        assertEquals("integer", schema.get("log_retention_ms").get("type").asText());
        assertEquals("ms", schema.get("log_retention_ms").get("units").asText());
        assertEquals("boolean", schema.get("auto_create_topics_enabled").get("type").asText());
        assertEquals("array", schema.get("log_cleanup_policy").get("type").asText());
    }

    private List<?> partitionsFor(String topic) {
        Properties p = broker.clientProps();
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "3000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            return producer.partitionsFor(topic);
        }
    }
}
