package io.ailurus.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a client sends wrong costs that client its connection (or an error response), never the broker:
 * after every bad input a second, well-behaved connection still gets answers.
 */
class BadInputTest {
    private static final int MAX_REQUEST = 64 * 1024;
    private static final OneBrokerCluster CLUSTER = new OneBrokerCluster();
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(ProtocolConfig.defaults().withMaxRequestBytes(MAX_REQUEST),
                CLUSTER.registry().register(ApiKeys.INIT_PRODUCER_ID, r -> {
                    throw new AssertionError("only unsupported InitProducerId versions are sent in this test");
                }).build());
        CLUSTER.port.set(server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** A connection opened before the bad one and used after it: proves the damage stayed local. */
    private static void assertOtherConnectionWorks(RawClient bystander, int correlationId) throws Exception {
        MetadataResponseData md = bystander.roundTrip(new MetadataRequestData(), ApiKeys.METADATA.latestVersion(),
                correlationId);
        assertEquals(OneBrokerCluster.CLUSTER_ID, md.clusterId());
    }

    @Test
    void oversizedFrameClosesOnlyThatConnection() throws Exception {
        try (RawClient bystander = new RawClient(server.port()); RawClient bad = new RawClient(server.port())) {
            assertOtherConnectionWorks(bystander, 1);
            bad.sendRaw(ByteBuffer.allocate(8).putInt(MAX_REQUEST + 1).putInt(0).array());
            assertTrue(bad.closedByServer(), "a frame above the maximum closes the connection");
            assertOtherConnectionWorks(bystander, 2);
        }
    }

    @Test
    void frameOfExactlyTheMaximumIsAccepted() throws Exception {
        // A Metadata request padded with trailing bytes up to the limit: framing must let it through.
        byte[] request = RawClient.frame(ApiKeys.METADATA, (short) 12, 3, new MetadataRequestData());
        ByteBuffer padded = ByteBuffer.allocate(4 + MAX_REQUEST).putInt(MAX_REQUEST).put(request, 4, request.length - 4);
        try (RawClient client = new RawClient(server.port())) {
            client.sendRaw(padded.array());
            RawClient.Parsed<MetadataResponseData> p = client.readResponse(ApiKeys.METADATA, (short) 12);
            assertEquals(3, p.correlationId());
        }
    }

    @Test
    void negativeSizeClosesOnlyThatConnection() throws Exception {
        try (RawClient bystander = new RawClient(server.port()); RawClient bad = new RawClient(server.port())) {
            bad.sendRaw(ByteBuffer.allocate(4).putInt(-5).array());
            assertTrue(bad.closedByServer());
            assertOtherConnectionWorks(bystander, 1);
        }
    }

    @Test
    void truncatedFrameWaitsForTheRest() throws Exception {
        byte[] request = RawClient.frame(ApiKeys.METADATA, (short) 12, 9, new MetadataRequestData());
        try (RawClient client = new RawClient(server.port())) {
            client.sendRaw(java.util.Arrays.copyOfRange(request, 0, 7));
            // The other connection is served while this one's frame is incomplete...
            try (RawClient bystander = new RawClient(server.port())) {
                assertOtherConnectionWorks(bystander, 1);
            }
            // ...and the rest completes it.
            client.sendRaw(java.util.Arrays.copyOfRange(request, 7, request.length));
            assertEquals(9, client.readResponse(ApiKeys.METADATA, (short) 12).correlationId());
        }
    }

    @Test
    void unknownApiKeyClosesOnlyThatConnection() throws Exception {
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey((short) 999).setRequestApiVersion((short) 0)
                .setCorrelationId(1).setClientId("x");
        try (RawClient bystander = new RawClient(server.port()); RawClient bad = new RawClient(server.port())) {
            bad.sendRaw(RawClient.frame(header, (short) 1, null, (short) 0));
            assertTrue(bad.closedByServer(), "an API nobody knows has no error response to build");
            assertOtherConnectionWorks(bystander, 1);
        }
    }

    @Test
    void knownButUnservedApiGetsItsErrorResponseAndKeepsTheConnection() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            DescribeAclsResponseData resp = client.roundTrip(new DescribeAclsRequestData()
                    .setResourceTypeFilter((byte) 1).setPatternTypeFilter((byte) 1)
                    .setOperation((byte) 1).setPermissionType((byte) 1), (short) 3, 11);
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), resp.errorCode());
            // Same connection, next request: still in business.
            ApiVersionsResponseData av = client.roundTrip(new ApiVersionsRequestData(), (short) 0, 12);
            assertEquals(Errors.NONE.code(), av.errorCode());
        }
    }

    @Test
    void servedApiAtAVersionAboveOurCapGetsUnsupportedVersion() throws Exception {
        // InitProducerId v6 exists in kafka-clients but the catalogue caps it at v5.
        try (RawClient client = new RawClient(server.port())) {
            InitProducerIdResponseData resp = client.roundTrip(new InitProducerIdRequestData()
                    .setTransactionalId(null).setTransactionTimeoutMs(1000), (short) 6, 21);
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), resp.errorCode());
        }
    }

    @Test
    void versionNobodyCanParseClosesTheConnection() throws Exception {
        // Produce v2: removed in Kafka 4 (though v0 is still advertised, as Kafka does for librdkafka).
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(ApiKeys.PRODUCE.id)
                .setRequestApiVersion((short) 2).setCorrelationId(1).setClientId("old");
        byte[] frame = RawClient.frame(header, (short) 1, new ProduceRequestData().setAcks((short) 1), (short) 3);
        try (RawClient bystander = new RawClient(server.port()); RawClient bad = new RawClient(server.port())) {
            bad.sendRaw(frame);
            assertTrue(bad.closedByServer());
            assertOtherConnectionWorks(bystander, 1);
        }
    }

    @Test
    void malformedBodyClosesOnlyThatConnection() throws Exception {
        // A valid Metadata v12 header, then a topics array claiming 2^28 entries in a 5-byte body.
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(ApiKeys.METADATA.id)
                .setRequestApiVersion((short) 12).setCorrelationId(1).setClientId("bad");
        byte[] head = RawClient.frame(header, (short) 2, null, (short) 12);
        byte[] body = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f, 0};
        ByteBuffer frame = ByteBuffer.allocate(head.length + body.length)
                .putInt(head.length - 4 + body.length).put(head, 4, head.length - 4).put(body);
        try (RawClient bystander = new RawClient(server.port()); RawClient bad = new RawClient(server.port())) {
            bad.sendRaw(frame.array());
            assertTrue(bad.closedByServer());
            assertOtherConnectionWorks(bystander, 1);
        }
    }

    @Test
    void randomBytesCloseOnlyThatConnection() throws Exception {
        Random random = new Random(20240611L);
        try (RawClient bystander = new RawClient(server.port())) {
            for (int i = 0; i < 20; i++) {
                byte[] junk = new byte[16 + random.nextInt(500)];
                random.nextBytes(junk);
                // Correctly framed garbage, so it reaches the header and body parsers rather than framing.
                ByteBuffer frame = ByteBuffer.allocate(4 + junk.length).putInt(junk.length).put(junk);
                try (RawClient bad = new RawClient(server.port())) {
                    bad.sendRaw(frame.array());
                    assertTrue(bad.closedByServer(), "junk #" + i);
                }
                assertOtherConnectionWorks(bystander, i);
            }
            // And unframed noise: whatever its first four bytes say, the connection ends without a response.
            try (RawClient bad = new RawClient(server.port())) {
                bad.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertTrue(bad.closedByServer());
            }
            assertOtherConnectionWorks(bystander, 99);
        }
    }

    @Test
    void randomBodiesBehindValidHeadersAreAnsweredOrCloseTheConnection() throws Exception {
        Random random = new Random(7L);
        int closed = 0;
        try (RawClient bystander = new RawClient(server.port())) {
            for (int i = 0; i < 40; i++) {
                short version = (short) random.nextInt(ApiKeys.METADATA.latestVersion() + 1);
                RequestHeaderData header = new RequestHeaderData().setRequestApiKey(ApiKeys.METADATA.id)
                        .setRequestApiVersion(version).setCorrelationId(1000 + i).setClientId("fuzz");
                byte[] head = RawClient.frame(header, ApiKeys.METADATA.requestHeaderVersion(version), null, version);
                byte[] junk = new byte[1 + random.nextInt(64)];
                random.nextBytes(junk);
                ByteBuffer frame = ByteBuffer.allocate(head.length + junk.length)
                        .putInt(head.length - 4 + junk.length).put(head, 4, head.length - 4).put(junk);
                try (RawClient bad = new RawClient(server.port())) {
                    bad.sendRaw(frame.array());
                    try {
                        // Junk that happens to parse is a valid request: it must get its own response.
                        assertEquals(1000 + i, bad.readResponse(ApiKeys.METADATA, version).correlationId());
                    } catch (java.io.EOFException | java.net.SocketException e) {
                        closed++;
                    }
                }
                assertOtherConnectionWorks(bystander, i);
            }
        }
        assertTrue(closed > 0, "some of the junk bodies must have been rejected");
    }

    @Test
    void serverStillAcceptsNewConnectionsAfterAllThat() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            assertFalse(client.roundTrip(new ApiVersionsRequestData(), (short) 1, 1) == null);
        }
    }
}
