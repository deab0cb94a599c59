package io.ailurus.core.producer;

import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.metadata.MetadataCommand;
import java.util.concurrent.CompletableFuture;

/**
 * Hands out producer ids for InitProducerId. Ids come from the controller in blocks (so two brokers
 * never hand out the same id, and ids are never reused after a restart); within a block they are
 * handed out locally without a round trip.
 */
public final class ProducerIdAllocator {
    public static final int BLOCK_SIZE = 1000;

    private final ClusterView cluster;
    private long next;
    private long blockEnd;
    private CompletableFuture<Void> refill;

    public ProducerIdAllocator(ClusterView cluster) {
        this.cluster = cluster;
    }

    public synchronized CompletableFuture<Long> nextId() {
        if (next < blockEnd) {
            return CompletableFuture.completedFuture(next++);
        }
        if (refill == null) {
            refill = cluster.submit(new MetadataCommand.AllocateProducerIds(cluster.nodeId(), BLOCK_SIZE))
                .thenAccept(r -> {
                    synchronized (this) {
                        refill = null;
                        if (!r.isOk()) {
                            throw new IllegalStateException("producer id block allocation failed: " + r.message());
                        }
                        next = r.value();
                        blockEnd = r.value() + BLOCK_SIZE;
                    }
                });
            CompletableFuture<Void> f = refill;
            f.whenComplete((v, e) -> {
                if (e != null) {
                    synchronized (this) {
                        refill = null;
                    }
                }
            });
        }
        return refill.thenCompose(v -> nextId());
    }
}
