package io.ailurus.core.partition;

/**
 * The idempotence-relevant fields of one appended record batch: who wrote it, with which epoch,
 * which sequence range, and where it landed in the log.
 */
public record ProducerBatch(long producerId, short producerEpoch, int firstSequence, int lastSequence,
                            long firstOffset, long lastOffset, long maxTimestamp) {

    /** Kafka's "no producer id": batches written by non-idempotent producers. */
    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;

    public boolean isIdempotent() {
        return producerId != NO_PRODUCER_ID;
    }

    /** Same epoch and exactly the same sequence range: a client retry of an already-written batch. */
    boolean sameRange(short epoch, int first, int last) {
        return producerEpoch == epoch && firstSequence == first && lastSequence == last;
    }
}
