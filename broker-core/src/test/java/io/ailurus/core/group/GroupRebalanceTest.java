package io.ailurus.core.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.testing.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The initial rebalance delay (one rebalance for a forming group) and static membership (no rebalance
 * on a quick restart, which the other members can tell: they see no revocation and no new generation,
 * unlike the same restart without a {@code group.instance.id}).
 */
class GroupRebalanceTest {
    @TempDir
    Path dir;

    @Test
    void fiveMembersJoiningWithinTheDelayCauseOneRebalance() throws Exception {
        try (EmbeddedBroker broker = GroupTesting.broker(dir, 3000).start()) {
            GroupTesting.createTopic(broker, "t", 10);
            List<TrackedConsumer> members = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    members.add(new TrackedConsumer("m" + i, GroupTesting.consumerProps(broker.bootstrap(), "debounced", "classic"), "t"));
                }
                assertTrue(GroupTesting.await(Duration.ofSeconds(60), () -> members.stream().allMatch(m -> m.assignment.size() == 2)),
                    "10 partitions over 5 members");
                for (TrackedConsumer m : members) {
                    assertEquals(1, m.generation, "every member got generation 1: the group formed in one rebalance");
                    assertEquals(1, m.assignments.get());
                }
                assertEquals(1, broker.broker().groups().rebalancesOf("debounced").get(10, TimeUnit.SECONDS));
            } finally {
                for (TrackedConsumer m : members) {
                    m.close();
                }
            }
        }
    }

    @Test
    void aStaticMemberRestartedWithinItsSessionGetsItsPartitionsBackWithoutARebalance() throws Exception {
        try (EmbeddedBroker broker = GroupTesting.broker(dir, 0).start()) {
            RestartSeen seen = closeAndRestartTheThirdMember(broker, true);
            for (int i = 0; i < 2; i++) {
                assertEquals(0, seen.othersRevoked[i], "member " + i + " had nothing revoked");
                assertEquals(0, seen.othersAssigned[i], "member " + i + " was assigned nothing new");
                assertEquals(seen.generationBefore, seen.othersGeneration[i], "member " + i + " stayed in the same generation");
            }
            assertEquals(seen.before, seen.returningAssignment, "the returning member gets its partitions back");
            assertEquals(seen.generationBefore, seen.returningGeneration, "the returning member is in the same generation");
            assertEquals(seen.rebalancesBefore, seen.rebalancesAfter, "the coordinator ran no join phase");
        }
    }

    /**
     * The contrast that shows the check above can fail: the same close and restart, but the new
     * consumer has no {@code group.instance.id}, so it joins as a new member; once the old static
     * member's session ends the group rebalances and the others see it.
     */
    @Test
    void theSameRestartWithoutAGroupInstanceIdIsARebalanceTheOthersSee() throws Exception {
        try (EmbeddedBroker broker = GroupTesting.broker(dir, 0).start()) {
            RestartSeen seen = closeAndRestartTheThirdMember(broker, false);
            assertTrue(seen.returningGeneration > seen.generationBefore, "a new generation: " + seen.returningGeneration);
            assertTrue(seen.rebalancesAfter > seen.rebalancesBefore);
            for (int i = 0; i < 2; i++) {
                assertTrue(seen.othersRevoked[i] > 0, "member " + i + " saw its partitions revoked (eager range assignor)");
                assertTrue(seen.othersAssigned[i] > 0, "member " + i + " was assigned partitions again");
                assertTrue(seen.othersGeneration[i] > seen.generationBefore, "member " + i + " moved to the new generation");
            }
        }
    }

    /** What the three members saw across the third one's close and restart; the others' counts are deltas. */
    private record RestartSeen(Set<TopicPartition> before, Set<TopicPartition> returningAssignment, int generationBefore,
                               int returningGeneration, int rebalancesBefore, int rebalancesAfter,
                               int[] othersRevoked, int[] othersAssigned, int[] othersGeneration) {}

    /**
     * Forms a group of three static members over 6 partitions, closes the third (a static member's
     * close sends no LeaveGroup) and starts it again, with or without its {@code group.instance.id},
     * and reports what every member saw once the returning member holds partitions and the others
     * have polled for a while since (long enough for a heartbeat to meet a started rebalance).
     */
    private RestartSeen closeAndRestartTheThirdMember(EmbeddedBroker broker, boolean keepInstanceId) throws Exception {
        GroupTesting.createTopic(broker, "t", 6);
        List<TrackedConsumer> members = new ArrayList<>();
        TrackedConsumer returning = null;
        try {
            for (int i = 0; i < 3; i++) {
                members.add(new TrackedConsumer("s" + i, staticProps(broker, i), "t"));
                // One at a time, so the group is stable before the next joins.
                int n = i + 1;
                assertTrue(GroupTesting.await(Duration.ofSeconds(60),
                    () -> members.stream().mapToInt(m -> m.assignment.size()).sum() == 6
                        && members.stream().allMatch(m -> !m.assignment.isEmpty()) && members.size() == n));
            }
            assertTrue(GroupTesting.await(Duration.ofSeconds(30), () -> members.stream().allMatch(m -> m.generation == members.get(2).generation)));
            int generation = members.get(0).generation;
            int rebalances = broker.broker().groups().rebalancesOf("static").get(10, TimeUnit.SECONDS);
            Set<TopicPartition> before = Set.copyOf(members.get(2).assignment);
            int[] revoked = new int[2];
            int[] assigned = new int[2];
            for (int i = 0; i < 2; i++) {
                revoked[i] = members.get(i).revocations.get();
                assigned[i] = members.get(i).assignments.get();
            }

            members.get(2).close();
            Properties props = staticProps(broker, 2);
            if (!keepInstanceId) {
                props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
            }
            returning = new TrackedConsumer("s2-again", props, "t");
            TrackedConsumer r = returning;
            assertTrue(GroupTesting.await(Duration.ofSeconds(60), () -> r.assignment.size() == 2),
                "the returning member holds two partitions: " + r.assignment);
            // Eager rebalancing revokes before re-joining, so a rebalance that let the returning member in has
            // already shown in the others' listeners; their own SyncGroup answer (the generation) may lag a little:
            // let each poll for over a second (several 300 ms heartbeats) before reading it.
            long[] pollsNow = {members.get(0).polls.get(), members.get(1).polls.get()};
            assertTrue(GroupTesting.await(Duration.ofSeconds(30), () -> members.get(0).polls.get() >= pollsNow[0] + 10
                && members.get(1).polls.get() >= pollsNow[1] + 10), "the others keep polling");
            int[] generations = {members.get(0).generation, members.get(1).generation};
            for (int i = 0; i < 2; i++) {
                revoked[i] = members.get(i).revocations.get() - revoked[i];
                assigned[i] = members.get(i).assignments.get() - assigned[i];
            }
            return new RestartSeen(before, Set.copyOf(r.assignment), generation, r.generation, rebalances,
                broker.broker().groups().rebalancesOf("static").get(10, TimeUnit.SECONDS), revoked, assigned, generations);
        } finally {
            for (TrackedConsumer m : members) {
                m.close();
            }
            if (returning != null) {
                returning.close();
            }
        }
    }

    private static Properties staticProps(EmbeddedBroker broker, int i) {
        Properties p = GroupTesting.consumerProps(broker.bootstrap(), "static", "classic");
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-" + i);
        // Long enough for a restart to fit well within it, short enough that the contrast case
        // (waiting for the old static member's session to end) stays quick.
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        return p;
    }
}
