package io.ailurus.raft.partition;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * The state machine of a replicated Kafka partition. The partition's state <em>is</em> its log
 * (the jraft log is the Kafka log), so applying a batch only advances the commit index and the
 * high watermark; the data plane reads records from the log up to {@link #highWatermark()}.
 *
 * <p>No jraft snapshots: a snapshot would let jraft truncate the log's prefix, which is Kafka
 * data whose lifetime retention decides. On restart jraft replays the log through
 * {@link #onApply} to rebuild the high watermark.
 */
public class PartitionStateMachine extends KafkaBatchStateMachine {

    /**
     * @param name        for logs, e.g. {@code "orders-3"}
     * @param maxInflight proposals in flight at most (no more than jraft's disruptor size)
     */
    public PartitionStateMachine(String name, int maxInflight) {
        super(name, maxInflight);
    }

    /**
     * Proposes one producer batch on the leader: stamps its base offset (the next Kafka offset)
     * and {@code partitionLeaderEpoch = term} in place, then replicates it.
     *
     * @param kafkaBatch exactly one magic-v2 record batch; taken over by this call
     * @return completes when a majority has the batch on disk and it is applied here (the
     *         {@code acks=all} point); fails with {@link NotLeaderException} (retriable
     *         elsewhere), {@link InvalidBatchException} (nothing proposed), or
     *         {@link io.ailurus.raft.RaftOperationException}. Completes on jraft's state-machine
     *         thread: continue with {@code *Async} stages for anything heavy.
     */
    public CompletableFuture<ProposeResult> propose(ByteBuffer kafkaBatch) {
        return submit(kafkaBatch, (result, ignored) -> result);
    }
}
