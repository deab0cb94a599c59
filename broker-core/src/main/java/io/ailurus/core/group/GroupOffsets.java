package io.ailurus.core.group;

import java.util.List;
import org.apache.kafka.common.protocol.Errors;

/** The answer to a {@link GroupOffsetsQuery}: a group-level error, or the offsets (-1 where none is committed). */
public record GroupOffsets(Errors error, List<PartitionOffset> partitions) {

    /** One partition's committed offset, leader epoch and metadata, as stored. */
    public record PartitionOffset(String topic, int partition, long offset, int leaderEpoch, String metadata, Errors error) {}
}
