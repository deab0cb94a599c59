package io.ailurus.core.admin;

import io.ailurus.admin.metrics.PublicMetrics;
import io.ailurus.core.controller.MetadataController;
import io.ailurus.raft.RaftObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Raft figures on the internal registry, fed by the Raft host's {@link RaftObserver}: commit latency
 * (proposal to applied, on the leader) as a histogram, and elections won and leaderships lost, each
 * split into the controller group and the partition groups (a label per partition would grow without
 * bound).
 */
final class RaftMetrics implements RaftObserver {
    private final Kind controller;
    private final Kind partition;

    private record Kind(Timer commit, Counter elected, Counter steppedDown) {}

    RaftMetrics(MeterRegistry internal) {
        controller = kind(internal, "controller");
        partition = kind(internal, "partition");
    }

    private static Kind kind(MeterRegistry internal, String label) {
        return new Kind(
            Timer.builder("ailurus.raft.commit.latency")
                .description("Time from proposing an entry on the leader to applying it once a majority has it durable")
                .serviceLevelObjectives(PublicMetrics.LATENCY_BUCKETS)
                .tag("group", label).register(internal),
            Counter.builder("ailurus.raft.leader.elected")
                .description("Times a Raft group on this node won an election and became leader")
                .tag("group", label).register(internal),
            Counter.builder("ailurus.raft.leader.stepped.down")
                .description("Times a Raft group on this node stopped being leader")
                .tag("group", label).register(internal));
    }

    private Kind of(String groupId) {
        return MetadataController.GROUP_ID.equals(groupId) ? controller : partition;
    }

    @Override
    public void proposalApplied(String groupId, long nanos) {
        of(groupId).commit().record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void leaderStarted(String groupId, long term) {
        of(groupId).elected().increment();
    }

    @Override
    public void leaderStopped(String groupId) {
        of(groupId).steppedDown().increment();
    }
}
