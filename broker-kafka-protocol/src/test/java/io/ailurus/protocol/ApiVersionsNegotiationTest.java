package io.ailurus.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.protocol.versions.ApiVersionRange;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ApiVersions at every version, the too-new fallback, and a real Kafka AdminClient against the pipeline. */
class ApiVersionsNegotiationTest {
    private static final OneBrokerCluster CLUSTER = new OneBrokerCluster();
    private static ApiHandlerRegistry registry;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        registry = CLUSTER.registry().build();
        server = new TestServer(ProtocolConfig.defaults(), registry);
        CLUSTER.port.set(server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void everyApiVersionsVersionListsExactlyTheTable() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            for (short v = ApiKeys.API_VERSIONS.oldestVersion(); v <= ApiKeys.API_VERSIONS.latestVersion(); v++) {
                ApiVersionsRequestData req = new ApiVersionsRequestData();
                if (v >= 3) {
                    req.setClientSoftwareName("ailurus-test").setClientSoftwareVersion("1.0");
                }
                ApiVersionsResponseData resp = client.roundTrip(req, v, 100 + v);
                assertEquals(Errors.NONE.code(), resp.errorCode(), "v" + v);
                assertEquals(registry.versionTable().ranges().size(), resp.apiKeys().size(), "v" + v);
                for (ApiVersionRange r : registry.versionTable().ranges().values()) {
                    ApiVersion listed = resp.apiKeys().find(r.api().id);
                    assertNotNull(listed, r.api() + " missing at v" + v);
                    assertEquals(r.advertisedMin(), listed.minVersion());
                    assertEquals(r.maxVersion(), listed.maxVersion());
                }
                assertNotNull(resp.apiKeys().find(ApiKeys.METADATA.id));
                assertEquals(null, resp.apiKeys().find(ApiKeys.PRODUCE.id), "no Produce handler, so not advertised");
            }
        }
    }

    @Test
    void tooNewApiVersionsGetsV0UnsupportedVersionWithRanges() throws Exception {
        short tooNew = (short) (ApiKeys.API_VERSIONS.latestVersion() + 1);
        try (RawClient client = new RawClient(server.port())) {
            // A future client's request: flexible header (v2); the body is not even looked at.
            client.send(new ApiVersionsRequestData().setClientSoftwareName("future").setClientSoftwareVersion("9"),
                    ApiKeys.API_VERSIONS.latestVersion(), 7); // warm-up at a valid version on the same connection
            client.readFrame();
            byte[] frame = RawClient.frame(
                    new org.apache.kafka.common.message.RequestHeaderData().setRequestApiKey(ApiKeys.API_VERSIONS.id)
                            .setRequestApiVersion(tooNew).setCorrelationId(42).setClientId("future-client"),
                    (short) 2, new ApiVersionsRequestData().setClientSoftwareName("future").setClientSoftwareVersion("9"),
                    ApiKeys.API_VERSIONS.latestVersion());
            client.sendRaw(frame);
            RawClient.Parsed<ApiVersionsResponseData> p = client.readResponse(ApiKeys.API_VERSIONS, (short) 0);
            assertEquals(42, p.correlationId());
            assertEquals(0, p.trailingBytes(), "a v0 body with a v0 header, nothing else");
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), p.body().errorCode());
            ApiVersion av = p.body().apiKeys().find(ApiKeys.API_VERSIONS.id);
            assertEquals(0, av.minVersion());
            assertEquals(ApiKeys.API_VERSIONS.latestVersion(), av.maxVersion());
            // The connection stays usable: the client retries at the version we listed.
            ApiVersionsResponseData retry = client.roundTrip(new ApiVersionsRequestData()
                    .setClientSoftwareName("future").setClientSoftwareVersion("9"), av.maxVersion(), 43);
            assertEquals(Errors.NONE.code(), retry.errorCode());
        }
    }

    @Test
    void invalidClientSoftwareNameIsInvalidRequest() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            ApiVersionsResponseData resp = client.roundTrip(new ApiVersionsRequestData()
                    .setClientSoftwareName("not valid!").setClientSoftwareVersion("1"), (short) 3, 1);
            assertEquals(Errors.INVALID_REQUEST.code(), resp.errorCode());
        }
    }

    @Test
    void metadataOverRawSocketAtOldestAndNewestVersion() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            for (short v : new short[] {ApiKeys.METADATA.oldestVersion(), ApiKeys.METADATA.latestVersion()}) {
                MetadataRequestData req = new MetadataRequestData();
                if (v == 0) {
                    req.setTopics(new java.util.ArrayList<>()); // v0 has no "all topics" null
                }
                MetadataResponseData resp = client.roundTrip(req, v, 5);
                assertEquals(server.port(), resp.brokers().find(OneBrokerCluster.NODE_ID).port(), "v" + v);
            }
        }
    }

    @Test
    void kafkaAdminClientDescribesTheCluster() throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        try (Admin admin = Admin.create(props)) {
            DescribeClusterResult cluster = admin.describeCluster();
            assertEquals(OneBrokerCluster.CLUSTER_ID, cluster.clusterId().get(30, TimeUnit.SECONDS));
            Node controller = cluster.controller().get(30, TimeUnit.SECONDS);
            assertEquals(OneBrokerCluster.NODE_ID, controller.id());
            var nodes = cluster.nodes().get(30, TimeUnit.SECONDS);
            assertEquals(1, nodes.size());
            Node node = nodes.iterator().next();
            assertEquals("127.0.0.1", node.host());
            assertEquals(server.port(), node.port());
            // The admin client negotiated through our ApiVersions: it must not have been offered Produce.
            assertFalse(registry.versionTable().rangeOf(ApiKeys.PRODUCE).isPresent());
            assertTrue(registry.versionTable().rangeOf(ApiKeys.METADATA).isPresent());
        }
    }
}
