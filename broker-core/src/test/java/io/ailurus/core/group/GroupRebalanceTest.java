package io.ailurus.core.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.testing.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The initial rebalance delay (one rebalance for a forming group) and static membership (no rebalance on a quick restart). */
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
                Set<TopicPartition> before = new HashSet<>(members.get(2).assignment);
                int revocations0 = members.get(0).revocations.get();
                int revocations1 = members.get(1).revocations.get();

                members.get(2).close();   // a static member's close sends no LeaveGroup
                returning = new TrackedConsumer("s2-again", staticProps(broker, 2), "t");
                TrackedConsumer r = returning;
                assertTrue(GroupTesting.await(Duration.ofSeconds(30), () -> r.assignment.equals(before)),
                    "the returning member gets its partitions back: " + r.assignment + " vs " + before);
                assertEquals(generation, r.generation, "same generation: no rebalance");
                assertEquals(rebalances, broker.broker().groups().rebalancesOf("static").get(10, TimeUnit.SECONDS));
                assertEquals(revocations0, members.get(0).revocations.get(), "the others kept their partitions");
                assertEquals(revocations1, members.get(1).revocations.get());
                assertEquals(generation, members.get(0).generation);
            } finally {
                for (TrackedConsumer m : members) {
                    m.close();
                }
                if (returning != null) {
                    returning.close();
                }
            }
        }
    }

    private static Properties staticProps(EmbeddedBroker broker, int i) {
        Properties p = GroupTesting.consumerProps(broker.bootstrap(), "static", "classic");
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-" + i);
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 20_000);
        return p;
    }
}
