package io.ailurus.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.protocol.codec.KafkaResponseEncoder;
import io.ailurus.protocol.codec.OutboundResponse;
import io.ailurus.protocol.versions.ApiVersionCatalog;
import io.ailurus.protocol.versions.ApiVersionRange;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** An error response can be built, and encoded, for every API and version the broker may serve. */
class ErrorResponsesTest {
    private static KafkaRequest request(ApiKeys api, short version, ApiMessage body) {
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(api.id).setRequestApiVersion(version)
                .setCorrelationId(1).setClientId("t");
        return new KafkaRequest(header, api, body, null, System.nanoTime(), 0, null);
    }

    @Test
    void everyCataloguedApiAndVersionHasAnEncodableErrorResponse() {
        KafkaResponseEncoder encoder = new KafkaResponseEncoder();
        int checked = 0;
        for (ApiVersionRange range : ApiVersionCatalog.all().values()) {
            for (short v = range.minVersion(); v <= range.maxVersion(); v++) {
                ApiMessage body = range.api().messageType.newRequest();
                if (body instanceof ProduceRequestData produce) {
                    produce.setAcks((short) 1); // acks=0 has no response at all, not even an error one
                }
                ApiMessage error = ErrorResponses.forRequest(request(range.api(), v, body),
                        new IllegalStateException("boom"));
                assertEquals(range.api().id, error.apiKey(), range.api() + " v" + v);
                List<Object> parts = encoder.encode(UnpooledByteBufAllocator.DEFAULT,
                        new OutboundResponse(range.api(), v, 1, error, 0));
                assertTrue(KafkaResponseEncoder.bytesOf(parts) > 4);
                parts.forEach(ReferenceCountUtil::release);
                checked++;
            }
        }
        assertTrue(checked > 100, "checked " + checked);
    }

    @Test
    void acksZeroProduceHasNoErrorResponse() {
        ProduceRequestData req = new ProduceRequestData().setAcks((short) 0).setTimeoutMs(1000);
        assertEquals(null, ErrorResponses.forRequest(request(ApiKeys.PRODUCE, (short) 11, req),
                new NotLeaderOrFollowerException("moved")));
    }

    @Test
    void produceErrorNamesEveryPartitionWithTheExceptionsCode() {
        ProduceRequestData req = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1000);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("t");
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
                .setRecords(org.apache.kafka.common.record.internal.MemoryRecords.EMPTY));
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(7)
                .setRecords(org.apache.kafka.common.record.internal.MemoryRecords.EMPTY));
        req.topicData().add(topic);
        ProduceResponseData resp = (ProduceResponseData) ErrorResponses.forRequest(
                request(ApiKeys.PRODUCE, (short) 11, req), new NotLeaderOrFollowerException("moved"));
        List<ProduceResponseData.PartitionProduceResponse> parts =
                resp.responses().iterator().next().partitionResponses();
        assertEquals(List.of(0, 7), parts.stream().map(ProduceResponseData.PartitionProduceResponse::index).toList());
        for (ProduceResponseData.PartitionProduceResponse p : parts) {
            assertEquals(Errors.NOT_LEADER_OR_FOLLOWER.code(), p.errorCode());
        }
    }
}
