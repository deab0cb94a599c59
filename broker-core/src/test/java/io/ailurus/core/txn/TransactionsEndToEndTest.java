package io.ailurus.core.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.cluster.Await;
import io.ailurus.core.config.ClusterConfigKeys;
import io.ailurus.core.config.ConfigSource;
import io.ailurus.core.testing.Clients;
import io.ailurus.core.testing.EmbeddedBroker;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions end to end with Apache Kafka's Java producer and consumer on a real broker: commits
 * and aborts interleaved over several partitions, read_committed versus read_uncommitted,
 * sendOffsetsToTransaction, zombie fencing, the timeout abort of an abandoned transaction, and a
 * broker (coordinator) restart in the middle of a transaction.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionsEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private EmbeddedBroker broker;

    @BeforeAll
    void start() throws Exception {
        broker = new EmbeddedBroker(dir.resolve("b"), c -> c.withAll(Map.of(ClusterConfigKeys.TX_TIMEOUT_DELAY_MS, 200L),
            ConfigSource.STATIC_BROKER_CONFIG)).start();
    }

    @AfterAll
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private KafkaProducer<byte[], byte[]> transactional(String txnId, Map<String, Object> extra) {
        Map<String, Object> props = new java.util.HashMap<>(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, txnId,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000, ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000));
        props.putAll(extra);
        KafkaProducer<byte[], byte[]> p = Clients.producer(broker.bootstrap(), props);
        p.initTransactions();
        return p;
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, int partition, String value) {
        return new ProducerRecord<>(topic, partition, null, value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void interleavedCommitsAndAbortsAreSeenExactlyByReadCommitted() throws Exception {
        String topic = "txn-interleaved";
        Clients.createTopic(broker.bootstrap(), topic, 3, Map.of());
        List<TopicPartition> tps = Clients.partitions(topic, 3);
        Set<String> committed = new HashSet<>();
        Set<String> all = new HashSet<>();
        try (var a = transactional("interleave-a", Map.of()); var b = transactional("interleave-b", Map.of())) {
            for (int t = 0; t < 6; t++) {
                a.beginTransaction();
                b.beginTransaction();
                for (int p = 0; p < 3; p++) {
                    for (int r = 0; r < 5; r++) {
                        String va = "a-" + t + "-" + p + "-" + r;
                        String vb = "b-" + t + "-" + p + "-" + r;
                        a.send(record(topic, p, va));
                        b.send(record(topic, p, vb));
                        all.add(va);
                        all.add(vb);
                        // a commits its even transactions, b its odd ones: every partition sees both outcomes.
                        if (t % 2 == 0) {
                            committed.add(va);
                        } else {
                            committed.add(vb);
                        }
                    }
                }
                if (t % 2 == 0) {
                    a.commitTransaction();
                    b.abortTransaction();
                } else {
                    b.commitTransaction();
                    a.abortTransaction();
                }
            }
        }
        List<String> readCommitted = TxnReads.settledValues(broker.bootstrap(), tps, "read_committed", WAIT);
        assertEquals(committed.size(), readCommitted.size(), "no duplicates, nothing missing");
        assertEquals(committed, new HashSet<>(readCommitted));
        List<String> readUncommitted = TxnReads.settledValues(broker.bootstrap(), tps, "read_uncommitted", WAIT);
        assertEquals(all, new HashSet<>(readUncommitted), "read_uncommitted sees aborted records too");
    }

    @Test
    void sendOffsetsToTransactionCommitsTheOffsetsOnlyWithTheTransaction() throws Exception {
        String in = "txn-offsets-in";
        String out = "txn-offsets-out";
        String group = "txn-offsets-group";
        Clients.createTopic(broker.bootstrap(), in, 1, Map.of());
        Clients.createTopic(broker.bootstrap(), out, 1, Map.of());
        TopicPartition inTp = new TopicPartition(in, 0);
        try (var p = Clients.producer(broker.bootstrap(), Map.of())) {
            for (int i = 0; i < 10; i++) {
                p.send(record(in, 0, "in-" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        try (var producer = transactional("offsets-txn", Map.of());
             KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrap(), Map.of(
                 ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
             Admin admin = Clients.admin(broker.bootstrap())) {
            consumer.subscribe(List.of(in));
            var got = Clients.pollUntil(consumer, WAIT, m -> m.values().stream().mapToInt(List::size).sum() >= 10);
            assertEquals(10, got.get(0).size());
            ConsumerGroupMetadata meta = consumer.groupMetadata();

            producer.beginTransaction();
            producer.send(record(out, 0, "out-aborted"));
            producer.sendOffsetsToTransaction(Map.of(inTp, new OffsetAndMetadata(5)), meta);
            producer.abortTransaction();
            assertNull(committedOffset(admin, group, inTp), "an aborted transaction commits no offset");

            producer.beginTransaction();
            producer.send(record(out, 0, "out-committed"));
            producer.sendOffsetsToTransaction(Map.of(inTp, new OffsetAndMetadata(10)), meta);
            producer.commitTransaction();
            Await.until("the transaction's offset to be committed", WAIT, () -> Long.valueOf(10).equals(committedOffset(admin, group, inTp)));
        }
        assertEquals(List.of("out-committed"),
            TxnReads.settledValues(broker.bootstrap(), List.of(new TopicPartition(out, 0)), "read_committed", WAIT));
    }

    private static Long committedOffset(Admin admin, String group, TopicPartition tp) {
        try {
            OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS).get(tp);
            return o == null ? null : o.offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aZombieProducerIsFencedAndItsTransactionAborted() throws Exception {
        String topic = "txn-zombie";
        Clients.createTopic(broker.bootstrap(), topic, 2, Map.of());
        List<TopicPartition> tps = Clients.partitions(topic, 2);
        KafkaProducer<byte[], byte[]> zombie = transactional("zombie", Map.of());
        try {
            zombie.beginTransaction();
            zombie.send(record(topic, 0, "zombie-1")).get(30, TimeUnit.SECONDS);
            try (var successor = transactional("zombie", Map.of())) { // fences the first instance
                successor.beginTransaction();
                successor.send(record(topic, 1, "successor-1"));
                successor.commitTransaction();
            }
            Exception e = assertThrows(Exception.class, () -> {
                zombie.send(record(topic, 1, "zombie-2")).get(30, TimeUnit.SECONDS);
                zombie.commitTransaction();
            });
            assertTrue(isFencing(e), "fenced, not " + e);
        } finally {
            zombie.close(Duration.ZERO);
        }
        assertEquals(List.of("successor-1"), TxnReads.settledValues(broker.bootstrap(), tps, "read_committed", WAIT));
    }

    private static boolean isFencing(Throwable t) {
        for (; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    @Test
    void anAbandonedTransactionIsAbortedAfterItsTimeoutAndUnblocksTheStableOffset() throws Exception {
        String topic = "txn-abandoned";
        Clients.createTopic(broker.bootstrap(), topic, 1, Map.of());
        TopicPartition tp = new TopicPartition(topic, 0);
        KafkaProducer<byte[], byte[]> abandoned = transactional("abandoned-e2e", Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 2000));
        try (var later = Clients.producer(broker.bootstrap(), Map.of());
             KafkaConsumer<byte[], byte[]> reader = Clients.consumer(broker.bootstrap(),
                 Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            abandoned.beginTransaction();
            abandoned.send(record(topic, 0, "abandoned")).get(30, TimeUnit.SECONDS);
            later.send(record(topic, 0, "after")).get(30, TimeUnit.SECONDS);
            // The open transaction holds the stable offset at its first record, so "after" is not readable yet...
            assertEquals(0L, reader.endOffsets(List.of(tp)).get(tp));
            // ...until the coordinator aborts it for its timeout.
            Await.until("the stable offset to pass the abandoned transaction", WAIT,
                () -> reader.endOffsets(List.of(tp)).get(tp) >= 2);
            assertEquals(List.of("after"), TxnReads.values(reader, List.of(tp), WAIT));
            assertThrows(KafkaException.class, abandoned::commitTransaction, "the abandoned producer was fenced");
        } finally {
            abandoned.close(Duration.ZERO);
        }
    }

    @Test
    void aTransactionCompletesAcrossACoordinatorRestart() throws Exception {
        String topic = "txn-restart";
        Clients.createTopic(broker.bootstrap(), topic, 2, Map.of());
        List<TopicPartition> tps = Clients.partitions(topic, 2);
        List<String> sent = new ArrayList<>();
        try (var producer = transactional("restart-txn", Map.of(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 200))) {
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                producer.send(record(topic, i % 2, "before-restart-" + i));
                sent.add("before-restart-" + i);
            }
            producer.flush();
            broker.stop();
            broker.start(); // same ports: the producer reconnects and finds the coordinator again
            producer.commitTransaction();
        }
        assertEquals(new HashSet<>(sent), new HashSet<>(TxnReads.settledValues(broker.bootstrap(), tps, "read_committed", WAIT)));
        // And a prepared commit the restart interrupts is finished by the restarted coordinator.
        try (var producer = transactional("restart-txn-2", Map.of())) {
            producer.beginTransaction();
            producer.send(record(topic, 0, "prepared-1"));
            producer.send(record(topic, 1, "prepared-2"));
            producer.commitTransaction();
            broker.stop(); // the markers may or may not be written yet: the restarted broker finishes either way
            broker.start();
        }
        List<String> after = TxnReads.settledValues(broker.bootstrap(), tps, "read_committed", WAIT);
        assertTrue(after.containsAll(List.of("prepared-1", "prepared-2")), after.toString());
        assertFalse(broker.broker().transactions().coordinator().store().get("restart-txn-2").state().isPreparing());
    }
}
