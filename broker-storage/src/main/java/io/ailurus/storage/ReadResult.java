package io.ailurus.storage;

import java.util.List;

/**
 * The batches a Kafka read returned, in offset order, with their total size and the log's bounds at the time of
 * the read (for the fetch response's log start offset). Empty when there was nothing below the caller's bound.
 */
public record ReadResult(List<ReadSlice> slices, long totalBytes, long logStartOffset, long logEndOffset) {

    public boolean isEmpty() {
        return slices.isEmpty();
    }

    /** The offset after the last batch returned, or {@code fallback} when nothing was returned. */
    public long nextOffset(long fallback) {
        return slices.isEmpty() ? fallback : slices.get(slices.size() - 1).lastOffset() + 1;
    }
}
