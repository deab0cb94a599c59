package io.ailurus.core.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.cluster.DecommissionPlanner;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Replica moves and decommissions as the controller's state machine applies them: the recorded
 * move, the union assignment, completion, cancel, the refusals, and their survival in a snapshot;
 * and the decommission planner's choices.
 */
class ReplicaMovesTest {
    private long index;

    private MetadataState fourBrokersAndTopic(List<List<Integer>> assignments) {
        MetadataState s = new MetadataState();
        for (int id = 0; id < 4; id++) {
            s.apply(++index, new MetadataCommand.RegisterBroker(id, "h", 9092 + id, null, "127.0.0.1:" + (33000 + id)));
        }
        assertTrue(s.apply(++index, new MetadataCommand.CreateTopic("t", "id", assignments, Map.of())).isOk());
        return s;
    }

    private CommandResult apply(MetadataState s, MetadataCommand c) {
        return s.apply(++index, c);
    }

    @Test
    void aMoveIsRecordedAsTheUnionAndCompletesToTheTarget() {
        MetadataState s = fourBrokersAndTopic(List.of(List.of(0, 1, 2)));
        assertTrue(apply(s, new MetadataCommand.ReassignPartition("t", 0, List.of(1, 2, 3))).isOk());
        assertEquals(List.of(1, 2, 3, 0), s.image().topic("t").orElseThrow().replicas(0), "target first, then the leaving one");
        PartitionReassignment move = s.image().reassignment("t", 0);
        assertEquals(List.of(0, 1, 2), move.original());
        assertEquals(List.of(3), move.adding());
        assertEquals(List.of(0), move.removing(s.image().topic("t").orElseThrow().replicas(0)));

        // A completion for another target (an old move) changes nothing.
        assertFalse(apply(s, new MetadataCommand.CompleteReassignment("t", 0, List.of(0, 1, 3))).isOk());
        assertTrue(apply(s, new MetadataCommand.CompleteReassignment("t", 0, List.of(1, 2, 3))).isOk());
        assertEquals(List.of(1, 2, 3), s.image().topic("t").orElseThrow().replicas(0));
        assertNull(s.image().reassignment("t", 0));
        assertTrue(s.image().reassignments().isEmpty());
    }

    @Test
    void aReorderIsNoMoveAndACancelGoesBackToTheOriginal() {
        MetadataState s = fourBrokersAndTopic(List.of(List.of(0, 1, 2)));
        assertTrue(apply(s, new MetadataCommand.ReassignPartition("t", 0, List.of(2, 0, 1))).isOk());
        assertEquals(List.of(2, 0, 1), s.image().topic("t").orElseThrow().replicas(0));
        assertNull(s.image().reassignment("t", 0), "same replicas: nothing to move");

        assertEquals(CommandResult.Error.NO_REASSIGNMENT_IN_PROGRESS,
            apply(s, new MetadataCommand.ReassignPartition("t", 0, null)).error());
        assertTrue(apply(s, new MetadataCommand.ReassignPartition("t", 0, List.of(3, 0, 1))).isOk());
        assertTrue(apply(s, new MetadataCommand.ReassignPartition("t", 0, null)).isOk());
        PartitionReassignment back = s.image().reassignment("t", 0);
        assertEquals(List.of(2, 0, 1), back.target(), "a cancel is a move back to the original replicas");
        assertEquals(List.of(3), back.removing(s.image().topic("t").orElseThrow().replicas(0)),
            "broker 3 may already be a member: it stays until the membership is back");
    }

    @Test
    void whatRaftCannotDoIsRefusedWithKafkasCodes() {
        MetadataState s = fourBrokersAndTopic(List.of(List.of(0, 1, 2), List.of(3)));
        assertEquals(CommandResult.Error.INVALID_REPLICATION_FACTOR,
            apply(s, new MetadataCommand.ReassignPartition("t", 0, List.of(0))).error(), "RF >= 2 down to 1");
        assertEquals(CommandResult.Error.INVALID_REPLICATION_FACTOR,
            apply(s, new MetadataCommand.ReassignPartition("t", 1, List.of(3, 0))).error(), "RF 1 up");
        assertEquals(CommandResult.Error.INVALID_REPLICA_ASSIGNMENT,
            apply(s, new MetadataCommand.ReassignPartition("t", 1, List.of(0))).error(), "RF 1 elsewhere");
        assertEquals(CommandResult.Error.INVALID_REPLICA_ASSIGNMENT,
            apply(s, new MetadataCommand.ReassignPartition("t", 0, List.of(0, 0, 1))).error(), "duplicates");
        assertEquals(CommandResult.Error.INVALID_REPLICA_ASSIGNMENT,
            apply(s, new MetadataCommand.ReassignPartition("t", 0, List.of(0, 1, 9))).error(), "unknown broker");
        assertEquals(CommandResult.Error.UNKNOWN_TOPIC_OR_PARTITION,
            apply(s, new MetadataCommand.ReassignPartition("t", 5, List.of(0, 1, 2))).error());
        assertTrue(apply(s, new MetadataCommand.SetBrokerDecommissioned(3, true)).isOk());
        assertEquals(CommandResult.Error.INVALID_REPLICA_ASSIGNMENT,
            apply(s, new MetadataCommand.ReassignPartition("t", 0, List.of(0, 1, 3))).error(), "decommissioned target");
        assertEquals(List.of(0, 1, 2), s.image().topic("t").orElseThrow().replicas(0), "nothing changed");
        assertEquals(List.of(0, 1, 2), s.image().placeableBrokers());
    }

    @Test
    void movesAndDecommissionsSurviveASnapshotAndATopicDeletionDropsItsMoves() throws Exception {
        MetadataState s = fourBrokersAndTopic(List.of(List.of(0, 1, 2)));
        apply(s, new MetadataCommand.ReassignPartition("t", 0, List.of(1, 2, 3)));
        apply(s, new MetadataCommand.SetBrokerDecommissioned(0, true));
        MetadataState restored = new MetadataState();
        restored.restore(s.snapshot());
        assertEquals(s.image().reassignments(), restored.image().reassignments());
        assertEquals(s.image().decommissionedBrokers(), restored.image().decommissionedBrokers());
        assertEquals(List.of(1, 2, 3, 0), restored.image().topic("t").orElseThrow().replicas(0));

        for (MetadataCommand c : List.<MetadataCommand>of(new MetadataCommand.ReassignPartition("t", 0, null),
                new MetadataCommand.CompleteReassignment("t", 0, List.of(1)),
                new MetadataCommand.SetBrokerDecommissioned(2, false))) {
            assertEquals(c, MetadataState.decodeCommand(MetadataState.encodeCommand(c)));
        }
        apply(s, new MetadataCommand.DeleteTopic("t"));
        assertTrue(s.image().reassignments().isEmpty());
    }

    @Test
    void recommissionSendsMovesOffTheBrokerBack() {
        MetadataState s = fourBrokersAndTopic(List.of(List.of(0, 1, 2), List.of(1, 2, 3)));
        apply(s, new MetadataCommand.SetBrokerDecommissioned(0, true));
        apply(s, new MetadataCommand.ReassignPartition("t", 0, List.of(3, 1, 2)));
        assertEquals(CommandResult.Error.INVALID_REPLICA_ASSIGNMENT,
            apply(s, new MetadataCommand.ReassignPartition("t", 1, List.of(1, 2, 0))).error(), "0 takes no new replicas");
        assertTrue(apply(s, new MetadataCommand.SetBrokerDecommissioned(0, false)).isOk());
        assertEquals(List.of(0, 1, 2), s.image().reassignment("t", 0).target(), "the move off broker 0 goes back");
        assertFalse(s.image().isDecommissioned(0));
    }

    @Test
    void thePlannerReplacesTheBrokerInPlaceWithTheLeastLoadedLiveOne() {
        MetadataState s = fourBrokersAndTopic(List.of(List.of(3, 0, 1), List.of(0, 1, 2), List.of(3, 1, 2)));
        apply(s, new MetadataCommand.SetBrokerDecommissioned(3, true));
        DecommissionPlanner.Plan plan = DecommissionPlanner.plan(s.image(), 3, 10);
        assertEquals(2, plan.replicasLeft());
        assertTrue(plan.failures().isEmpty());
        // Loads: 0 -> 2, 1 -> 3, 2 -> 2. Partition 0 can only take 2; partition 2 then takes 0.
        assertEquals(List.of(new MetadataCommand.ReassignPartition("t", 0, List.of(2, 0, 1)),
            new MetadataCommand.ReassignPartition("t", 2, List.of(0, 1, 2))), plan.moves());
        assertEquals(1, DecommissionPlanner.plan(s.image(), 3, 1).moves().size(), "at most the limit");

        apply(s, new MetadataCommand.SetBrokerLiveness(2, false));
        DecommissionPlanner.Plan noRoom = DecommissionPlanner.plan(s.image(), 3, 10);
        assertEquals(List.of("kafka/t/0: no live broker outside [3, 0, 1] can take the replica"), noRoom.failures());
    }
}
