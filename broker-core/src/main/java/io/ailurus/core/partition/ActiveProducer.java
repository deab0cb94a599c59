package io.ailurus.core.partition;

/**
 * What a partition knows of one producer id (DescribeProducers): its epoch, the last sequence and
 * timestamp it wrote, the epoch of the coordinator that last ended one of its transactions here, and
 * the first offset of its open transaction ({@code -1} when none is open).
 */
public record ActiveProducer(long producerId, int producerEpoch, int lastSequence, long lastTimestamp,
                             int coordinatorEpoch, long currentTxnStartOffset) {}
