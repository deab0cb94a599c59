package io.ailurus.storage;

import java.util.concurrent.CompletableFuture;

/**
 * What an append was given: its Raft index range, the Kafka offset range of its data entries
 * ({@code -1} for both when it had none) and a future that completes when all of its bytes are fsynced,
 * or fails with a {@link StorageException}. The future is completed on the flusher thread: dependent
 * actions must be short or hop to their own executor.
 */
public record AppendResult(long firstIndex, long lastIndex, long baseOffset, long lastOffset,
                           CompletableFuture<Void> durable) {
}
