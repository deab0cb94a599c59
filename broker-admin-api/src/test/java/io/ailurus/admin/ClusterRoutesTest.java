package io.ailurus.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ailurus.admin.backend.HealthFacts;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Readiness, brokers, decommissioning, health overview and features over real HTTP. */
class ClusterRoutesTest {

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
    void readyIs200WhenServingAnd503WhileBooting() throws Exception {
        HttpResponse<String> ready = admin.get("/v1/status/ready");
        assertEquals(200, ready.statusCode());
        assertEquals("ready", AdminServerFixture.json(ready).get("status").asText());

        admin.backend.ready.set(false);
        HttpResponse<String> booting = admin.get("/v1/status/ready");
        assertEquals(503, booting.statusCode());
        assertEquals("booting", AdminServerFixture.json(booting).get("status").asText());
    }

    @Test
    void brokersListHasRedpandaFieldNames() throws Exception {
        HttpResponse<String> r = admin.get("/v1/brokers");
        assertEquals(200, r.statusCode());
        JsonNode brokers = AdminServerFixture.json(r);
        assertEquals(3, brokers.size());
        JsonNode b1 = brokers.get(0);
        assertEquals(1, b1.get("node_id").asInt());
        assertEquals(2, b1.get("num_cores").asInt());
        assertEquals("10.0.0.1", b1.get("internal_rpc_address").asText());
        assertEquals(33145, b1.get("internal_rpc_port").asInt());
        assertEquals("active", b1.get("membership_status").asText());
        assertTrue(b1.get("is_alive").asBoolean());
        assertEquals("0.1.0-test", b1.get("version").asText());
        assertEquals(1000, b1.get("disk_space").get(0).get("free").asLong());
        assertEquals(5000, b1.get("disk_space").get(0).get("total").asLong());
        assertFalse(b1.has("rack"), "a broker without a rack has no rack key: " + b1);
        assertEquals("rack-b", brokers.get(2).get("rack").asText());
    }

    @Test
    void oneBrokerByIdAndErrorsForUnknownOrMalformedIds() throws Exception {
        JsonNode b2 = AdminServerFixture.json(admin.get("/v1/brokers/2"));
        assertEquals(2, b2.get("node_id").asInt());

        HttpResponse<String> missing = admin.get("/v1/brokers/42");
        assertEquals(404, missing.statusCode());
        assertTrue(AdminServerFixture.json(missing).get("message").asText().contains("42"));

        HttpResponse<String> notANumber = admin.get("/v1/brokers/two");
        assertEquals(400, notANumber.statusCode());
        assertTrue(AdminServerFixture.json(notANumber).get("message").asText().contains("'two'"));
    }

    @Test
    void decommissionAndRecommissionChangeMembershipStatus() throws Exception {
        assertEquals(200, admin.put("/v1/brokers/3/decommission", null).statusCode());
        assertEquals("draining",
                AdminServerFixture.json(admin.get("/v1/brokers/3")).get("membership_status").asText());

        assertEquals(200, admin.put("/v1/brokers/3/recommission", null).statusCode());
        assertEquals("active",
                AdminServerFixture.json(admin.get("/v1/brokers/3")).get("membership_status").asText());

        assertEquals(404, admin.put("/v1/brokers/9/decommission", null).statusCode());
        HttpResponse<String> notDraining = admin.put("/v1/brokers/2/recommission", null);
        assertEquals(400, notDraining.statusCode());
        assertTrue(AdminServerFixture.json(notDraining).get("message").asText().contains("not being decommissioned"));
    }

    @Test
    void decommissionProgressCountsReplicasLeft() throws Exception {
        HttpResponse<String> notDraining = admin.get("/v1/brokers/3/decommission");
        assertEquals(400, notDraining.statusCode());
        assertEquals(404, admin.get("/v1/brokers/8/decommission").statusCode());

        admin.put("/v1/brokers/3/decommission", null);
        JsonNode status = AdminServerFixture.json(admin.get("/v1/brokers/3/decommission"));
        assertFalse(status.get("finished").asBoolean());
        assertEquals(4, status.get("replicas_left").asLong(), status.toString());
        assertEquals(0, status.get("allocation_failures").size());
    }

    @Test
    void healthOverviewOfHealthyCluster() throws Exception {
        JsonNode h = AdminServerFixture.json(admin.get("/v1/cluster/health_overview"));
        assertTrue(h.get("is_healthy").asBoolean(), h.toString());
        assertEquals(0, h.get("unhealthy_reasons").size());
        assertEquals(1, h.get("controller_id").asInt());
        assertEquals("[1,2,3]", h.get("all_nodes").toString());
        assertEquals("[]", h.get("nodes_down").toString());
        assertEquals(0, h.get("leaderless_count").asInt());
        assertEquals(0, h.get("under_replicated_count").asInt());
    }

    @Test
    void healthOverviewReportsDownNodesAndTruncatesLongPartitionLists() throws Exception {
        List<String> leaderless = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            leaderless.add("kafka/orders/" + i);
        }
        admin.backend.health.set(new HealthFacts(-1, List.of(3, 1, 2), List.of(3), List.of(2), leaderless,
                List.of("kafka/audit/0")));
        JsonNode h = AdminServerFixture.json(admin.get("/v1/cluster/health_overview"));
        assertFalse(h.get("is_healthy").asBoolean());
        assertEquals("[\"controller_unavailable\",\"nodes_down\",\"leaderless_partitions\",\"under_replicated_partitions\"]",
                h.get("unhealthy_reasons").toString());
        assertEquals(-1, h.get("controller_id").asInt());
        assertEquals("[1,2,3]", h.get("all_nodes").toString());
        assertEquals("[3]", h.get("nodes_down").toString());
        assertEquals("[2]", h.get("high_disk_usage_nodes").toString());
        assertEquals(128, h.get("leaderless_partitions").size());
        assertEquals(300, h.get("leaderless_count").asInt());
        assertEquals("kafka/audit/0", h.get("under_replicated_partitions").get(0).asText());
        assertEquals(1, h.get("under_replicated_count").asInt());
        // The down node shows as not alive in the broker list too.
        assertFalse(AdminServerFixture.json(admin.get("/v1/brokers/3")).get("is_alive").asBoolean());
    }

    @Test
    void featuresListClusterVersionAndStates() throws Exception {
        JsonNode f = AdminServerFixture.json(admin.get("/v1/features"));
        assertEquals(3, f.get("cluster_version").asLong());
        assertEquals("idempotent_producer", f.get("features").get(0).get("name").asText());
        assertEquals("active", f.get("features").get(0).get("state").asText());
        assertTrue(f.get("features").get(0).get("was_active").asBoolean());
        assertEquals("available", f.get("features").get(1).get("state").asText());
    }
}
