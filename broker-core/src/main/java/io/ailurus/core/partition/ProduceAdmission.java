package io.ailurus.core.partition;

import java.util.List;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * What every partition, single-replica or replicated, decides before writing a produce request:
 * the batches are valid ({@link ProduceBatchValidator}) and, for idempotent producers, either new
 * and in sequence, or a retry of a batch already written (answered with that batch's offsets).
 * Runs on the partition's owner shard, like the producer state it reads.
 */
final class ProduceAdmission {
    private ProduceAdmission() {}

    /** The outcome: write {@code batches}, or answer with {@code duplicateOf}'s offsets. */
    record Decision(List<ProduceBatchValidator.ValidatedBatch> batches, ProducerBatch duplicateOf, long logAppendTime) {
        boolean isDuplicate() {
            return duplicateOf != null;
        }
    }

    /** @throws PartitionException with the Kafka error when the request must be refused */
    static Decision decide(MemoryRecords records, PartitionSettings settings, ProducerStateManager producers, long nowMs) {
        List<ProduceBatchValidator.ValidatedBatch> batches = ProduceBatchValidator.validate(records, settings, nowMs);
        long logAppendTime = settings.timestampType() == TimestampType.LOG_APPEND_TIME ? nowMs : -1;
        for (var b : batches) {
            ProducerStateManager.CheckResult check;
            try {
                check = producers.check(b.producerId(), b.producerEpoch(), b.baseSequence(), b.lastSequence(),
                    b.transactional());
            } catch (ProducerStateException e) {
                throw toPartitionException(e);
            }
            if (check.isDuplicate()) {
                // Idempotent producers send one batch per partition per request: only then is a repeat a retry.
                if (batches.size() > 1) {
                    throw new PartitionException(Errors.DUPLICATE_SEQUENCE_NUMBER,
                        "a multi-batch produce request repeats an already written batch");
                }
                return new Decision(batches, check.duplicateOf(), logAppendTime);
            }
        }
        return new Decision(batches, null, logAppendTime);
    }

    static PartitionException toPartitionException(ProducerStateException e) {
        Errors error = switch (e.reason()) {
            case OUT_OF_ORDER_SEQUENCE -> Errors.OUT_OF_ORDER_SEQUENCE_NUMBER;
            case INVALID_PRODUCER_EPOCH -> Errors.INVALID_PRODUCER_EPOCH;
            case INVALID_TXN_STATE -> Errors.INVALID_TXN_STATE;
            case COORDINATOR_FENCED -> Errors.TRANSACTION_COORDINATOR_FENCED;
        };
        return new PartitionException(error, e.getMessage());
    }
}
