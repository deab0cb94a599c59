package io.ailurus.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** Error codes are found where each API keeps them: per topic, per partition, or top-level. */
class ResponseErrorCodesTest {
    private final ResponseErrorCodes codes = new ResponseErrorCodes();

    @Test
    void perTopicCodesOfCreateTopics() {
        CreateTopicsResponseData r = new CreateTopicsResponseData();
        r.topics().add(new CreateTopicsResponseData.CreatableTopicResult().setName("a")
            .setErrorCode(Errors.TOPIC_ALREADY_EXISTS.code()));
        r.topics().add(new CreateTopicsResponseData.CreatableTopicResult().setName("b")
            .setErrorCode(Errors.TOPIC_ALREADY_EXISTS.code()));
        r.topics().add(new CreateTopicsResponseData.CreatableTopicResult().setName("c"));
        assertEquals(Map.of(Errors.TOPIC_ALREADY_EXISTS, 2), codes.errors(ApiKeys.CREATE_TOPICS, r));
    }

    @Test
    void perPartitionCodesOfOffsetCommit() {
        OffsetCommitResponseData r = new OffsetCommitResponseData();
        var topic = new OffsetCommitResponseData.OffsetCommitResponseTopic().setName("t");
        topic.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition().setPartitionIndex(0)
            .setErrorCode(Errors.OFFSET_METADATA_TOO_LARGE.code()));
        topic.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition().setPartitionIndex(1));
        r.topics().add(topic);
        assertEquals(Map.of(Errors.OFFSET_METADATA_TOO_LARGE, 1), codes.errors(ApiKeys.OFFSET_COMMIT, r));
    }

    @Test
    void responsesWhoseWrapperTakesAVersionToo() {
        MetadataResponseData m = new MetadataResponseData();
        m.topics().add(new MetadataResponseData.MetadataResponseTopic().setName("gone")
            .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
        assertEquals(Map.of(Errors.UNKNOWN_TOPIC_OR_PARTITION, 1), codes.errors(ApiKeys.METADATA, m));
        JoinGroupResponseData j = new JoinGroupResponseData().setErrorCode(Errors.UNKNOWN_MEMBER_ID.code());
        assertEquals(Map.of(Errors.UNKNOWN_MEMBER_ID, 1), codes.errors(ApiKeys.JOIN_GROUP, j));
    }

    @Test
    void aResponseWithoutErrorsCountsNothing() {
        assertEquals(Map.of(), codes.errors(ApiKeys.JOIN_GROUP, new JoinGroupResponseData()));
        assertEquals(Map.of(), codes.errors(ApiKeys.CREATE_TOPICS, new CreateTopicsResponseData()));
    }
}
