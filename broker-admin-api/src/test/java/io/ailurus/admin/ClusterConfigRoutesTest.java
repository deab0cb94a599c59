package io.ailurus.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cluster config read, patch and validation, schema, status, and node config over real HTTP. */
class ClusterConfigRoutesTest {

    private AdminServerFixture admin;

    @BeforeEach
    void start() throws Exception {
        admin = new AdminServerFixture();
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    @Test
    void getIncludesDefaultsUnlessAskedNotTo() throws Exception {
        JsonNode all = AdminServerFixture.json(admin.get("/v1/cluster_config"));
        assertEquals(604_800_000L, all.get("log_retention_ms").asLong());
        assertEquals(5, all.size());
        assertTrue(all.get("kafka_rpc_server_tcp_recv_buf").isNull());

        JsonNode changedOnly = AdminServerFixture.json(admin.get("/v1/cluster_config?include_defaults=false"));
        assertEquals(0, changedOnly.size(), changedOnly.toString());

        assertEquals(400, admin.get("/v1/cluster_config?include_defaults=maybe").statusCode());
    }

    @Test
    void getOneKeyAndUnknownKeyIs400() throws Exception {
        JsonNode one = AdminServerFixture.json(admin.get("/v1/cluster_config?key=log_compression_type"));
        assertEquals(1, one.size());
        assertEquals("producer", one.get("log_compression_type").asText());

        HttpResponse<String> unknown = admin.get("/v1/cluster_config?key=no_such_property");
        assertEquals(400, unknown.statusCode());
        assertTrue(AdminServerFixture.json(unknown).get("message").asText().contains("no_such_property"));
    }

    @Test
    void putUpsertsAndRemovesAndReturnsNewVersion() throws Exception {
        HttpResponse<String> r = admin.put("/v1/cluster_config",
                "{\"upsert\": {\"log_retention_ms\": 3600000, \"auto_create_topics_enabled\": true}}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(2, AdminServerFixture.json(r).get("config_version").asLong());

        JsonNode changed = AdminServerFixture.json(admin.get("/v1/cluster_config?include_defaults=false"));
        assertEquals(3_600_000L, changed.get("log_retention_ms").asLong());
        assertTrue(changed.get("auto_create_topics_enabled").asBoolean());
        assertEquals(2, changed.size());

        HttpResponse<String> removed = admin.put("/v1/cluster_config", "{\"remove\": [\"log_retention_ms\"]}");
        assertEquals(3, AdminServerFixture.json(removed).get("config_version").asLong());
        assertEquals(604_800_000L,
                AdminServerFixture.json(admin.get("/v1/cluster_config")).get("log_retention_ms").asLong());

        // Every node's status shows the version just written.
        JsonNode status = AdminServerFixture.json(admin.get("/v1/cluster_config/status"));
        assertEquals(3, status.size());
        for (JsonNode node : status) {
            assertEquals(3, node.get("config_version").asLong());
            assertFalse(node.get("restart").asBoolean());
            assertEquals(0, node.get("invalid").size());
            assertEquals(0, node.get("unknown").size());
        }
        assertEquals(1, status.get(0).get("node_id").asInt());
    }

    @Test
    void unknownKeyIsRejectedWithTheReasonAndNothingIsApplied() throws Exception {
        HttpResponse<String> r = admin.put("/v1/cluster_config",
                "{\"upsert\": {\"log_retention_ms\": 1000, \"no_such_property\": 1}}");
        assertEquals(400, r.statusCode());
        JsonNode body = AdminServerFixture.json(r);
        assertEquals(400, body.get("code").asInt());
        assertEquals("unknown property", body.get("errors").get("no_such_property").asText());
        assertTrue(body.get("message").asText().contains("no_such_property: unknown property"), body.toString());
        // All or nothing: the valid property in the same patch was not applied either.
        assertEquals(604_800_000L,
                AdminServerFixture.json(admin.get("/v1/cluster_config")).get("log_retention_ms").asLong());
    }

    @Test
    void badValuesAreRejectedPerProperty() throws Exception {
        HttpResponse<String> r = admin.put("/v1/cluster_config",
                "{\"upsert\": {\"default_topic_replications\": 2, \"log_compression_type\": \"brotli\","
                        + " \"auto_create_topics_enabled\": \"yes\"}, \"remove\": [\"ghost\"]}");
        assertEquals(400, r.statusCode());
        JsonNode errors = AdminServerFixture.json(r).get("errors");
        assertEquals(4, errors.size(), errors.toString());
        assertTrue(errors.get("default_topic_replications").asText().contains("odd"));
        assertTrue(errors.get("log_compression_type").asText().contains("zstd"));
        assertTrue(errors.get("auto_create_topics_enabled").asText().contains("boolean"));
        assertEquals("unknown property", errors.get("ghost").asText());
    }

    @Test
    void malformedPatchShapesAre400BeforeReachingTheBackend() throws Exception {
        String[] bad = {
            "[1, 2]",
            "{\"upsert\": [\"log_retention_ms\"]}",
            "{\"remove\": \"log_retention_ms\"}",
            "{\"remove\": [1]}",
            "{\"upsert\": {}, \"delete\": []}",
            "{\"upsert\": {\"log_retention_ms\": 1}, \"remove\": [\"log_retention_ms\"]}",
            "{\"upsert\": {\"a\": 1, \"a\": 2}}",
        };
        for (String body : bad) {
            HttpResponse<String> r = admin.put("/v1/cluster_config", body);
            assertEquals(400, r.statusCode(), body + " -> " + r.body());
            assertEquals(400, AdminServerFixture.json(r).get("code").asInt());
        }
        assertNull(admin.backend.lastPatch, "no malformed patch may reach the backend");
    }

    @Test
    void dryRunValidatesButAppliesNothing() throws Exception {
        HttpResponse<String> ok = admin.put("/v1/cluster_config?dry_run=1", "{\"upsert\": {\"log_retention_ms\": 5}}");
        assertEquals(200, ok.statusCode());
        assertTrue(admin.backend.lastPatch.dryRun());
        assertEquals(1, AdminServerFixture.json(ok).get("config_version").asLong());
        assertEquals(604_800_000L,
                AdminServerFixture.json(admin.get("/v1/cluster_config")).get("log_retention_ms").asLong());
        assertEquals(400, admin.put("/v1/cluster_config?dry_run=1", "{\"upsert\": {\"x\": 5}}").statusCode());
    }

    @Test
    void nullValueReachesTheBackendAsNull() throws Exception {
        HttpResponse<String> r = admin.put("/v1/cluster_config", "{\"upsert\": {\"kafka_rpc_server_tcp_recv_buf\": null}}");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(admin.backend.lastPatch.upsert().containsKey("kafka_rpc_server_tcp_recv_buf"));
        assertNull(admin.backend.lastPatch.upsert().get("kafka_rpc_server_tcp_recv_buf"));
    }

    @Test
    void schemaDescribesEveryProperty() throws Exception {
        JsonNode props = AdminServerFixture.json(admin.get("/v1/cluster_config/schema")).get("properties");
        assertEquals(5, props.size());
        JsonNode retention = props.get("log_retention_ms");
        assertEquals("integer", retention.get("type").asText());
        assertEquals("ms", retention.get("units").asText());
        assertEquals(604_800_000L, retention.get("default").asLong());
        assertFalse(retention.get("needs_restart").asBoolean());
        assertFalse(retention.get("is_secret").asBoolean());
        assertEquals("user", retention.get("visibility").asText());
        assertFalse(retention.has("enum_values"), "null fields are omitted: " + retention);
        assertEquals(6, props.get("log_compression_type").get("enum_values").size());
        assertTrue(props.get("kafka_rpc_server_tcp_recv_buf").get("needs_restart").asBoolean());
        assertTrue(props.get("kafka_rpc_server_tcp_recv_buf").get("nullable").asBoolean());
    }

    @Test
    void nodeConfigIsTheNodesOwnSettings() throws Exception {
        JsonNode n = AdminServerFixture.json(admin.get("/v1/node_config"));
        assertEquals(1, n.get("node_id").asInt());
        assertEquals("/var/lib/ailurus/data", n.get("data_directory").get("path").asText());
        assertEquals(9092, n.get("kafka_api").get(0).get("port").asInt());
    }
}
