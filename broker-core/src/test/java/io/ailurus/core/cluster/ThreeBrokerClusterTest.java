package io.ailurus.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.Broker;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.partition.Partition;
import io.ailurus.core.partition.PartitionException;
import io.ailurus.core.partition.ReplicatedPartition;
import io.ailurus.core.testing.Clients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.compress.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real brokers in one JVM formed by {@code --seeds}: one controller group, consistent
 * metadata on every broker, RF=3 partitions as jraft groups, acks=all through the leader,
 * follower refusals, failover to a new leader without losing an acknowledged record, and a
 * returning broker catching up.
 */
class ThreeBrokerClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void threeBrokersFormOneClusterReplicateAndFailOver() throws Exception {
        try (InJvmCluster cluster = new InJvmCluster(dir, 3).startAll()) {
            // One cluster: every broker registered, the same cluster id and controller everywhere.
            Await.until("all brokers registered everywhere", WAIT, () -> allImages(cluster).stream()
                .allMatch(img -> img.brokers().size() == 3 && img.clusterId() != null));
            Set<String> clusterIds = new HashSet<>();
            Set<Integer> controllers = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                clusterIds.add(cluster.broker(i).controller().clusterId());
                controllers.add(cluster.broker(i).controller().controllerId());
            }
            assertEquals(1, clusterIds.size(), "cluster ids " + clusterIds);
            assertEquals(1, controllers.size(), "controller ids " + controllers);
            int controllerId = controllers.iterator().next();
            assertTrue(controllerId >= 0 && controllerId < 3);

            // Create the topic through a broker that is NOT the controller leader: forwarded.
            int follower = (controllerId + 1) % 3;
            String topic = "orders";
            try (Admin admin = Clients.admin(cluster.bootstrap(follower))) {
                admin.createTopics(List.of(new NewTopic(topic, 3, (short) 3))).all().get(60, TimeUnit.SECONDS);
                // Every broker's Metadata names one leader per partition, the same everywhere.
                Await.until("leaders elected and reported", WAIT, () -> leadersAgree(cluster, topic, 3));
                Map<String, TopicDescription> d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS);
                for (TopicPartitionInfo p : d.get(topic).partitions()) {
                    assertEquals(3, p.replicas().size());
                    assertNotNull(p.leader());
                }
            }

            // acks=all through the leaders, then every record read back in order.
            List<String> sent = produce(cluster.bootstrap(), topic, 0, 300);
            assertEquals(sent, consumeAll(cluster.bootstrap(), topic, 3, 300));

            // A follower refuses produce with NOT_LEADER_OR_FOLLOWER.
            TopicPartition tp0 = new TopicPartition(topic, 0);
            int leader0 = leaderOf(cluster, tp0);
            int follower0 = (leader0 + 1) % 3;
            Partition onFollower = cluster.broker(follower0).partitions().get(tp0);
            assertInstanceOf(ReplicatedPartition.class, onFollower);
            MemoryRecords one = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("x".getBytes(StandardCharsets.UTF_8)));
            CompletableFuture<Partition.AppendOutcome> refused = new CompletableFuture<>();
            onFollower.owner().execute(() -> onFollower.append(one, (short) -1).whenComplete((o, e) -> {
                if (e != null) {
                    refused.completeExceptionally(e);
                } else {
                    refused.complete(o);
                }
            }));
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> refused.get(10, TimeUnit.SECONDS));
            assertEquals(Errors.NOT_LEADER_OR_FOLLOWER, PartitionException.errorOf(e.getCause()));

            // Every replica holds the same committed data.
            Await.until("replicas converge", WAIT, () -> replicasAgree(cluster, tp0));

            // The leader of partition 0 goes away: a new leader is elected and writes continue; a
            // client bootstrapped from the follower alone finds the new leader through Metadata.
            cluster.stop(leader0);
            int survivor = (leader0 + 1) % 3;
            List<String> more = produce(cluster.bootstrap(survivor), topic, 300, 200);
            Await.until("a new leader of " + tp0, WAIT, () -> {
                int l = leaderOf(cluster, tp0);
                return l >= 0 && l != leader0;
            });
            // The stopped broker shows up as an offline replica in Metadata from the others.
            Await.until("broker " + leader0 + " offline in metadata", WAIT,
                () -> cluster.broker(survivor).controller().image().offlineBrokers().contains(leader0));
            // The Admin client may ask either survivor; each applies the liveness change from the
            // controller log on its own, so wait until the answer no longer lists the stopped broker.
            try (Admin admin = Clients.admin(cluster.bootstrap(survivor))) {
                Await.until("ISRs without broker " + leader0, WAIT, () -> {
                    try {
                        TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
                        return d.partitions().stream().allMatch(p -> p.isr().stream().noneMatch(n -> n.id() == leader0));
                    } catch (Exception notYet) {
                        return false;
                    }
                });
            }
            List<String> all = new ArrayList<>(sent);
            all.addAll(more);
            List<String> read = consumeAll(cluster.bootstrap(survivor), topic, 3, all.size());
            assertEquals(new HashSet<>(all), new HashSet<>(read), "an acknowledged record was lost");
            assertEquals(all.size(), read.size(), "a record was duplicated");

            // It comes back and catches up with the leader, and is shown online again.
            cluster.start(leader0);
            Await.until("restarted broker caught up on " + tp0, WAIT, () -> replicasAgree(cluster, tp0));
            Await.until("broker " + leader0 + " online again", WAIT,
                () -> !cluster.broker(survivor).controller().image().offlineBrokers().contains(leader0));
        }
    }

    private static List<MetadataImage> allImages(InJvmCluster cluster) {
        List<MetadataImage> out = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.broker(i) != null) {
                out.add(cluster.broker(i).controller().image());
            }
        }
        return out;
    }

    /** The one broker whose replica leads {@code tp}, or -1 (none or several). */
    static int leaderOf(InJvmCluster cluster, TopicPartition tp) {
        int leader = -1;
        for (int i = 0; i < cluster.size(); i++) {
            Broker b = cluster.broker(i);
            Partition p = b == null ? null : b.partitions().get(tp);
            if (p != null && p.isLeader()) {
                if (leader >= 0) {
                    return -1;
                }
                leader = i;
            }
        }
        return leader;
    }

    /** Each partition has one leader, and every broker's Metadata (its image) reports it. */
    private static boolean leadersAgree(InJvmCluster cluster, String topic, int partitions) {
        for (int p = 0; p < partitions; p++) {
            int leader = leaderOf(cluster, new TopicPartition(topic, p));
            if (leader < 0) {
                return false;
            }
            for (MetadataImage img : allImages(cluster)) {
                var reported = img.reportedLeader(topic, p);
                if (reported == null || reported.nodeId() != leader) {
                    return false;
                }
            }
        }
        return true;
    }

    /** All live replicas have the same log end and high watermark (everything committed everywhere). */
    static boolean replicasAgree(InJvmCluster cluster, TopicPartition tp) {
        Set<Long> ends = new HashSet<>();
        Set<Long> hws = new HashSet<>();
        int replicas = 0;
        for (int i = 0; i < cluster.size(); i++) {
            Broker b = cluster.broker(i);
            Partition p = b == null ? null : b.partitions().get(tp);
            if (p != null) {
                replicas++;
                ends.add(p.logEndOffset());
                hws.add(p.highWatermark());
            }
        }
        return replicas >= 2 && ends.size() == 1 && hws.equals(ends);
    }

    static List<String> produce(String bootstrap, String topic, int from, int count) throws Exception {
        List<String> acked = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000))) {
            List<java.util.concurrent.Future<RecordMetadata>> futures = new ArrayList<>();
            for (int i = from; i < from + count; i++) {
                String v = "r-" + i;
                futures.add(producer.send(new ProducerRecord<>(topic, i % 3, null, v.getBytes(StandardCharsets.UTF_8))));
            }
            for (int i = 0; i < futures.size(); i++) {
                futures.get(i).get(90, TimeUnit.SECONDS);
                acked.add("r-" + (from + i));
            }
        }
        return acked;
    }

    static List<String> consumeAll(String bootstrap, String topic, int partitions, int expected) throws InterruptedException {
        List<String> out = new ArrayList<>();
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(bootstrap, Map.of())) {
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        // Records are per partition in order; compare in send order (r-i went to partition i % 3).
        out.sort(java.util.Comparator.comparingInt(s -> Integer.parseInt(s.substring(2))));
        return out;
    }
}
