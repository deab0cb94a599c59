package io.ailurus.raft.partition;

/**
 * Where a committed proposal landed.
 *
 * @param baseOffset the Kafka offset of the batch's first record
 * @param lastOffset the Kafka offset of the batch's last record
 * @param index      the Raft log index of the entry
 * @param term       the Raft term that proposed it (also the batch's partition leader epoch)
 */
public record ProposeResult(long baseOffset, long lastOffset, long index, long term) {
}
