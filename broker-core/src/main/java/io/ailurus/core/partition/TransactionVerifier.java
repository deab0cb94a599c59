package io.ailurus.core.partition;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * KIP-890 part 1: before the first transactional batch of a producer's transaction is written to a
 * partition, the Produce handler asks the transaction coordinator whether that partition really was
 * added to the ongoing transaction (AddPartitionsToTxn with verify-only semantics). Without the
 * check, a hanging transaction can be started by a late, retried batch of an already ended
 * transaction, and the partition's last stable offset would never move again.
 *
 * <p>The answer is {@link Errors#NONE} to accept the batch, or the error the Produce response carries
 * for that partition (e.g. {@code INVALID_TXN_STATE}, {@code INVALID_PRODUCER_EPOCH}).
 */
@FunctionalInterface
public interface TransactionVerifier {

    /** Accepts every transactional batch: what a broker without a transaction coordinator can do. */
    TransactionVerifier ACCEPT_ALL = (transactionalId, producerId, producerEpoch, tp) ->
        CompletableFuture.completedFuture(Errors.NONE);

    CompletableFuture<Errors> verify(String transactionalId, long producerId, short producerEpoch, TopicPartition tp);

    /**
     * KIP-890 part 2 (transaction.version 2, Produce v12+): the client no longer sends
     * AddPartitionsToTxn for data partitions; the partition leader adds {@code tp} to the producer's
     * transaction at the coordinator (starting the transaction if none is open) before the first batch
     * is written. The answer is as for {@link #verify}. The default only verifies: right for a broker
     * without a coordinator, where {@link #ACCEPT_ALL} accepts everything anyway.
     */
    default CompletableFuture<Errors> addPartition(String transactionalId, long producerId, short producerEpoch,
                                                   TopicPartition tp) {
        return verify(transactionalId, producerId, producerEpoch, tp);
    }
}
