package io.ailurus.core.kafka;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * Leader elections on request (ElectLeaders): what the handler needs of the cluster. Partitions are
 * Raft groups, so a "preferred" election is a Raft leadership transfer to the first replica of the
 * assignment, and an "unclean" one is never possible (only a replica with every committed record
 * can win a Raft election).
 */
public interface LeaderElections {

    /** The outcome for one partition: {@link Errors#NONE} when the leader moved, else why not. */
    record Outcome(Errors error, String message) {
        public static final Outcome DONE = new Outcome(Errors.NONE, null);
    }

    /** Runs one election; never fails exceptionally (failures are outcomes). */
    CompletableFuture<Outcome> elect(ElectionType type, TopicPartition tp);

    /**
     * Moves the leadership of {@code tp} to broker {@code target} (one of its replicas), or, with
     * {@code target} negative, to another live replica (the preferred one first). Completes with
     * {@link Errors#NONE} once the target leads, {@link Errors#ELECTION_NOT_NEEDED} if it already
     * did, else why not.
     */
    CompletableFuture<Outcome> transfer(TopicPartition tp, int target);

    /** The partitions an ElectLeaders without a partition list acts on: those whose leader is not the preferred one. */
    List<TopicPartition> candidates(ElectionType type);

    /** A broker without partition Raft groups (tests): every election is refused. */
    LeaderElections UNAVAILABLE = new LeaderElections() {
        @Override
        public CompletableFuture<Outcome> elect(ElectionType type, TopicPartition tp) {
            return CompletableFuture.completedFuture(new Outcome(Errors.PREFERRED_LEADER_NOT_AVAILABLE,
                "this broker runs no Raft host, so it cannot move leadership"));
        }

        @Override
        public CompletableFuture<Outcome> transfer(TopicPartition tp, int target) {
            return elect(ElectionType.PREFERRED, tp);
        }

        @Override
        public List<TopicPartition> candidates(ElectionType type) {
            return List.of();
        }
    };
}
