package io.ailurus.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.testing.Clients;
import io.ailurus.core.txn.TransactionMetadata;
import io.ailurus.core.txn.TxnState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions on three brokers: partitions led by several brokers (so markers travel over the
 * internal RPC to their leaders), the transaction state replicated to every broker, and a
 * transaction committed after the controller leader stopped in its middle.
 */
class TransactionsClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void transactionsSpanPartitionsLedByDifferentBrokersAndSurviveTheControllerLeaderStopping() throws Exception {
        try (InJvmCluster cluster = new InJvmCluster(dir, 3).startAll()) {
            Await.until("all brokers registered everywhere", WAIT, () -> {
                for (int i = 0; i < 3; i++) {
                    if (cluster.broker(i).controller().image().brokers().size() < 3) {
                        return false;
                    }
                }
                return true;
            });
            try (Admin admin = Clients.admin(cluster.bootstrap())) {
                admin.createTopics(List.of(new NewTopic("txn-rf3", 3, (short) 3), new NewTopic("txn-rf1", 3, (short) 1)))
                    .all().get(60, TimeUnit.SECONDS);
            }
            List<TopicPartition> rf3 = Clients.partitions("txn-rf3", 3);
            List<TopicPartition> rf1 = Clients.partitions("txn-rf1", 3);
            Await.until("leaders for every replicated partition", WAIT,
                () -> rf3.stream().allMatch(tp -> ThreeBrokerClusterTest.leaderOf(cluster, tp) >= 0));
            Set<Integer> leaders = new HashSet<>();
            rf3.forEach(tp -> leaders.add(ThreeBrokerClusterTest.leaderOf(cluster, tp)));
            for (TopicPartition tp : rf1) {
                for (int i = 0; i < 3; i++) {
                    if (cluster.broker(i).partitions().get(tp) != null) {
                        leaders.add(i);
                    }
                }
            }
            assertTrue(leaders.size() >= 2, "partitions led by several brokers: " + leaders);

            List<TopicPartition> all = new ArrayList<>(rf3);
            all.addAll(rf1);
            Set<String> committed = new HashSet<>();
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(cluster.bootstrap(), Map.of(
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "cluster-txn", ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 90_000))) {
                producer.initTransactions();
                for (int t = 0; t < 4; t++) {
                    producer.beginTransaction();
                    for (TopicPartition tp : all) {
                        String v = "t" + t + "-" + tp;
                        producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), null, v.getBytes(StandardCharsets.UTF_8)));
                        if (t % 2 == 0) {
                            committed.add(v);
                        }
                    }
                    if (t % 2 == 0) {
                        producer.commitTransaction();
                    } else {
                        producer.abortTransaction();
                    }
                }
                assertEquals(committed, new HashSet<>(settled(cluster, all)));
                for (int i = 0; i < 3; i++) {
                    int broker = i;
                    Await.until("broker " + i + " has the replicated transaction state", WAIT, () -> {
                        TransactionMetadata m = cluster.broker(broker).controller().txns().get("cluster-txn");
                        return m != null && m.state() == TxnState.COMPLETE_ABORT;
                    });
                }

                // The controller leader stops in the middle of a transaction on the replicated topic.
                producer.beginTransaction();
                for (TopicPartition tp : rf3) {
                    String v = "across-failover-" + tp;
                    producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), null, v.getBytes(StandardCharsets.UTF_8)));
                    committed.add(v);
                }
                producer.flush();
                int controller = cluster.broker(0).controller().controllerId();
                cluster.stop(controller);
                producer.commitTransaction();
                int survivor = (controller + 1) % 3;
                Set<String> expected = new HashSet<>();
                committed.stream().filter(v -> v.contains("txn-rf3")).forEach(expected::add);
                assertEquals(expected, new HashSet<>(settledOn(cluster.bootstrap(survivor), rf3)));
                cluster.start(controller);
            }
        }
    }

    private static List<String> settled(InJvmCluster cluster, List<TopicPartition> tps) throws InterruptedException {
        return settledOn(cluster.bootstrap(), tps);
    }

    /** Waits until no transaction is open on {@code tps}, then every read_committed value. */
    private static List<String> settledOn(String bootstrap, List<TopicPartition> tps) throws InterruptedException {
        try (KafkaConsumer<byte[], byte[]> committed = Clients.consumer(bootstrap,
                 Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
             KafkaConsumer<byte[], byte[]> uncommitted = Clients.consumer(bootstrap,
                 Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"))) {
            Await.until("every transaction on " + tps + " to end", WAIT, () -> {
                try {
                    return committed.endOffsets(tps, Duration.ofSeconds(10)).equals(uncommitted.endOffsets(tps, Duration.ofSeconds(10)));
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    return false; // a partition is between leaders
                }
            });
            Map<TopicPartition, Long> end = committed.endOffsets(tps);
            committed.assign(tps);
            committed.seekToBeginning(tps);
            List<String> out = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (tps.stream().anyMatch(tp -> committed.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + tps + " up to " + end);
                }
                for (ConsumerRecord<byte[], byte[]> r : committed.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        out.add(new String(r.value(), StandardCharsets.UTF_8));
                    }
                }
            }
            return out;
        }
    }
}
