package io.ailurus.core.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.config.ClusterConfigKeys;
import io.ailurus.core.config.ConfigSource;
import io.ailurus.core.testing.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offset retention (Kafka's {@code offsets.retention.minutes}, our {@code group_offset_retention_sec}):
 * offsets of a group without members expire once the retention has passed since the later of their
 * commit and the moment the group became empty; a group with a live member keeps them; a commit
 * restarts the clock; and the expiry is a controller command, so a restart does not bring them back.
 */
class GroupOffsetRetentionTest {
    private static final long RETENTION_MS = 2000;
    private static final long CHECK_MS = 1000;
    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final TopicPartition T1 = new TopicPartition("t", 1);

    @TempDir
    Path dir;

    @Test
    void offsetsOfAnEmptyGroupExpireAfterTheRetentionAndStayGoneAfterARestart() throws Exception {
        EmbeddedBroker broker = new EmbeddedBroker(dir, c -> GroupTesting.quick(c, 0)
            .with(ClusterConfigKeys.GROUP_OFFSET_RETENTION_SEC, RETENTION_MS / 1000, ConfigSource.STATIC_BROKER_CONFIG)
            .with(ClusterConfigKeys.GROUP_OFFSET_RETENTION_CHECK_MS, CHECK_MS, ConfigSource.STATIC_BROKER_CONFIG));
        try (broker) {
            broker.start();
            GroupTesting.createTopic(broker, "t", 2);
            try (Admin admin = Admin.create(broker.clientProps())) {
                // "recommitted": a member commits and leaves first, then a client outside the group protocol
                // (assign() + commitSync) keeps committing partition 0 of it; partition 1 is never committed again.
                commitAndLeave(broker, "recommitted", "classic", 1);
                // "left": a classic group whose only member commits and leaves (LeaveGroup makes it empty).
                commitAndLeave(broker, "left", "classic", 11);
                // "left-848": the same with the consumer protocol (KIP-848): the member leaves with epoch -1.
                commitAndLeave(broker, "left-848", "consumer", 12);

                try (KafkaConsumer<byte[], byte[]> active = GroupTesting.consumer(broker.bootstrap(), "active", "classic", Map.of());
                     KafkaConsumer<byte[], byte[]> recommitter = GroupTesting.consumer(broker.bootstrap(), "recommitted", "classic", Map.of())) {
                    // "active": a member that stays in the group the whole time, having committed once.
                    active.subscribe(List.of("t"));
                    assertTrue(pollUntilAssigned(active, 2), "the active member got both partitions");
                    active.commitSync(Map.of(T0, new OffsetAndMetadata(21), T1, new OffsetAndMetadata(22)));
                    long activeCommittedAt = System.nanoTime();
                    recommitter.assign(List.of(T0));
                    long recommitted = 100;
                    recommitter.commitSync(Map.of(T0, new OffsetAndMetadata(recommitted)));
                    long lastRecommitAt = System.nanoTime();

                    // Poll until the empty groups' offsets are gone, the recommitted group lost its stale partition 1,
                    // and the active member's commit is well past the retention (retention + two checks), asserting
                    // all along that the active group and the recommitted partition keep their offsets.
                    long mustOutlive = RETENTION_MS + 2 * CHECK_MS + 500;
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    boolean leftGone = false;
                    boolean staleGone = false;
                    while (System.nanoTime() < deadline) {
                        active.poll(Duration.ofMillis(100));
                        if (elapsedMs(lastRecommitAt) >= 500) {
                            recommitter.commitSync(Map.of(T0, new OffsetAndMetadata(++recommitted)));
                            lastRecommitAt = System.nanoTime();
                        }
                        leftGone = offsets(admin, "left").isEmpty() && offsets(admin, "left-848").isEmpty();
                        assertEquals(Map.of(T0, new OffsetAndMetadata(21), T1, new OffsetAndMetadata(22)), offsets(admin, "active"),
                            "a group with a live member keeps its offsets past the retention");
                        Map<TopicPartition, OffsetAndMetadata> rec = offsets(admin, "recommitted");
                        assertEquals(new OffsetAndMetadata(recommitted), rec.get(T0),
                            "an offset committed again is not expired: its clock restarts at the last commit");
                        staleGone = !rec.containsKey(T1);
                        if (leftGone && staleGone && elapsedMs(activeCommittedAt) > mustOutlive) {
                            break;
                        }
                    }
                    assertTrue(leftGone, "the empty groups' offsets expired");
                    assertTrue(staleGone, "the recommitted group's partition 1, committed once, expired");
                    Set<String> groups = groupIds(admin);
                    assertFalse(groups.contains("left"), "an empty group whose offsets all expired is deleted: " + groups);
                    assertFalse(groups.contains("left-848"), "an empty group whose offsets all expired is deleted: " + groups);
                    assertTrue(groups.contains("active"));
                    // "recommitted" became empty before "left", so an expiry counting from that moment alone would
                    // have deleted it in the same pass (a later commit then re-creating it as a bare, "simple" group).
                    // It must still be the group the member left: protocol type "consumer".
                    ConsumerGroupDescription described = admin.describeConsumerGroups(List.of("recommitted"))
                        .describedGroups().get("recommitted").get(30, TimeUnit.SECONDS);
                    assertFalse(described.isSimpleConsumerGroup(),
                        "the recommitted group was never deleted and re-created: " + described);

                    // Once the commits stop, its last offset expires too (counting from the last commit).
                    assertTrue(GroupTesting.await(Duration.ofSeconds(30), () -> offsets(admin, "recommitted").isEmpty()),
                        "the recommitted group's offsets expire once its commits stop");
                }
            }

            // The expiry went through the controller: a restart (snapshot and log replay) does not bring the offsets back.
            broker.broker().controller().snapshot().get(30, TimeUnit.SECONDS);
            broker.stop();
            broker.start();
            try (Admin admin = Admin.create(broker.clientProps())) {
                assertEquals(Map.of(), offsets(admin, "left"), "expired offsets stay gone after a restart");
                assertEquals(Map.of(), offsets(admin, "left-848"));
                assertEquals(Map.of(), offsets(admin, "recommitted"));
                Set<String> groups = groupIds(admin);
                assertFalse(groups.contains("left") || groups.contains("left-848") || groups.contains("recommitted"),
                    "expired groups stay deleted after a restart: " + groups);
            }
        }
    }

    private static void commitAndLeave(EmbeddedBroker broker, String group, String protocol, long offset) throws Exception {
        try (KafkaConsumer<byte[], byte[]> c = GroupTesting.consumer(broker.bootstrap(), group, protocol, Map.of())) {
            c.subscribe(List.of("t"));
            assertTrue(pollUntilAssigned(c, 2), group + ": the member got both partitions");
            c.commitSync(Map.of(T0, new OffsetAndMetadata(offset), T1, new OffsetAndMetadata(offset + 1)));
        }
        try (Admin admin = Admin.create(broker.clientProps())) {
            assertEquals(Map.of(T0, new OffsetAndMetadata(offset), T1, new OffsetAndMetadata(offset + 1)), offsets(admin, group),
                group + ": the commit is there right after the member left");
        }
    }

    private static boolean pollUntilAssigned(KafkaConsumer<byte[], byte[]> c, int partitions) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (c.assignment().size() < partitions && System.nanoTime() < deadline) {
            c.poll(Duration.ofMillis(100));
        }
        return c.assignment().size() == partitions;
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(Admin admin, String group) {
        try {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("OffsetFetch of " + group + " failed", e);
        }
    }

    private static Set<String> groupIds(Admin admin) throws Exception {
        return admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
            .map(GroupListing::groupId).collect(Collectors.toSet());
    }

    private static long elapsedMs(long sinceNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
    }
}
