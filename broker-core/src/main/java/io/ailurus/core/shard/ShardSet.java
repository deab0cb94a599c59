package io.ailurus.core.shard;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * The broker's shards: the Netty event loops that serve connections also own partitions
 * (thread-per-core, DESIGN.md decision 5). A partition's mutations run only on its owner, so the
 * partition needs no locks; a request touching several partitions is split and each part runs on
 * its owner's loop.
 */
public final class ShardSet {
    private final List<EventExecutor> shards = new ArrayList<>();

    public ShardSet(EventLoopGroup loops) {
        loops.forEach(shards::add);
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("a broker needs at least one shard");
        }
    }

    public int size() {
        return shards.size();
    }

    public EventExecutor shard(int index) {
        return shards.get(index);
    }

    /**
     * The owner of a partition. Consecutive partitions of a topic land on consecutive shards, so a
     * topic's load spreads over all cores; the topic's hash picks where it starts.
     */
    public EventExecutor ownerOf(TopicPartition tp) {
        return shards.get(indexOf(tp));
    }

    /** The index of {@link #ownerOf}'s shard, as the admin API reports a partition's {@code core}. */
    public int indexOf(TopicPartition tp) {
        int start = tp.topic().hashCode() & 0x7fffffff;
        return (int) ((start + (long) tp.partition()) % shards.size());
    }

    /** Runs {@code work} on {@code shard} (inline when already there) and gives back its future. */
    public static <T> CompletableFuture<T> on(EventExecutor shard, Supplier<CompletableFuture<T>> work) {
        if (shard.inEventLoop()) {
            return invoke(work);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            shard.execute(() -> invoke(work).whenComplete((v, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(v);
                }
            }));
        } catch (RuntimeException rejected) {
            result.completeExceptionally(rejected);
        }
        return result;
    }

    private static <T> CompletableFuture<T> invoke(Supplier<CompletableFuture<T>> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
