package io.ailurus.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ailurus.core.Broker;
import io.ailurus.core.partition.Partition;
import io.ailurus.core.testing.ChildProcess;
import io.ailurus.core.testing.Clients;
import io.ailurus.core.testing.KafkaTool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replica moves on four real brokers in one JVM, driven by real clients: Kafka's Admin
 * (alterPartitionReassignments, listPartitionReassignments, electLeaders), the Kafka command-line
 * tools (kafka-reassign-partitions, kafka-leader-election) and the admin HTTP API (decommission).
 * Every record acknowledged with acks=all, before, during and after a move, must be readable
 * afterwards. The decommission test runs last: it drains broker 3 and stops it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicaMovesIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static InJvmCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new InJvmCluster(dir.resolve("cluster"), 4).startAll();
        Await.until("all four brokers registered everywhere", WAIT, () -> {
            for (int i = 0; i < 4; i++) {
                if (cluster.broker(i).controller().image().brokers().size() != 4) {
                    return false;
                }
            }
            return true;
        });
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A test that failed while a broker was down must not take the next tests down with it. */
    @org.junit.jupiter.api.AfterEach
    void restartStoppedBrokers() throws Exception {
        for (int i = 0; i < 4; i++) {
            if (cluster.broker(i) == null) {
                cluster.start(i);
            }
        }
    }

    @Test
    @Order(1)
    void aReplicaMovesToASpareBrokerWhileProducersWrite() throws Exception {
        String topic = "moving";
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Admin admin = Clients.admin(cluster.bootstrap(0))) {
            admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(0, 1, 2))))).all().get(60, TimeUnit.SECONDS);
            awaitLeader(admin, tp);
            List<String> acked = new ArrayList<>(produce(topic, "before-", 200));

            // The new replica's broker is down, so the move must stay in progress where everyone sees it.
            cluster.stop(3);
            admin.alterPartitionReassignments(Map.of(tp, Optional.of(new NewPartitionReassignment(List.of(1, 2, 3)))))
                .all().get(60, TimeUnit.SECONDS);
            Map<TopicPartition, PartitionReassignment> ongoing = admin.listPartitionReassignments().reassignments()
                .get(30, TimeUnit.SECONDS);
            PartitionReassignment move = ongoing.get(tp);
            assertEquals(List.of(3), move.addingReplicas(), "adding");
            assertEquals(List.of(0), move.removingReplicas(), "removing");
            assertEquals(Set.of(0, 1, 2, 3), new HashSet<>(move.replicas()), "replicas while moving");
            // Metadata from another broker shows the union too (the controller recorded it), and the
            // admin API shows the partition moving.
            try (Admin other = Clients.admin(cluster.bootstrap(2))) {
                Await.until("broker 2's Metadata shows the union", Duration.ofSeconds(15), () -> {
                    try {
                        return Set.of(0, 1, 2, 3).equals(new HashSet<>(replicas(other, tp)));
                    } catch (Exception e) {
                        return false;
                    }
                });
            }
            HttpClient http = HttpClient.newHttpClient();
            String partitionUrl = "http://127.0.0.1:" + cluster.broker(1).adminAddress().getPort() + "/v1/partitions/kafka/"
                + topic + "/0";
            // Broker 1 applies the controller's record on its own replica, a moment after the one asked.
            Await.until("broker 1's admin API shows the move in progress", Duration.ofSeconds(15), () -> {
                try {
                    return "in_progress".equals(JSON.readTree(get(http, partitionUrl).body()).get("status").asText());
                } catch (Exception e) {
                    return false;
                }
            });

            // Writes go on during the move; the spare comes up and catches up; the move completes.
            try (BackgroundProducer during = new BackgroundProducer(topic, "during-")) {
                acked.addAll(produce(topic, "while-down-", 100));
                cluster.start(3);
                Await.until("the move completes", WAIT, () -> noReassignments(admin));
                acked.addAll(during.stopAndCollect());
            }
            awaitReplicas(admin, tp, List.of(1, 2, 3));
            Await.until("broker 1's admin API shows the move done", Duration.ofSeconds(15), () -> {
                try {
                    return "done".equals(JSON.readTree(get(http, partitionUrl).body()).get("status").asText());
                } catch (Exception e) {
                    return false;
                }
            });
            Await.until("broker 0 dropped its copy", WAIT, () -> cluster.broker(0).partitions().get(tp) == null);
            Await.until("broker 0 deleted the partition's log", WAIT, () -> !logDirExists(0, topic));
            acked.addAll(produce(topic, "after-", 100));

            Await.until("the new replica holds everything", WAIT, () -> ThreeBrokerClusterTest.replicasAgree(cluster, tp));
            assertAllReadable(topic, acked);
        }
    }

    @Test
    @Order(2)
    void replicationFactorGoesFromTwoToThreeAndBackToTwo() throws Exception {
        String topic = "growing";
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Admin admin = Clients.admin(cluster.bootstrap(1))) {
            admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(1, 2))))).all().get(60, TimeUnit.SECONDS);
            awaitLeader(admin, tp);
            List<String> acked = new ArrayList<>(produce(topic, "rf2-", 150));

            try (BackgroundProducer during = new BackgroundProducer(topic, "up-")) {
                admin.alterPartitionReassignments(Map.of(tp, Optional.of(new NewPartitionReassignment(List.of(1, 2, 0)))))
                    .all().get(60, TimeUnit.SECONDS);
                Await.until("RF 2 -> 3 completes", WAIT, () -> noReassignments(admin));
                acked.addAll(during.stopAndCollect());
            }
            awaitReplicas(admin, tp, List.of(1, 2, 0));
            assertEquals(3, admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                .partitions().get(0).isr().size(), "three in-sync replicas");
            acked.addAll(produce(topic, "rf3-", 150));
            Await.until("the added replica holds everything", WAIT, () -> ThreeBrokerClusterTest.replicasAgree(cluster, tp));

            // Down to two, dropping broker 1 (the preferred replica, likely the leader).
            try (BackgroundProducer during = new BackgroundProducer(topic, "down-")) {
                admin.alterPartitionReassignments(Map.of(tp, Optional.of(new NewPartitionReassignment(List.of(2, 0)))))
                    .all().get(60, TimeUnit.SECONDS);
                Await.until("RF 3 -> 2 completes", WAIT, () -> noReassignments(admin));
                acked.addAll(during.stopAndCollect());
            }
            awaitReplicas(admin, tp, List.of(2, 0));
            Await.until("broker 1 dropped its copy", WAIT, () -> cluster.broker(1).partitions().get(tp) == null);
            acked.addAll(produce(topic, "rf2-again-", 150));
            assertAllReadable(topic, acked);

            // What Raft cannot do is refused with Kafka's code and a reason.
            ExecutionException toOne = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> admin.alterPartitionReassignments(Map.of(tp, Optional.of(new NewPartitionReassignment(List.of(2)))))
                    .all().get(30, TimeUnit.SECONDS));
            assertInstanceOf(InvalidReplicationFactorException.class, toOne.getCause());
            ExecutionException cancelNothing = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> admin.alterPartitionReassignments(Map.of(tp, Optional.empty())).all().get(30, TimeUnit.SECONDS));
            assertInstanceOf(NoReassignmentInProgressException.class, cancelNothing.getCause());
        }
    }

    @Test
    @Order(3)
    void preferredElectionsMoveLeadershipOnlyWhenAsked() throws Exception {
        setClusterProperty("enable_leader_balancer", false); // nothing but ElectLeaders may move the leader
        String topic = "electing";
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Admin admin = Clients.admin(cluster.bootstrap(0))) {
            admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(0, 1, 2))))).all().get(60, TimeUnit.SECONDS);
            int leader = awaitLeader(admin, tp);
            List<String> acked = new ArrayList<>(produce(topic, "e-", 50));

            // Another order of the same replicas: no membership change, a new preferred replica.
            int preferred = leader == 1 ? 2 : 1;
            List<Integer> order = new ArrayList<>(List.of(0, 1, 2));
            order.remove(Integer.valueOf(preferred));
            order.add(0, preferred);
            admin.alterPartitionReassignments(Map.of(tp, Optional.of(new NewPartitionReassignment(order))))
                .all().get(60, TimeUnit.SECONDS);
            assertEquals(order, replicas(admin, tp));
            assertTrue(noReassignments(admin), "a reorder is no move");
            assertEquals(leader, leaderOf(admin, tp), "the leader stays until an election is asked for");

            Map<TopicPartition, Optional<Throwable>> result = admin.electLeaders(ElectionType.PREFERRED, Set.of(tp))
                .partitions().get(60, TimeUnit.SECONDS);
            assertEquals(Optional.empty(), result.get(tp), "the preferred election succeeded");
            Await.until("broker " + preferred + " leads in Metadata", WAIT, () -> leaderOf(admin, tp) == preferred);
            Await.until("broker " + preferred + "'s replica leads", WAIT,
                () -> cluster.broker(preferred).partitions().get(tp).isLeader());

            result = admin.electLeaders(ElectionType.PREFERRED, Set.of(tp)).partitions().get(60, TimeUnit.SECONDS);
            assertInstanceOf(ElectionNotNeededException.class, result.get(tp).orElseThrow());
            result = admin.electLeaders(ElectionType.UNCLEAN, Set.of(tp)).partitions().get(60, TimeUnit.SECONDS);
            assertInstanceOf(ElectionNotNeededException.class, result.get(tp).orElseThrow(), "a Raft group with a leader");

            // kafka-leader-election.sh: back to the first replica of another order.
            int next = preferred == 1 ? 2 : 1;
            List<Integer> order2 = new ArrayList<>(List.of(0, 1, 2));
            order2.remove(Integer.valueOf(next));
            order2.add(0, next);
            admin.alterPartitionReassignments(Map.of(tp, Optional.of(new NewPartitionReassignment(order2))))
                .all().get(60, TimeUnit.SECONDS);
            ChildProcess.Result tool = new KafkaTool(dir).run("org.apache.kafka.tools.LeaderElectionCommand",
                Duration.ofSeconds(120), "--bootstrap-server", cluster.bootstrap(0), "--election-type", "PREFERRED",
                "--topic", topic, "--partition", "0");
            assertEquals(0, tool.exitCode(), tool.stdout() + tool.stderr());
            assertTrue(tool.stdout().contains("Successfully completed leader election (PREFERRED) for partitions " + tp),
                tool.stdout());
            Await.until("broker " + next + " leads in Metadata", WAIT, () -> leaderOf(admin, tp) == next);

            // An election without a partition list covers every partition not led by its preferred replica.
            List<Integer> order3 = List.of(0, 1, 2); // next is 1 or 2: broker 0 is not leading
            int third = 0;
            admin.alterPartitionReassignments(Map.of(tp, Optional.of(new NewPartitionReassignment(order3))))
                .all().get(60, TimeUnit.SECONDS);
            Map<TopicPartition, Optional<Throwable>> all = admin.electLeaders(ElectionType.PREFERRED, null)
                .partitions().get(60, TimeUnit.SECONDS);
            assertEquals(Optional.empty(), all.get(tp), "the election of every partition included " + tp + ": " + all);
            Await.until("broker " + third + " leads in Metadata", WAIT, () -> leaderOf(admin, tp) == third);

            // The admin API's transfer_leadership, asked on a broker that holds no replica: 200 once
            // the old leader sees broker 2 lead.
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> moved = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + cluster.broker(3).adminAddress().getPort() + "/v1/partitions/kafka/" + topic + "/0/transfer_leadership?target=2"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, moved.statusCode(), moved.body());
            Await.until("broker 2 leads", WAIT, () -> cluster.broker(2).partitions().get(tp).isLeader());
            HttpResponse<String> notReplica = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + cluster.broker(3).adminAddress().getPort() + "/v1/partitions/kafka/" + topic + "/0/transfer_leadership?target=3"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, notReplica.statusCode(), notReplica.body());
            acked.addAll(produce(topic, "e2-", 50));
            assertAllReadable(topic, acked);
        } finally {
            setClusterProperty("enable_leader_balancer", true);
        }
    }

    @Test
    @Order(4)
    void kafkaReassignPartitionsToolMovesAndVerifies() throws Exception {
        String topic = "tooling";
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Admin admin = Clients.admin(cluster.bootstrap(2))) {
            admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(0, 1, 2))))).all().get(60, TimeUnit.SECONDS);
            awaitLeader(admin, tp);
            List<String> acked = new ArrayList<>(produce(topic, "t-", 100));
            Path plan = dir.resolve("reassign.json");
            Files.writeString(plan, "{\"version\":1,\"partitions\":[{\"topic\":\"" + topic
                + "\",\"partition\":0,\"replicas\":[3,1,2]}]}");
            KafkaTool tools = new KafkaTool(dir);
            ChildProcess.Result exec = tools.run("org.apache.kafka.tools.reassign.ReassignPartitionsCommand",
                Duration.ofSeconds(120), "--bootstrap-server", cluster.bootstrap(), "--reassignment-json-file",
                plan.toString(), "--execute");
            assertEquals(0, exec.exitCode(), exec.stdout() + exec.stderr());
            assertTrue(exec.stdout().contains("Successfully started partition reassignment"), exec.stdout());
            Await.until("--verify reports it complete", WAIT, () -> {
                try {
                    ChildProcess.Result verify = tools.run("org.apache.kafka.tools.reassign.ReassignPartitionsCommand",
                        Duration.ofSeconds(120), "--bootstrap-server", cluster.bootstrap(), "--reassignment-json-file",
                        plan.toString(), "--verify", "--preserve-throttles");
                    return verify.stdout().contains("Reassignment of partition " + tp + " is completed");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            awaitReplicas(admin, tp, List.of(3, 1, 2));
            acked.addAll(produce(topic, "t2-", 100));
            assertAllReadable(topic, acked);
        }
    }

    @Test
    @Order(5)
    void decommissionMovesEveryReplicaOffABrokerThenStoppingItLosesNothing() throws Exception {
        String topic = "draining";
        HttpClient http = HttpClient.newHttpClient();
        String admin0 = "http://127.0.0.1:" + cluster.broker(0).adminAddress().getPort();
        try (Admin admin = Clients.admin(cluster.bootstrap(0))) {
            // A single-replica partition on broker 3 cannot leave: the decommission is refused, naming it.
            admin.createTopics(List.of(new NewTopic("single", Map.of(0, List.of(3))))).all().get(60, TimeUnit.SECONDS);
            Await.until("broker 0 (whose admin API is asked) knows the topic", WAIT,
                () -> cluster.broker(0).controller().image().topic("single").isPresent());
            HttpResponse<String> refused = put(http, admin0 + "/v1/brokers/3/decommission");
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("kafka/single/0"), refused.body());
            admin.deleteTopics(List.of("single")).all().get(60, TimeUnit.SECONDS);
            Await.until("the single-replica topic is gone everywhere", WAIT,
                () -> cluster.broker(3).controller().image().topic("single").isEmpty());

            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 3))).all().get(60, TimeUnit.SECONDS);
            for (int p = 0; p < 4; p++) {
                awaitLeader(admin, new TopicPartition(topic, p));
            }
            assertTrue(hostedBy(admin, 3) > 0, "broker 3 holds replicas before");
            List<String> acked = new ArrayList<>(produceSpread(topic, "d-", 400, 4));

            HttpResponse<String> accepted = put(http, admin0 + "/v1/brokers/3/decommission");
            assertEquals(200, accepted.statusCode(), accepted.body());
            try (BackgroundProducer during = new BackgroundProducer(topic, "draining-")) {
                Await.until("the decommission finishes", WAIT, () -> {
                    try {
                        JsonNode status = JSON.readTree(get(http, admin0 + "/v1/brokers/3/decommission").body());
                        return status.get("finished").asBoolean();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                acked.addAll(during.stopAndCollect());
            }
            JsonNode brokers = JSON.readTree(get(http, admin0 + "/v1/brokers").body());
            assertEquals("removed", brokers.get(3).get("membership_status").asText());
            assertEquals(0, hostedBy(admin, 3), "no replica left on broker 3 in Metadata");
            // Broker 0 answered "finished" from its own image; broker 1 applies the same log a moment later.
            Await.until("no move left in progress on broker 1 either", WAIT,
                () -> cluster.broker(1).controller().image().reassignments().isEmpty());

            // New topics avoid it while it stays decommissioned.
            admin.createTopics(List.of(new NewTopic("after-drain", 4, (short) 3))).all().get(60, TimeUnit.SECONDS);
            assertEquals(0, hostedBy(admin, 3), "a new topic placed replicas on a decommissioned broker");

            Await.until("broker 3 dropped every copy", WAIT, () -> cluster.broker(3).partitions().all().isEmpty());
            cluster.stop(3);
            acked.addAll(produceSpread(topic, "after-stop-", 200, 4));
            assertAllReadable(topic, acked);
        }
    }

    // ------------------------------------------------------------------------------- helpers

    private static int awaitLeader(Admin admin, TopicPartition tp) throws InterruptedException {
        Await.until("a leader of " + tp, WAIT, () -> leaderOf(admin, tp) >= 0);
        return leaderOf(admin, tp);
    }

    private static int leaderOf(Admin admin, TopicPartition tp) {
        try {
            TopicDescription d = admin.describeTopics(List.of(tp.topic())).allTopicNames().get(30, TimeUnit.SECONDS).get(tp.topic());
            Node leader = d.partitions().get(tp.partition()).leader();
            return leader == null ? -1 : leader.id();
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * Waits until Metadata shows {@code target} as the assignment, in order. The move's end is seen
     * first by the broker that answers ListPartitionReassignments; the broker the admin client asks
     * for Metadata applies the controller's record a moment later (as in Kafka, metadata is
     * eventually consistent across brokers), so a single look right after could see the union.
     */
    private static void awaitReplicas(Admin admin, TopicPartition tp, List<Integer> target) throws InterruptedException {
        Await.until("Metadata shows the assignment " + target, Duration.ofSeconds(15), () -> {
            try {
                return target.equals(replicas(admin, tp));
            } catch (Exception e) {
                return false;
            }
        });
    }

    private static List<Integer> replicas(Admin admin, TopicPartition tp) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(tp.topic())).allTopicNames().get(30, TimeUnit.SECONDS).get(tp.topic());
        return d.partitions().get(tp.partition()).replicas().stream().map(Node::id).toList();
    }

    /** Replicas on {@code broker} over every topic, as Metadata shows them. */
    private static int hostedBy(Admin admin, int broker) throws Exception {
        Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        int n = 0;
        for (TopicDescription d : admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
            for (var p : d.partitions()) {
                n += (int) p.replicas().stream().filter(r -> r.id() == broker).count();
            }
        }
        return n;
    }

    private static boolean noReassignments(Admin admin) {
        try {
            return admin.listPartitionReassignments().reassignments().get(30, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean logDirExists(int broker, String topic) {
        return Files.exists(dir.resolve("cluster").resolve("broker-" + broker).resolve("kafka").resolve(topic))
            && java.util.Objects.requireNonNull(dir.resolve("cluster").resolve("broker-" + broker).resolve("kafka").resolve(topic)
                .toFile().list()).length > 0;
    }

    private static List<String> produce(String topic, String prefix, int count) throws Exception {
        return produceSpread(topic, prefix, count, 1);
    }

    /** acks=all, idempotent; returns the values acknowledged. */
    private static List<String> produceSpread(String topic, String prefix, int count, int partitions) throws Exception {
        List<String> acked = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(cluster.bootstrap(), producerConfig())) {
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, i % partitions, null,
                    (prefix + i).getBytes(StandardCharsets.UTF_8))));
            }
            for (int i = 0; i < count; i++) {
                futures.get(i).get(90, TimeUnit.SECONDS);
                acked.add(prefix + i);
            }
        }
        return acked;
    }

    private static Map<String, Object> producerConfig() {
        return Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 90_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
            ProducerConfig.LINGER_MS_CONFIG, 5);
    }

    /** Every acknowledged value is in the topic (nothing lost); nothing is there twice. */
    private static void assertAllReadable(String topic, List<String> acked) throws Exception {
        int partitions;
        try (Admin admin = Clients.admin(cluster.bootstrap())) {
            partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                .partitions().size();
        }
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        List<ConsumerRecord<byte[], byte[]>> read = Clients.readFromStart(cluster.bootstrap(), tps, acked.size(), WAIT);
        List<String> values = new ArrayList<>();
        read.forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
        Set<String> missing = new HashSet<>(acked);
        values.forEach(missing::remove);
        assertTrue(missing.isEmpty(), missing.size() + " acknowledged records lost, e.g. " + missing.stream().limit(5).toList());
        assertEquals(new HashSet<>(values).size(), values.size(), "a record was read twice");
    }

    private static void setClusterProperty(String name, boolean value) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String url = "http://127.0.0.1:" + cluster.broker(0).adminAddress().getPort() + "/v1/cluster_config";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
            .PUT(HttpRequest.BodyPublishers.ofString("{\"upsert\":{\"" + name + "\":" + value + "},\"remove\":[]}"))
            .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Await.until(name + " applied everywhere", WAIT, () -> {
            for (int i = 0; i < cluster.size(); i++) {
                Broker b = cluster.broker(i);
                if (b != null && !String.valueOf(value).equals(b.controller().image().clusterConfig().get(name))) {
                    return false;
                }
            }
            return true;
        });
    }

    private static HttpResponse<String> put(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An acks=all producer writing to partition 0 (or spread) on its own thread until stopped. */
    private static final class BackgroundProducer implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<String> acked = Collections.synchronizedList(new ArrayList<>());
        private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;

        BackgroundProducer(String topic, String prefix) {
            thread = new Thread(() -> {
                try (KafkaProducer<byte[], byte[]> producer = Clients.producer(cluster.bootstrap(), producerConfig())) {
                    for (int i = 0; running.get(); i++) {
                        String v = prefix + i;
                        try {
                            producer.send(new ProducerRecord<>(topic, 0, null, v.getBytes(StandardCharsets.UTF_8)))
                                .get(90, TimeUnit.SECONDS);
                            acked.add(v);
                        } catch (Exception e) {
                            failures.add(e); // not acknowledged: not counted
                        }
                        Thread.sleep(5);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "background-producer");
            thread.start();
        }

        List<String> stopAndCollect() throws InterruptedException {
            running.set(false);
            thread.join(120_000);
            assertFalse(thread.isAlive(), "the background producer stopped");
            assertTrue(acked.size() > 0, "some writes were acknowledged during the move; failures: " + failures);
            return new ArrayList<>(acked);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(120_000);
        }
    }

}
