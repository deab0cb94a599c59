package io.ailurus.core.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.testing.Clients;
import io.ailurus.core.testing.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partition side of transactions on a real broker: transactional batches of two producers on
 * several partitions, COMMIT/ABORT markers written with WriteTxnMarkers (as the coordinator does),
 * then real Kafka consumers under read_committed (exactly the committed records, nothing from an
 * open transaction's first offset on) and read_uncommitted (everything); the last stable offset via
 * ListOffsets; open transactions and aborted ranges across a broker restart.
 *
 * <p>Producer ids here are chosen by the test, not allocated by a coordinator, so the broker's
 * {@link TransactionVerifier} is set to accept everything (the verification hook has its own test below).
 */
class TransactionalPartitionIntegrationTest {
    private static final String TOPIC = "txn";
    private static final long A = 1000;
    private static final long B = 2000;
    private static final short E0 = 0;
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    EmbeddedBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private void start() throws Exception {
        if (broker == null) {
            broker = new EmbeddedBroker(dir);
        }
        broker.start();
        broker.broker().partitions().setTransactionVerifier(TransactionVerifier.ACCEPT_ALL);
    }

    private List<String> read(String isolation, int... partitions) {
        return TxnPartitionWire.readValues(broker.bootstrap(), TOPIC, isolation, LIMIT, partitions);
    }

    @Test
    void readCommittedSeesExactlyCommittedTransactionsAcrossARestart() throws Exception {
        start();
        Clients.createTopic(broker.bootstrap(), TOPIC, 3, Map.of());
        try (TxnPartitionWire wire = new TxnPartitionWire(broker.bootstrap())) {
            // p0: A a0 a1 | B b0 | plain n0 | A a2      p1: B b1 b2 | A a3
            assertEquals(Errors.NONE, wire.produce("ta", TOPIC, 0, TxnPartitionWire.transactional(A, E0, 0, "a0", "a1")));
            assertEquals(Errors.NONE, wire.produce("tb", TOPIC, 0, TxnPartitionWire.transactional(B, E0, 0, "b0")));
            assertEquals(Errors.NONE, wire.produce(null, TOPIC, 0, TxnPartitionWire.plain("n0")));
            assertEquals(Errors.NONE, wire.produce("ta", TOPIC, 0, TxnPartitionWire.transactional(A, E0, 2, "a2")));
            assertEquals(Errors.NONE, wire.produce("tb", TOPIC, 1, TxnPartitionWire.transactional(B, E0, 0, "b1", "b2")));
            assertEquals(Errors.NONE, wire.produce("ta", TOPIC, 1, TxnPartitionWire.transactional(A, E0, 0, "a3")));

            // Both transactions open: the last stable offset stays at A's first offset (0) on both partitions.
            assertEquals(5, wire.latestOffset(TOPIC, 0, IsolationLevel.READ_UNCOMMITTED));
            assertEquals(0, wire.latestOffset(TOPIC, 0, IsolationLevel.READ_COMMITTED));
            assertEquals(0, wire.latestOffset(TOPIC, 1, IsolationLevel.READ_COMMITTED));
            assertEquals(List.of(), read("read_committed", 0, 1));
            assertEquals(List.of("a0", "a1", "b0", "n0", "a2", "b1", "b2", "a3"), read("read_uncommitted", 0, 1));

            // Commit A: on p0 the LSO moves to B's first offset; the plain record after it stays invisible.
            assertEquals(Map.of(0, Errors.NONE, 1, Errors.NONE), wire.writeMarker(A, E0, true, 5, TOPIC, 0, 1));
            assertEquals(2, wire.latestOffset(TOPIC, 0, IsolationLevel.READ_COMMITTED));
            assertEquals(0, wire.latestOffset(TOPIC, 1, IsolationLevel.READ_COMMITTED));
            assertEquals(List.of("a0", "a1"), read("read_committed", 0, 1));

            // Abort B: everything is stable; read_committed drops B's records, read_uncommitted keeps them.
            assertEquals(Map.of(0, Errors.NONE, 1, Errors.NONE), wire.writeMarker(B, E0, false, 5, TOPIC, 0, 1));
            assertEquals(7, wire.latestOffset(TOPIC, 0, IsolationLevel.READ_COMMITTED));
            assertEquals(7, wire.latestOffset(TOPIC, 0, IsolationLevel.READ_UNCOMMITTED));
            assertEquals(5, wire.latestOffset(TOPIC, 1, IsolationLevel.READ_COMMITTED));
            assertEquals(List.of("a0", "a1", "n0", "a2", "a3"), read("read_committed", 0, 1));
            assertEquals(List.of("a0", "a1", "b0", "n0", "a2", "b1", "b2", "a3"), read("read_uncommitted", 0, 1));

            // Kafka's errors: a coordinator with an older epoch is fenced; transactional records need a
            // transactional id; a producer with an open transaction may not write outside it.
            assertEquals(Map.of(0, Errors.TRANSACTION_COORDINATOR_FENCED), wire.writeMarker(A, E0, true, 4, TOPIC, 0));
            assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
                wire.produce(null, TOPIC, 2, TxnPartitionWire.transactional(B, E0, 0, "x")));
            assertEquals(Errors.NONE, wire.produce("ta", TOPIC, 2, TxnPartitionWire.transactional(A, E0, 0, "c0")));
            assertEquals(Errors.INVALID_TXN_STATE, wire.produce("ta", TOPIC, 2, TxnPartitionWire.idempotent(A, E0, 1, "x")));
            var described = wire.describeProducers(TOPIC, 2);
            assertEquals(Errors.NONE.code(), described.errorCode());
            assertEquals(1, described.activeProducers().size());
            assertEquals(A, described.activeProducers().getFirst().producerId());
            assertEquals(0, described.activeProducers().getFirst().currentTxnStartOffset());
            assertEquals(-1, described.activeProducers().getFirst().coordinatorEpoch(), "no marker for A on p2 yet");
        }

        // Restart with A's transaction on p2 open: it still holds p2's LSO, and B's aborted range on
        // p0/p1 is still reported to read_committed consumers.
        broker.stop();
        start();
        try (TxnPartitionWire wire = new TxnPartitionWire(broker.bootstrap())) {
            assertEquals(1, wire.latestOffset(TOPIC, 2, IsolationLevel.READ_UNCOMMITTED));
            assertEquals(0, wire.latestOffset(TOPIC, 2, IsolationLevel.READ_COMMITTED));
            assertEquals(7, wire.latestOffset(TOPIC, 0, IsolationLevel.READ_COMMITTED));
            assertEquals(List.of("a0", "a1", "n0", "a2", "a3"), read("read_committed", 0, 1, 2));
            assertEquals(0, wire.describeProducers(TOPIC, 2).activeProducers().getFirst().currentTxnStartOffset());

            assertEquals(Map.of(2, Errors.NONE), wire.writeMarker(A, E0, true, 6, TOPIC, 2));
            assertEquals(2, wire.latestOffset(TOPIC, 2, IsolationLevel.READ_COMMITTED));
            assertEquals(List.of("a0", "a1", "n0", "a2", "a3", "c0"), read("read_committed", 0, 1, 2));

            // A marker with a newer producer epoch fences the old epoch: its batches and markers are refused.
            assertEquals(Map.of(2, Errors.NONE), wire.writeMarker(A, (short) 1, false, 6, TOPIC, 2));
            assertEquals(Errors.INVALID_PRODUCER_EPOCH, wire.produce("ta", TOPIC, 2, TxnPartitionWire.transactional(A, E0, 1, "late")));
            assertEquals(Map.of(2, Errors.INVALID_PRODUCER_EPOCH), wire.writeMarker(A, E0, true, 6, TOPIC, 2));
        }
    }

    @Test
    void aLostAbortedTransactionIndexIsRebuiltFromTheLogAtStart() throws Exception {
        start();
        Clients.createTopic(broker.bootstrap(), TOPIC, 1, Map.of());
        try (TxnPartitionWire wire = new TxnPartitionWire(broker.bootstrap())) {
            assertEquals(Errors.NONE, wire.produce("tb", TOPIC, 0, TxnPartitionWire.transactional(B, E0, 0, "b0", "b1")));
            assertEquals(Errors.NONE, wire.produce("ta", TOPIC, 0, TxnPartitionWire.transactional(A, E0, 0, "a0")));
            assertEquals(Map.of(0, Errors.NONE), wire.writeMarker(B, E0, false, 1, TOPIC, 0));
            assertEquals(Map.of(0, Errors.NONE), wire.writeMarker(A, E0, true, 1, TOPIC, 0));
        }
        assertEquals(List.of("a0"), read("read_committed", 0));
        Path partitionDir = ((LocalPartition) broker.broker().partitions().get(new org.apache.kafka.common.TopicPartition(TOPIC, 0))).dir();
        broker.stop();
        // The producer-state snapshot (written at the clean stop) says "no replay needed"; the index is gone.
        List<Path> indexes;
        try (var files = java.nio.file.Files.list(partitionDir)) {
            indexes = files.filter(f -> f.getFileName().toString().endsWith(".txnindex")).toList();
        }
        assertTrue(!indexes.isEmpty(), "the partition had aborted-transaction index files");
        for (Path f : indexes) {
            java.nio.file.Files.delete(f);
        }
        start();
        assertEquals(List.of("a0"), read("read_committed", 0));
        assertEquals(List.of("b0", "b1", "a0"), read("read_uncommitted", 0));
        assertTrue(indexes.stream().allMatch(java.nio.file.Files::exists), "rebuilt index files");
    }

    @Test
    void aBatchWhoseTransactionEndedDuringVerificationIsRefusedAndOpensNothing() throws Exception {
        start();
        Clients.createTopic(broker.bootstrap(), TOPIC, 1, Map.of());
        Partition partition = broker.broker().partitions().get(new org.apache.kafka.common.TopicPartition(TOPIC, 0));
        // The coordinator says yes, but only after it aborted that very transaction here (a timeout, say).
        broker.broker().partitions().setTransactionVerifier((txnId, pid, epoch, tp) ->
            io.ailurus.core.shard.ShardSet.on(partition.owner(), () -> partition.writeTxnMarker(pid, epoch, false, 0))
                .thenApply(v -> Errors.NONE));
        try (TxnPartitionWire wire = new TxnPartitionWire(broker.bootstrap())) {
            assertEquals(Errors.INVALID_TXN_STATE, wire.produce("ta", TOPIC, 0, TxnPartitionWire.transactional(A, E0, 0, "late")));
            // Only the abort marker is in the log, and no transaction hangs: the LSO is the high watermark.
            assertEquals(1, wire.latestOffset(TOPIC, 0, IsolationLevel.READ_UNCOMMITTED));
            assertEquals(1, wire.latestOffset(TOPIC, 0, IsolationLevel.READ_COMMITTED));
            assertEquals(List.of(), read("read_uncommitted", 0));
        }
    }

    @Test
    void onlyAProducersFirstTransactionalBatchOnAPartitionIsVerified() throws Exception {
        start();
        Clients.createTopic(broker.bootstrap(), TOPIC, 1, Map.of());
        List<Long> asked = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        broker.broker().partitions().setTransactionVerifier((txnId, pid, epoch, tp) -> {
            calls.incrementAndGet();
            synchronized (asked) {
                asked.add(pid);
            }
            return CompletableFuture.completedFuture(pid == B ? Errors.INVALID_TXN_STATE : Errors.NONE);
        });
        try (TxnPartitionWire wire = new TxnPartitionWire(broker.bootstrap())) {
            assertEquals(Errors.INVALID_TXN_STATE, wire.produce("tb", TOPIC, 0, TxnPartitionWire.transactional(B, E0, 0, "b0")));
            assertEquals(0, wire.latestOffset(TOPIC, 0, IsolationLevel.READ_UNCOMMITTED), "a refused batch is not written");
            assertEquals(Errors.NONE, wire.produce("ta", TOPIC, 0, TxnPartitionWire.transactional(A, E0, 0, "a0")));
            assertEquals(Errors.NONE, wire.produce("ta", TOPIC, 0, TxnPartitionWire.transactional(A, E0, 1, "a1")));
            assertEquals(List.of(B, A), asked, "A's second batch extends its open transaction unverified");
            assertEquals(Map.of(0, Errors.NONE), wire.writeMarker(A, E0, true, 1, TOPIC, 0));
            // A new transaction of the same producer is verified again.
            assertEquals(Errors.NONE, wire.produce("ta", TOPIC, 0, TxnPartitionWire.transactional(A, E0, 2, "a2")));
            assertEquals(3, calls.get());
            assertEquals(3, wire.latestOffset(TOPIC, 0, IsolationLevel.READ_COMMITTED), "A's new transaction starts at 3");
        }
    }
}
