package io.ailurus.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.sofa.jraft.entity.PeerId;
import io.ailurus.core.Broker;
import io.ailurus.core.config.BrokerConfig;
import io.ailurus.core.config.HostPort;
import io.ailurus.core.testing.BrokerProcess;
import io.ailurus.core.testing.Clients;
import io.ailurus.raft.RaftGroup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker that is not one of the seeds joins a running cluster: three seeds form it (the
 * controller's voters), a fourth broker started with {@code --seeds} naming the three is added to
 * the controller group as a learner, gets the metadata (from a snapshot: the seeds' controller log
 * was truncated before it joined), registers, hosts a replica of a topic created afterwards, serves
 * acks=all produce and consume, and comes back after a restart. And a broker whose seeds are all
 * unreachable fails to start with a message naming them.
 */
class BrokerJoinIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void aFourthBrokerJoinsAsALearnerHostsReplicasAndComesBackAfterARestart() throws Exception {
        try (InJvmCluster cluster = new InJvmCluster(dir, 4).withSeeds(3).startFirst(3)) {
            Await.until("the three seeds registered everywhere", WAIT, () -> registeredEverywhere(cluster, 3, 3));
            // Metadata from before the join, and controller snapshots taken twice so the seeds' controller
            // logs no longer start at index 1: the joining broker must be sent a snapshot.
            try (Admin admin = Clients.admin(cluster.bootstrap(0))) {
                admin.createTopics(List.of(new NewTopic("before-join", 2, (short) 3))).all().get(60, TimeUnit.SECONDS);
                snapshotSeeds(cluster);
                admin.createTopics(List.of(new NewTopic("between-snapshots", 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
                snapshotSeeds(cluster);
            }

            cluster.start(3);
            Broker joined = cluster.broker(3);
            assertTrue(joined.controller().image().topic("before-join").isPresent(), "the joined broker has the metadata");
            assertTrue(joined.controller().image().topic("between-snapshots").isPresent(), "... all of it");
            assertEquals(cluster.broker(0).controller().clusterId(), joined.controller().clusterId());
            Await.until("all four brokers registered everywhere", WAIT, () -> registeredEverywhere(cluster, 4, 4));
            assertControllerMembers(cluster, 3);

            try (Admin viaJoined = Clients.admin(cluster.bootstrap(3))) {
                Set<Integer> ids = new HashSet<>();
                for (Node n : viaJoined.describeCluster().nodes().get(30, TimeUnit.SECONDS)) {
                    ids.add(n.id());
                }
                assertEquals(Set.of(0, 1, 2, 3), ids, "DescribeCluster through the joined broker");
                // (Its own RegisterBroker already went from a learner to the controller leader: it is listed.)
                viaJoined.createTopics(List.of(new NewTopic("on-joiner", Map.of(0, List.of(3, 0, 1)))))
                    .all().get(60, TimeUnit.SECONDS);
            }
            TopicPartition tp = new TopicPartition("on-joiner", 0);
            Await.until("broker 3 hosts a replica of " + tp, WAIT, () -> cluster.broker(3).partitions().get(tp) != null);
            for (int i = 0; i < 4; i++) {
                assertEquals(List.of(3, 0, 1), awaitReplicasWithLeader(cluster.bootstrap(i), tp),
                    "Metadata of " + tp + " from broker " + i);
            }
            List<String> acked = new ArrayList<>(produce(cluster.bootstrap(3), "first-", 100));
            assertEquals(acked, values(Clients.readFromStart(cluster.bootstrap(3), List.of(tp), acked.size(), WAIT)));

            // A restart: its controller log names it a learner; it asks again, is answered ok, and serves.
            cluster.stop(3);
            acked.addAll(produce(cluster.bootstrap(0), "while-down-", 50));
            cluster.start(3);
            assertControllerMembers(cluster, 3);
            Await.until("the restarted broker is registered and alive everywhere", WAIT,
                () -> registeredEverywhere(cluster, 4, 4));
            acked.addAll(produce(cluster.bootstrap(3), "after-restart-", 50));
            assertEquals(acked, values(Clients.readFromStart(cluster.bootstrap(3), List.of(tp), acked.size(), WAIT)),
                "everything acknowledged, read through the restarted broker");
        }
    }

    @Test
    void aBrokerWhoseSeedsAreUnreachableFailsNamingThem() throws Exception {
        int seedA = BrokerProcess.freePort();
        int seedB = BrokerProcess.freePort();
        BrokerConfig config = BrokerConfig.builder()
            .nodeId(7)
            .dataDirectory(dir.resolve("lonely"))
            .kafkaApi(new HostPort("127.0.0.1", 0))
            .admin(new HostPort("127.0.0.1", 0))
            .rpcServer(new HostPort("127.0.0.1", 0))
            .seedServers(List.of(new HostPort("127.0.0.1", seedA), new HostPort("127.0.0.1", seedB)))
            .smp(1)
            .build();
        String before = System.getProperty("ailurus.controller.start.timeout.ms");
        System.setProperty("ailurus.controller.start.timeout.ms", "3000");
        try {
            Exception e = assertThrows(Exception.class, () -> Broker.start(config).close());
            String message = e.getMessage();
            assertTrue(message.contains("127.0.0.1:" + seedA) && message.contains("127.0.0.1:" + seedB),
                "names the seeds: " + message);
            assertTrue(message.contains("not one of the seeds"), "says why it asked them: " + message);
        } finally {
            if (before == null) {
                System.clearProperty("ailurus.controller.start.timeout.ms");
            } else {
                System.setProperty("ailurus.controller.start.timeout.ms", before);
            }
        }
    }

    /** The controller leader's view: the seeds vote, and broker 3 is its only learner (added once). */
    private static void assertControllerMembers(InJvmCluster cluster, int joinedBroker) throws InterruptedException {
        PeerId joined = peerOf(cluster.broker(joinedBroker));
        Await.until("a controller leader among the seeds", WAIT, () -> leaderGroup(cluster) != null);
        RaftGroup leader = leaderGroup(cluster);
        Set<PeerId> seeds = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            seeds.add(peerOf(cluster.broker(i)));
        }
        assertEquals(seeds, new HashSet<>(leader.peers()), "the voters are the seeds");
        assertEquals(List.of(joined), leader.learners(), "the joined broker is a learner");
        assertFalse(cluster.broker(joinedBroker).controller().isLeader());
    }

    private static RaftGroup leaderGroup(InJvmCluster cluster) {
        for (int i = 0; i < 3; i++) {
            Broker b = cluster.broker(i);
            if (b != null && b.controller().isLeader()) {
                return b.controller().group();
            }
        }
        return null;
    }

    private static PeerId peerOf(Broker b) {
        return new PeerId(b.rpcAddress().getHostString(), b.rpcAddress().getPort());
    }

    private static void snapshotSeeds(InJvmCluster cluster) throws Exception {
        for (int i = 0; i < 3; i++) {
            cluster.broker(i).controller().snapshot().get(30, TimeUnit.SECONDS);
        }
    }

    /** Every running broker's image lists {@code brokers} brokers, {@code alive} of them alive. */
    private static boolean registeredEverywhere(InJvmCluster cluster, int brokers, int alive) {
        for (int i = 0; i < cluster.size(); i++) {
            Broker b = cluster.broker(i);
            if (b == null) {
                continue;
            }
            var image = b.controller().image();
            if (image.brokers().size() != brokers
                || image.brokers().keySet().stream().filter(image::isBrokerAlive).count() != alive) {
                return false;
            }
        }
        return true;
    }

    /** The replicas Metadata from {@code bootstrap} (one broker) shows, once it names a leader. */
    private static List<Integer> awaitReplicasWithLeader(String bootstrap, TopicPartition tp) throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            List<List<Integer>> seen = new ArrayList<>();
            Await.until("a leader of " + tp + " in Metadata from " + bootstrap, WAIT, () -> {
                try {
                    TopicDescription d = admin.describeTopics(List.of(tp.topic())).allTopicNames()
                        .get(30, TimeUnit.SECONDS).get(tp.topic());
                    var p = d.partitions().get(tp.partition());
                    if (p.leader() == null || p.leader().id() < 0) {
                        return false;
                    }
                    seen.add(p.replicas().stream().map(Node::id).toList());
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
            return seen.get(seen.size() - 1);
        }
    }

    /** acks=all, idempotent, through {@code bootstrap} only; returns the values acknowledged. */
    private static List<String> produce(String bootstrap, String prefix, int count) throws Exception {
        List<String> acked = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 90_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000))) {
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(producer.send(new ProducerRecord<>("on-joiner", 0, null,
                    (prefix + i).getBytes(StandardCharsets.UTF_8))));
            }
            for (int i = 0; i < count; i++) {
                futures.get(i).get(90, TimeUnit.SECONDS);
                acked.add(prefix + i);
            }
        }
        return acked;
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }
}
