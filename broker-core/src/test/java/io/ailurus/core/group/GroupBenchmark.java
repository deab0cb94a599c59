package io.ailurus.core.group;

import io.ailurus.core.testing.EmbeddedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A benchmark, not a test: offset commits per second (clients committing 12 partitions per
 * OffsetCommit, synchronously, in parallel) and the time a 50-member group takes to rebalance when
 * a 51st member joins, for the classic and the consumer protocol. Run:
 * {@code java -cp <broker-core test class path> io.ailurus.core.group.GroupBenchmark [seconds]}.
 */
public final class GroupBenchmark {
    private GroupBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path dir = Files.createTempDirectory("group-bench");
        try (EmbeddedBroker broker = GroupTesting.broker(dir, 0).start()) {
            GroupTesting.createTopic(broker, "bench", 12);
            GroupTesting.createTopic(broker, "wide", 100);
            for (int clients : new int[] {1, 8}) {
                commits(broker, clients, seconds);
            }
            for (String protocol : List.of("classic", "consumer")) {
                rebalance(broker, protocol);
            }
        }
    }

    private static void commits(EmbeddedBroker broker, int clients, int seconds) throws Exception {
        AtomicLong commits = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            String group = "commit-bench-" + clients + "-" + c;
            Thread t = new Thread(() -> {
                try (KafkaConsumer<byte[], byte[]> consumer = GroupTesting.consumer(broker.bootstrap(), group, "classic", Map.of())) {
                    long i = 0;
                    while (System.nanoTime() < end) {
                        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                        for (int p = 0; p < 12; p++) {
                            offsets.put(new TopicPartition("bench", p), new OffsetAndMetadata(++i));
                        }
                        consumer.commitSync(offsets);
                        commits.incrementAndGet();
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.printf("offset commits: %d clients, %.0f OffsetCommit/s (%.0f partition offsets/s)%n", clients,
            commits.get() / (double) seconds, commits.get() * 12 / (double) seconds);
    }

    private static void rebalance(EmbeddedBroker broker, String protocol) throws Exception {
        String group = "rebalance-bench-" + protocol;
        List<TrackedConsumer> members = new ArrayList<>();
        try {
            long start = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                members.add(new TrackedConsumer(group + "-" + i, props(broker, group, protocol), "wide"));
            }
            waitBalanced(members, 100);
            System.out.printf("%s: 50 members formed a group over 100 partitions in %d ms%n", protocol,
                (System.nanoTime() - start) / 1_000_000);
            Thread.sleep(2000);
            start = System.nanoTime();
            members.add(new TrackedConsumer(group + "-50", props(broker, group, protocol), "wide"));
            waitBalanced(members, 100);
            System.out.printf("%s: rebalance of a stable 50-member group when a 51st joins: %d ms until every member has its new assignment%n",
                protocol, (System.nanoTime() - start) / 1_000_000);
        } finally {
            for (TrackedConsumer m : members) {
                m.close();
            }
        }
    }

    private static Properties props(EmbeddedBroker broker, String group, String protocol) {
        return GroupTesting.consumerProps(broker.bootstrap(), group, protocol);
    }

    /** Every member has partitions, no partition is held twice and all are held. */
    private static void waitBalanced(List<TrackedConsumer> members, int partitions) throws InterruptedException {
        boolean ok = GroupTesting.await(Duration.ofMinutes(3), () -> {
            int total = 0;
            java.util.Set<TopicPartition> all = new java.util.HashSet<>();
            for (TrackedConsumer m : members) {
                if (m.assignment.isEmpty()) {
                    return false;
                }
                total += m.assignment.size();
                all.addAll(m.assignment);
            }
            return total == partitions && all.size() == partitions;
        });
        if (!ok) {
            throw new IllegalStateException("the group did not balance within 3 minutes");
        }
    }
}
