package io.ailurus.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Partition listing, detail and leadership transfer over real HTTP. */
class PartitionRoutesTest {

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
    void listShowsOnlyThisNodesPartitionsWithItsCore() throws Exception {
        JsonNode list = AdminServerFixture.json(admin.get("/v1/partitions"));
        // Node 1 holds the three "orders" partitions but no replica of "audit".
        assertEquals(3, list.size(), list.toString());
        for (int p = 0; p < 3; p++) {
            JsonNode e = list.get(p);
            assertEquals("kafka", e.get("ns").asText());
            assertEquals("orders", e.get("topic").asText());
            assertEquals(p, e.get("partition_id").asInt());
            assertEquals(p % 2, e.get("core").asInt());
            assertTrue(e.get("materialized").asBoolean());
            assertEquals(1 + p, e.get("leader_id").asInt());
        }
    }

    @Test
    void detailHasReplicasLeaderAndRaftGroup() throws Exception {
        HttpResponse<String> r = admin.get("/v1/partitions/kafka/orders/2");
        assertEquals(200, r.statusCode());
        JsonNode p = AdminServerFixture.json(r);
        assertEquals("kafka", p.get("ns").asText());
        assertEquals("orders", p.get("topic").asText());
        assertEquals(2, p.get("partition_id").asInt());
        assertEquals("done", p.get("status").asText());
        assertEquals(3, p.get("leader_id").asInt());
        assertEquals(12, p.get("raft_group_id").asLong());
        assertEquals(3, p.get("replicas").size());
        assertEquals(1, p.get("replicas").get(0).get("node_id").asInt());
        assertEquals(0, p.get("replicas").get(0).get("core").asInt());
    }

    @Test
    void unknownPartitionTopicOrNamespaceIs404AndBadNumberIs400() throws Exception {
        assertEquals(404, admin.get("/v1/partitions/kafka/orders/7").statusCode());
        assertEquals(404, admin.get("/v1/partitions/kafka/nope/0").statusCode());
        assertEquals(404, admin.get("/v1/partitions/redpanda/orders/0").statusCode());
        assertEquals(400, admin.get("/v1/partitions/kafka/orders/-1").statusCode());
        assertEquals(400, admin.get("/v1/partitions/kafka/orders/x").statusCode());
    }

    @Test
    void transferLeadershipMovesTheLeaderToTheTarget() throws Exception {
        HttpResponse<String> r = admin.post("/v1/partitions/kafka/orders/0/transfer_leadership?target=3", null);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(3, AdminServerFixture.json(admin.get("/v1/partitions/kafka/orders/0")).get("leader_id").asInt());
    }

    @Test
    void transferLeadershipWithoutTargetPicksAnotherReplica() throws Exception {
        assertEquals(200, admin.post("/v1/partitions/kafka/orders/0/transfer_leadership", null).statusCode());
        assertEquals(2, AdminServerFixture.json(admin.get("/v1/partitions/kafka/orders/0")).get("leader_id").asInt());
    }

    @Test
    void transferLeadershipRejectsBadTargetsAndUnknownPartitions() throws Exception {
        HttpResponse<String> notReplica = admin.post("/v1/partitions/kafka/audit/0/transfer_leadership?target=1", null);
        assertEquals(400, notReplica.statusCode());
        assertTrue(AdminServerFixture.json(notReplica).get("message").asText().contains("not a replica"));
        assertEquals(400, admin.post("/v1/partitions/kafka/audit/0/transfer_leadership?target=abc", null).statusCode());
        assertEquals(400, admin.post("/v1/partitions/kafka/audit/0/transfer_leadership?target=-2", null).statusCode());
        assertEquals(404, admin.post("/v1/partitions/kafka/nope/0/transfer_leadership?target=1", null).statusCode());
        // The failed requests moved nothing.
        assertEquals(2, AdminServerFixture.json(admin.get("/v1/partitions/kafka/audit/0")).get("leader_id").asInt());
    }
}
