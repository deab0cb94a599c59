package io.ailurus.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.ailurus.core.partition.TransactionVerifier;
import io.ailurus.core.partition.TxnPartitionWire;
import io.ailurus.core.testing.Clients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partition side of transactions on a Raft-replicated partition (3 in-JVM brokers, RF=3): markers
 * go through Raft, and after the leader stops, the new leader knows the open transaction (its last
 * stable offset stays at the transaction's first offset) and the aborted one (read_committed consumers
 * still skip it), and can end the open one.
 */
class TransactionalPartitionFailoverTest {
    private static final String TOPIC = "txn-rf3";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long A = 1000;
    private static final long B = 2000;
    private static final long C = 3000;
    private static final short E0 = 0;

    @TempDir
    Path dir;

    @Test
    void aNewLeaderKnowsOpenAndAbortedTransactions() throws Exception {
        try (InJvmCluster cluster = new InJvmCluster(dir, 3).startAll()) {
            Await.until("all brokers registered everywhere", WAIT, () -> {
                for (int i = 0; i < 3; i++) {
                    if (cluster.broker(i).controller().image().brokers().size() < 3) {
                        return false;
                    }
                }
                return true;
            });
            for (int i = 0; i < 3; i++) {
                // Producer ids are the test's own, not a coordinator's: accept them (see TransactionalPartitionIntegrationTest).
                cluster.broker(i).partitions().setTransactionVerifier(TransactionVerifier.ACCEPT_ALL);
            }
            try (Admin admin = Clients.admin(cluster.bootstrap())) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3))).all().get(60, TimeUnit.SECONDS);
            }
            Await.until("a leader for " + TP, WAIT, () -> ThreeBrokerClusterTest.leaderOf(cluster, TP) >= 0);
            int leader = ThreeBrokerClusterTest.leaderOf(cluster, TP);

            try (TxnPartitionWire wire = new TxnPartitionWire(cluster.bootstrap(leader))) {
                // A a0 a1 (0..1) | B b0 (2) | A commit (3) | B abort (4) | C c0 (5), left open
                assertEquals(Errors.NONE, wire.produce("ta", TOPIC, 0, TxnPartitionWire.transactional(A, E0, 0, "a0", "a1")));
                assertEquals(Errors.NONE, wire.produce("tb", TOPIC, 0, TxnPartitionWire.transactional(B, E0, 0, "b0")));
                assertEquals(0, wire.latestOffset(TOPIC, 0, IsolationLevel.READ_COMMITTED));
                assertEquals(Map.of(0, Errors.NONE), wire.writeMarker(A, E0, true, 1, TOPIC, 0));
                assertEquals(2, wire.latestOffset(TOPIC, 0, IsolationLevel.READ_COMMITTED));
                assertEquals(Map.of(0, Errors.NONE), wire.writeMarker(B, E0, false, 1, TOPIC, 0));
                assertEquals(5, wire.latestOffset(TOPIC, 0, IsolationLevel.READ_COMMITTED));
                assertEquals(Errors.NONE, wire.produce("tc", TOPIC, 0, TxnPartitionWire.transactional(C, E0, 0, "c0")));
                assertEquals(6, wire.latestOffset(TOPIC, 0, IsolationLevel.READ_UNCOMMITTED));
                assertEquals(5, wire.latestOffset(TOPIC, 0, IsolationLevel.READ_COMMITTED));
            }
            assertEquals(List.of("a0", "a1"), TxnPartitionWire.readValues(cluster.bootstrap(), TOPIC, "read_committed", WAIT, 0));

            cluster.stop(leader);
            Await.until("a new leader for " + TP, WAIT, () -> {
                int l = ThreeBrokerClusterTest.leaderOf(cluster, TP);
                return l >= 0 && l != leader;
            });
            int next = ThreeBrokerClusterTest.leaderOf(cluster, TP);
            assertNotEquals(leader, next);
            try (TxnPartitionWire wire = new TxnPartitionWire(cluster.bootstrap(next))) {
                Await.until("the new leader serves " + TP, WAIT, () -> {
                    try {
                        return wire.latestOffset(TOPIC, 0, IsolationLevel.READ_UNCOMMITTED) == 6;
                    } catch (AssertionError | java.io.IOException e) {
                        return false;
                    }
                });
                // C's transaction is still open on the new leader; B's abort is still known to read_committed.
                assertEquals(5, wire.latestOffset(TOPIC, 0, IsolationLevel.READ_COMMITTED));
                assertEquals(List.of("a0", "a1"), TxnPartitionWire.readValues(cluster.bootstrap(next), TOPIC, "read_committed", WAIT, 0));
                assertEquals(5, wire.describeProducers(TOPIC, 0).activeProducers().stream()
                    .filter(p -> p.producerId() == C).findFirst().orElseThrow().currentTxnStartOffset());

                assertEquals(Map.of(0, Errors.NONE), wire.writeMarker(C, E0, true, 1, TOPIC, 0));
                assertEquals(7, wire.latestOffset(TOPIC, 0, IsolationLevel.READ_COMMITTED));
                assertEquals(List.of("a0", "a1", "c0"), TxnPartitionWire.readValues(cluster.bootstrap(next), TOPIC, "read_committed", WAIT, 0));
                assertEquals(List.of("a0", "a1", "b0", "c0"),
                    TxnPartitionWire.readValues(cluster.bootstrap(next), TOPIC, "read_uncommitted", WAIT, 0));
            }
        }
    }
}
