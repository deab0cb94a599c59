package io.ailurus.core.admin;

import io.ailurus.admin.metrics.PublicMetrics;
import io.ailurus.admin.metrics.PublicMetrics.GroupLag;
import io.ailurus.admin.metrics.PublicMetrics.PartitionLag;
import io.ailurus.core.group.CommittedOffset;
import io.ailurus.core.group.GroupStore;
import io.ailurus.core.partition.Partition;
import io.ailurus.core.partition.PartitionManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes consumer group lag (high watermark minus committed offset, at least 0) per group and per
 * group/topic/partition, recomputed periodically on one daemon thread. Committed offsets come from
 * the replicated {@link GroupStore} (every broker has them all); only a partition's leader knows its
 * high watermark for certain, so each broker reports the partitions it leads and skips the rest
 * (their leaders report them). Every pass replaces the whole set, so deleted groups and offsets vanish.
 */
final class GroupLagUpdater implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupLagUpdater.class);

    /** What one pass published, for tests and logs. */
    record Lags(List<GroupLag> groups, List<PartitionLag> partitions) {}

    private final GroupStore store;
    private final PartitionManager partitions;
    private final PublicMetrics metrics;
    private ScheduledExecutorService timer;

    GroupLagUpdater(GroupStore store, PartitionManager partitions, PublicMetrics metrics) {
        this.store = store;
        this.partitions = partitions;
        this.metrics = metrics;
    }

    /** Starts the periodic refresh (first pass at once). */
    synchronized void start(Duration period) {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ailurus-group-lag");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::refreshSafely, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void refreshSafely() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // A failed pass must not cancel the schedule; the next one starts from scratch.
            log.warn("consumer group lag refresh failed: {}", e.toString(), e);
        }
    }

    /** Computes and publishes the lags now; safe from any thread (reads concurrent maps and volatiles). */
    synchronized Lags refresh() {
        List<GroupLag> groups = new ArrayList<>();
        List<PartitionLag> rows = new ArrayList<>();
        for (String group : store.groupIds()) {
            long max = 0;
            long sum = 0;
            boolean any = false;
            for (Map.Entry<TopicPartition, CommittedOffset> e : store.offsets(group).entrySet()) {
                TopicPartition tp = e.getKey();
                Partition p = partitions.get(tp);
                if (p == null || !p.isLeader()) {
                    continue;
                }
                long lag = Math.max(0, p.highWatermark() - e.getValue().offset());
                rows.add(new PartitionLag(group, tp.topic(), tp.partition(), lag));
                max = Math.max(max, lag);
                sum += lag;
                any = true;
            }
            if (any) {
                groups.add(new GroupLag(group, max, sum));
            }
        }
        metrics.updateConsumerGroupLag(groups);
        metrics.updateConsumerGroupPartitionLag(rows);
        return new Lags(groups, rows);
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer = null;
        }
    }
}
