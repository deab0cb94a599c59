package io.ailurus.core.group;

import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.metadata.CommandResult;
import io.ailurus.core.metadata.MetadataCommand;
import io.ailurus.core.topic.TopicConfigs;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the group protocols share: the coordinator thread (every group's state is touched only
 * there, so no group needs a lock), the in-memory groups, the settings in force, and the way to
 * persist through the controller group.
 */
final class GroupRuntime {
    private static final Logger log = LoggerFactory.getLogger(GroupRuntime.class);

    final ScheduledExecutorService thread;
    final ClusterView cluster;
    final GroupStore store;
    private final TopicConfigs configs;
    /** Coordinator thread only. */
    final Map<String, Group> groups = new HashMap<>();

    GroupRuntime(ScheduledExecutorService thread, ClusterView cluster, GroupStore store, TopicConfigs configs) {
        this.thread = thread;
        this.cluster = cluster;
        this.store = store;
        this.configs = configs;
    }

    GroupSettings settings() {
        return GroupSettings.from(configs.cluster(cluster.image()));
    }

    long now() {
        return System.currentTimeMillis();
    }

    /** Runs {@code work} on the coordinator thread; its future's outcome becomes the result. */
    <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    work.get().whenComplete((v, e) -> {
                        if (e != null) {
                            result.completeExceptionally(e);
                        } else {
                            result.complete(v);
                        }
                    });
                } catch (RuntimeException e) {
                    log.error("group coordinator task failed", e);
                    result.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(new CoordinatorNotAvailableException("the group coordinator is stopping"));
        }
        return result;
    }

    /** Null when the coordinator is stopping (then no timer matters any more). */
    ScheduledFuture<?> schedule(Runnable task, long delayMs) {
        try {
            return thread.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("group coordinator timer failed", e);
                }
            }, Math.max(0, delayMs), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            return null;
        }
    }

    static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    /**
     * Proposes {@code command} to the controller; the future completes on the coordinator thread
     * (so the continuation may touch groups), failing if the controller did not apply it.
     */
    CompletableFuture<CommandResult> persist(MetadataCommand command) {
        CompletableFuture<CommandResult> done = new CompletableFuture<>();
        cluster.submit(command).whenComplete((r, e) -> {
            try {
                thread.execute(() -> {
                    if (e != null) {
                        done.completeExceptionally(e);
                    } else {
                        done.complete(r);
                    }
                });
            } catch (RejectedExecutionException stopping) {
                done.completeExceptionally(new CoordinatorNotAvailableException("the group coordinator is stopping"));
            }
        });
        return done;
    }

    /** The classic group {@code groupId}, or null when there is none or it is a consumer group. */
    ClassicGroup classic(String groupId) {
        return groups.get(groupId) instanceof ClassicGroup g ? g : null;
    }

    ConsumerGroup consumer(String groupId) {
        return groups.get(groupId) instanceof ConsumerGroup g ? g : null;
    }
}
