package io.ailurus.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

/** Responses leave in request order whatever order handlers finish in; the in-flight limit holds. */
class ResponseOrderTest {
    private static final short HB = ApiKeys.HEARTBEAT.latestVersion();

    /** A Heartbeat handler that parks every request until the test completes it. */
    private record Parked(KafkaRequest request, CompletableFuture<ApiMessage> future) {
    }

    private final BlockingQueue<Parked> parked = new LinkedBlockingQueue<>();
    private final OneBrokerCluster cluster = new OneBrokerCluster();

    private TestServer start(int maxInflight, ApiHandler produce) throws Exception {
        ApiHandlerRegistry.Builder registry = cluster.registry().register(ApiKeys.HEARTBEAT, request -> {
            CompletableFuture<ApiMessage> f = new CompletableFuture<>();
            parked.add(new Parked(request, f));
            return f;
        });
        if (produce != null) {
            registry.register(ApiKeys.PRODUCE, produce);
        }
        TestServer server = new TestServer(ProtocolConfig.defaults().withMaxInflightRequestsPerConnection(maxInflight),
                registry.build());
        cluster.port.set(server.port());
        return server;
    }

    private Parked nextParked() throws InterruptedException {
        Parked p = parked.poll(20, TimeUnit.SECONDS);
        assertNotNull(p, "handler was not called");
        return p;
    }

    private static HeartbeatRequestData heartbeat(int generation) {
        return new HeartbeatRequestData().setGroupId("g").setMemberId("m").setGenerationId(generation);
    }

    /** The response carries its request's generation in throttleTimeMs, so swapped bodies would show. */
    private static HeartbeatResponseData answer(Parked p) {
        return new HeartbeatResponseData().setThrottleTimeMs(p.request.body(HeartbeatRequestData.class).generationId());
    }

    @Test
    void responsesFollowRequestOrderWhenHandlersCompleteInReverse() throws Exception {
        try (TestServer server = start(100, null); RawClient client = new RawClient(server.port())) {
            for (int i = 1; i <= 4; i++) {
                client.send(heartbeat(10 * i), HB, i);
            }
            List<Parked> all = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                all.add(nextParked());
            }
            // Complete 4, 3 (with a Kafka error), 2 (with an unexpected error), then 1, each from another thread.
            CompletableFuture.runAsync(() -> all.get(3).future.complete(answer(all.get(3)))).get();
            CompletableFuture.runAsync(() -> all.get(2).future.completeExceptionally(new NotCoordinatorException("moved"))).get();
            CompletableFuture.runAsync(() -> all.get(1).future.completeExceptionally(new IllegalStateException("bug"))).get();
            CompletableFuture.runAsync(() -> all.get(0).future.complete(answer(all.get(0)))).get();

            RawClient.Parsed<HeartbeatResponseData> r1 = client.readResponse(ApiKeys.HEARTBEAT, HB);
            RawClient.Parsed<HeartbeatResponseData> r2 = client.readResponse(ApiKeys.HEARTBEAT, HB);
            RawClient.Parsed<HeartbeatResponseData> r3 = client.readResponse(ApiKeys.HEARTBEAT, HB);
            RawClient.Parsed<HeartbeatResponseData> r4 = client.readResponse(ApiKeys.HEARTBEAT, HB);
            assertEquals(List.of(1, 2, 3, 4), List.of(r1.correlationId(), r2.correlationId(), r3.correlationId(),
                    r4.correlationId()));
            assertEquals(10, r1.body().throttleTimeMs());
            assertEquals(Errors.UNKNOWN_SERVER_ERROR.code(), r2.body().errorCode());
            assertEquals(Errors.NOT_COORDINATOR.code(), r3.body().errorCode());
            assertEquals(40, r4.body().throttleTimeMs());
        }
    }

    @Test
    void inflightLimitStopsDispatchUntilResponsesDrain() throws Exception {
        int max = 2;
        int total = 6;
        try (TestServer server = start(max, null); RawClient client = new RawClient(server.port())) {
            for (int i = 1; i <= total; i++) {
                client.send(heartbeat(i), HB, i);
            }
            List<Parked> dispatched = new ArrayList<>();
            dispatched.add(nextParked());
            dispatched.add(nextParked());
            Channel channel = dispatched.get(0).request.context().channel();
            // Look from the connection's own event loop, after it has finished handling what it read.
            boolean autoRead = channel.eventLoop().submit(() -> channel.config().isAutoRead()).get(20, TimeUnit.SECONDS);
            int seen = channel.eventLoop().submit(parked::size).get(20, TimeUnit.SECONDS);
            assertFalse(autoRead, "the connection must not be read while the limit is reached");
            assertEquals(0, seen, "no third request dispatched while two are unanswered");

            for (int next = 0; next < total; next++) {
                Parked p = dispatched.get(next);
                p.future.complete(answer(p));
                assertEquals(next + 1, client.readResponse(ApiKeys.HEARTBEAT, HB).correlationId());
                if (dispatched.size() < total) {
                    dispatched.add(nextParked());
                    int inflight = dispatched.size() - (next + 1);
                    assertTrue(inflight <= max, "in flight " + inflight);
                }
            }
            boolean resumed = channel.eventLoop().submit(() -> channel.config().isAutoRead()).get(20, TimeUnit.SECONDS);
            assertTrue(resumed, "reading resumes once drained");
        }
    }

    @Test
    void acksZeroProduceSendsNothingAndKeepsTheOrder() throws Exception {
        MemoryRecords sent = MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord(1L, "k".getBytes(), "v1".getBytes()), new SimpleRecord(2L, null, "v2".getBytes()));
        BlockingQueue<String> seenInHandler = new LinkedBlockingQueue<>();
        ApiHandler produce = request -> {
            ProduceRequestData data = request.body(ProduceRequestData.class);
            MemoryRecords records = (MemoryRecords) data.topicData().iterator().next().partitionData().get(0).records();
            StringBuilder values = new StringBuilder();
            for (Record r : records.records()) {
                values.append(new String(org.apache.kafka.common.utils.Utils.toArray(r.value()))).append(',');
            }
            // The records are a view of the network buffer (direct memory), not a heap copy.
            values.append(records.buffer().isDirect() ? "view" : "copy");
            seenInHandler.add(values.toString());
            return CompletableFuture.completedFuture(null); // acks=0: no response
        };
        try (TestServer server = start(100, produce); RawClient client = new RawClient(server.port())) {
            ProduceRequestData req = new ProduceRequestData().setAcks((short) 0).setTimeoutMs(1000);
            ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("t");
            topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(sent));
            req.topicData().add(topic);
            client.send(req, (short) 11, 1);
            client.send(new MetadataRequestData(), (short) 12, 2);
            RawClient.Parsed<MetadataResponseData> next = client.readResponse(ApiKeys.METADATA, (short) 12);
            assertEquals(2, next.correlationId(), "the acks=0 produce must not be answered");
            assertEquals("v1,v2,view", seenInHandler.poll(20, TimeUnit.SECONDS));
        }
    }
}
