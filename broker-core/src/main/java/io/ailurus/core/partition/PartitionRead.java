package io.ailurus.core.partition;

import io.ailurus.storage.ReadResult;

/**
 * What a fetch of one partition returns: the record slices (zero-copy file regions or tail-cache
 * buffers) and the partition's offsets as of the read, which the Fetch response reports.
 */
public record PartitionRead(ReadResult records, long highWatermark, long lastStableOffset, long logStartOffset) {}
