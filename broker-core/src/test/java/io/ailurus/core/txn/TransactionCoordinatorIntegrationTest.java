package io.ailurus.core.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.cluster.Await;
import io.ailurus.core.config.ClusterConfigKeys;
import io.ailurus.core.config.ConfigSource;
import io.ailurus.core.testing.Clients;
import io.ailurus.core.testing.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transaction coordinator's decisions over the wire, request by request at chosen versions, on a
 * real broker: ids and epochs, fencing, the state machine, transactional offsets, the timeout sweep,
 * describe/list. Markers to data partitions need the partition side; the tests here that end a
 * transaction with partitions in it only look at the coordinator's state.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionCoordinatorIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOPIC = "txn-coord";

    @TempDir
    static Path dir;
    private EmbeddedBroker broker;
    private TxnWire wire;

    @BeforeAll
    void start() throws Exception {
        broker = new EmbeddedBroker(dir.resolve("b"), c -> c.withAll(Map.of(
            ClusterConfigKeys.TX_TIMEOUT_DELAY_MS, 100L,
            ClusterConfigKeys.TRANSACTION_MAX_TIMEOUT_MS, 600_000), ConfigSource.STATIC_BROKER_CONFIG)).start();
        Clients.createTopic(broker.bootstrap(), TOPIC, 3, Map.of());
        wire = new TxnWire(broker.bootstrap());
    }

    @AfterAll
    void stop() throws Exception {
        if (wire != null) {
            wire.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void firstInitGivesANewIdAndLaterOnesBumpTheEpoch() throws Exception {
        InitProducerIdResponseData first = wire.init("ids-a", 60_000);
        assertEquals(Errors.NONE.code(), first.errorCode());
        assertEquals(0, first.producerEpoch());
        InitProducerIdResponseData second = wire.init("ids-a", 60_000);
        assertEquals(Errors.NONE.code(), second.errorCode());
        assertEquals(first.producerId(), second.producerId(), "the same transactional id keeps its producer id");
        assertEquals(1, second.producerEpoch());
        InitProducerIdResponseData other = wire.init("ids-b", 60_000);
        assertNotEquals(first.producerId(), other.producerId(), "another transactional id gets another producer id");
    }

    @Test
    void aTimeoutAboveTheMaximumIsRefused() throws Exception {
        assertEquals(Errors.INVALID_TRANSACTION_TIMEOUT.code(), wire.init("too-long", 600_001).errorCode());
        assertEquals(Errors.INVALID_TRANSACTION_TIMEOUT.code(), wire.init("too-long", 0).errorCode());
        assertEquals(Errors.NONE.code(), wire.init("too-long", 600_000).errorCode());
    }

    @Test
    void anOlderEpochIsFencedWithTheErrorItsVersionKnows() throws Exception {
        InitProducerIdResponseData zombie = wire.init("fence", 60_000);
        InitProducerIdResponseData current = wire.init("fence", 60_000);
        long pid = current.producerId();
        assertEquals(Errors.PRODUCER_FENCED, wire.addPartition(3, "fence", pid, zombie.producerEpoch(), TOPIC, 0));
        assertEquals(Errors.INVALID_PRODUCER_EPOCH, wire.addPartition(1, "fence", pid, zombie.producerEpoch(), TOPIC, 0));
        assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING, wire.addPartition(3, "fence", pid + 1000, current.producerEpoch(), TOPIC, 0));
        assertEquals(Errors.NONE, wire.addPartition(3, "fence", pid, current.producerEpoch(), TOPIC, 0));
        assertEquals(Errors.PRODUCER_FENCED, wire.endTxn(3, "fence", pid, zombie.producerEpoch(), true));
        assertEquals(Errors.INVALID_PRODUCER_EPOCH, wire.endTxn(1, "fence", pid, zombie.producerEpoch(), true));
        assertEquals(Errors.PRODUCER_FENCED, wire.addOffsets(3, "fence", pid, zombie.producerEpoch(), "g-fence"));
        DescribeTransactionsResponseData.TransactionState s = wire.describe("fence");
        assertEquals("Ongoing", s.transactionState(), "the zombie's requests changed nothing");
        assertEquals(List.of(0), s.topics().find(TOPIC).partitions());
    }

    @Test
    void kip360InitWithTheCurrentPairBumpsAndWithAStalePairIsFenced() throws Exception {
        InitProducerIdResponseData a = wire.init("kip360", 60_000);
        InitProducerIdResponseData b = wire.init(5, "kip360", 60_000, a.producerId(), a.producerEpoch());
        assertEquals(Errors.NONE.code(), b.errorCode());
        assertEquals(a.producerId(), b.producerId());
        assertEquals(a.producerEpoch() + 1, b.producerEpoch());
        // The same request again (its answer lost): the coordinator gives the bump it already made.
        InitProducerIdResponseData retry = wire.init(5, "kip360", 60_000, a.producerId(), a.producerEpoch());
        assertEquals(Errors.NONE.code(), retry.errorCode());
        assertEquals(b.producerEpoch(), retry.producerEpoch());
        InitProducerIdResponseData c = wire.init(5, "kip360", 60_000, b.producerId(), b.producerEpoch());
        assertEquals(b.producerEpoch() + 1, c.producerEpoch());
        // Now the first pair is two bumps old: fenced (v4+), INVALID_PRODUCER_EPOCH before v4.
        assertEquals(Errors.PRODUCER_FENCED.code(), wire.init(5, "kip360", 60_000, a.producerId(), a.producerEpoch()).errorCode());
        assertEquals(Errors.INVALID_PRODUCER_EPOCH.code(), wire.init(3, "kip360", 60_000, a.producerId(), a.producerEpoch()).errorCode());
    }

    @Test
    void endTxnFollowsTheStateMachine() throws Exception {
        InitProducerIdResponseData p = wire.init("states", 60_000);
        long pid = p.producerId();
        short epoch = p.producerEpoch();
        assertEquals(Errors.INVALID_TXN_STATE, wire.endTxn(4, "states", pid, epoch, true), "nothing to end");
        assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING, wire.endTxn(4, "states", pid + 1, epoch, true));
        assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING, wire.endTxn(4, "never-initialised", pid, epoch, true));
        assertEquals(Errors.NONE, wire.addOffsets(3, "states", pid, epoch, "g-states"));
        assertEquals("Ongoing", wire.describe("states").transactionState());
        assertEquals(Errors.NONE, wire.endTxn(4, "states", pid, epoch, false));
        // An offsets-only transaction has no markers to write: it completes at once.
        Await.until("the abort completes", WAIT, () -> state("states").equals("CompleteAbort"));
        assertEquals(Errors.NONE, wire.endTxn(4, "states", pid, epoch, false), "a retried abort is answered as done");
        assertEquals(Errors.INVALID_TXN_STATE, wire.endTxn(4, "states", pid, epoch, true), "an aborted transaction cannot commit");
    }

    @Test
    void transactionalOffsetsAreHeldUntilTheCommitAndDroppedOnAbort() throws Exception {
        String group = "g-held";
        InitProducerIdResponseData p = wire.init("held", 60_000);
        long pid = p.producerId();
        short epoch = p.producerEpoch();
        assertEquals(Errors.INVALID_TXN_STATE, wire.txnOffsetCommit("held", pid, epoch, group, TOPIC, 1, 42),
            "offsets of a group not added to the transaction are refused");
        assertEquals(Errors.NONE, wire.addOffsets(3, "held", pid, epoch, group));
        assertEquals(Errors.NONE, wire.txnOffsetCommit("held", pid, epoch, group, TOPIC, 1, 42));
        assertEquals(-1, wire.fetchOffset(group, TOPIC, 1, false).committedOffset(), "not visible before the commit");
        assertEquals(Errors.UNSTABLE_OFFSET_COMMIT.code(), wire.fetchOffset(group, TOPIC, 1, true).errorCode());
        assertEquals(Errors.NONE, wire.endTxn(4, "held", pid, epoch, true));
        Await.until("the committed offset becomes visible", WAIT, () -> offset(group, 1) == 42);
        assertEquals(Errors.NONE.code(), wire.fetchOffset(group, TOPIC, 1, true).errorCode(), "stable once committed");

        // A second transaction moves the offset and aborts: the committed offset stays.
        assertEquals(Errors.NONE, wire.addOffsets(3, "held", pid, epoch, group));
        assertEquals(Errors.NONE, wire.txnOffsetCommit("held", pid, epoch, group, TOPIC, 1, 50));
        assertEquals(Errors.UNSTABLE_OFFSET_COMMIT.code(), wire.fetchOffset(group, TOPIC, 1, true).errorCode());
        assertEquals(Errors.NONE, wire.endTxn(4, "held", pid, epoch, false));
        Await.until("the abort completes", WAIT, () -> state("held").equals("CompleteAbort"));
        assertEquals(42, offset(group, 1));
        assertEquals(Errors.NONE.code(), wire.fetchOffset(group, TOPIC, 1, true).errorCode());
        assertEquals(Errors.PRODUCER_FENCED, wire.txnOffsetCommit("held", pid, (short) (epoch - 1), group, TOPIC, 1, 7));
    }

    @Test
    void verifyOnlyAnswersWithoutAdding() throws Exception {
        InitProducerIdResponseData p = wire.init("verify", 60_000);
        long pid = p.producerId();
        short epoch = p.producerEpoch();
        assertEquals(Errors.NONE, wire.addPartitionBatched("verify", pid, epoch, TOPIC, 2, false), "the v5 form adds");
        assertEquals(Errors.NONE, wire.addPartitionBatched("verify", pid, epoch, TOPIC, 2, true));
        assertEquals(Errors.INVALID_TXN_STATE, wire.addPartitionBatched("verify", pid, epoch, TOPIC, 1, true));
        assertEquals(Errors.INVALID_PRODUCER_EPOCH, wire.addPartitionBatched("verify", pid, (short) (epoch + 1), TOPIC, 2, true));
        assertEquals(List.of(2), wire.describe("verify").topics().find(TOPIC).partitions(), "verifying added nothing");
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, wire.addPartition(3, "verify", pid, epoch, TOPIC, 99));
    }

    @Test
    void reInitOverAnOpenTransactionAbortsItWithAFencedEpoch() throws Exception {
        InitProducerIdResponseData p = wire.init("reinit", 60_000);
        assertEquals(Errors.NONE, wire.addPartition(3, "reinit", p.producerId(), p.producerEpoch(), TOPIC, 0));
        assertEquals(Errors.CONCURRENT_TRANSACTIONS.code(), wire.init("reinit", 60_000).errorCode());
        DescribeTransactionsResponseData.TransactionState s = wire.describe("reinit");
        assertTrue(Set.of("PrepareAbort", "CompleteAbort").contains(s.transactionState()), s.transactionState());
        assertEquals(p.producerEpoch() + 1, s.producerEpoch(), "the abort fenced the running producer");
        assertEquals(Errors.PRODUCER_FENCED, wire.endTxn(4, "reinit", p.producerId(), p.producerEpoch(), true));
    }

    @Test
    void theSweeperAbortsATransactionPastItsTimeoutAndFencesItsProducer() throws Exception {
        InitProducerIdResponseData p = wire.init("abandoned", 1000);
        assertEquals(Errors.NONE, wire.addOffsets(3, "abandoned", p.producerId(), p.producerEpoch(), "g-abandoned"));
        assertEquals(Errors.NONE, wire.txnOffsetCommit("abandoned", p.producerId(), p.producerEpoch(), "g-abandoned", TOPIC, 0, 9));
        Await.until("the timed-out transaction is aborted", WAIT, () -> state("abandoned").equals("CompleteAbort"));
        assertEquals(p.producerEpoch() + 1, wire.describe("abandoned").producerEpoch());
        assertEquals(-1, offset("g-abandoned", 0), "its offsets were dropped");
        assertEquals(Errors.PRODUCER_FENCED, wire.endTxn(4, "abandoned", p.producerId(), p.producerEpoch(), true));
        InitProducerIdResponseData again = wire.init("abandoned", 1000);
        assertEquals(p.producerEpoch() + 2, again.producerEpoch(), "a new instance gets the next epoch");
    }

    @Test
    void everyBrokerCoordinatesTransactions() throws Exception {
        var c = wire.findTransactionCoordinator("any-id");
        assertEquals(Errors.NONE.code(), c.errorCode());
        assertEquals(broker.broker().kafkaAddress().getPort(), c.port());
    }

    @Test
    void adminListsAndDescribesTransactions() throws Exception {
        InitProducerIdResponseData open = wire.init("listed-open", 60_000);
        assertEquals(Errors.NONE, wire.addPartition(3, "listed-open", open.producerId(), open.producerEpoch(), TOPIC, 1));
        InitProducerIdResponseData idle = wire.init("listed-idle", 60_000);
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            Collection<TransactionListing> ongoing = admin.listTransactions(new ListTransactionsOptions()
                .filterStates(List.of(TransactionState.ONGOING))).all().get(30, TimeUnit.SECONDS);
            assertTrue(ongoing.stream().anyMatch(l -> l.transactionalId().equals("listed-open")));
            assertTrue(ongoing.stream().noneMatch(l -> l.transactionalId().equals("listed-idle")));
            Collection<TransactionListing> byProducer = admin.listTransactions(new ListTransactionsOptions()
                .filterProducerIds(Set.of(idle.producerId()))).all().get(30, TimeUnit.SECONDS);
            assertEquals(List.of("listed-idle"), byProducer.stream().map(TransactionListing::transactionalId).toList());
            assertEquals(TransactionState.EMPTY, byProducer.iterator().next().state());
            Collection<TransactionListing> longRunning = admin.listTransactions(new ListTransactionsOptions()
                .filterOnDuration(3_600_000)).all().get(30, TimeUnit.SECONDS);
            assertTrue(longRunning.stream().noneMatch(l -> l.transactionalId().equals("listed-open")),
                "open for less than an hour");

            TransactionDescription d = admin.describeTransactions(List.of("listed-open")).description("listed-open")
                .get(30, TimeUnit.SECONDS);
            assertEquals(TransactionState.ONGOING, d.state());
            assertEquals(open.producerId(), d.producerId());
            assertEquals(60_000, d.transactionTimeoutMs());
            assertEquals(Set.of(new TopicPartition(TOPIC, 1)), d.topicPartitions());
            assertTrue(d.transactionStartTimeMs().isPresent());
            ExecutionException e = assertThrows(ExecutionException.class, () -> admin.describeTransactions(List.of("nobody"))
                .description("nobody").get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof TransactionalIdNotFoundException, e.toString());
        }
    }

    @Test
    void stateSurvivesASnapshotAndARestart() throws Exception {
        InitProducerIdResponseData p = wire.init("durable", 60_000);
        assertEquals(Errors.NONE, wire.addPartition(3, "durable", p.producerId(), p.producerEpoch(), TOPIC, 2));
        assertEquals(Errors.NONE, wire.addOffsets(3, "durable", p.producerId(), p.producerEpoch(), "g-durable"));
        assertEquals(Errors.NONE, wire.txnOffsetCommit("durable", p.producerId(), p.producerEpoch(), "g-durable", TOPIC, 2, 77));
        broker.broker().controller().snapshot().get(30, TimeUnit.SECONDS);
        wire.close();
        broker.stop();
        broker.start();
        wire = new TxnWire(broker.bootstrap());
        DescribeTransactionsResponseData.TransactionState s = wire.describe("durable");
        assertEquals(p.producerId(), s.producerId());
        assertEquals(p.producerEpoch(), s.producerEpoch());
        assertEquals(List.of(2), s.topics().find(TOPIC).partitions());
        assertEquals(Errors.UNSTABLE_OFFSET_COMMIT.code(), wire.fetchOffset("g-durable", TOPIC, 2, true).errorCode(),
            "the pending offset came back from the snapshot");
        assertEquals(Errors.PRODUCER_FENCED, wire.endTxn(4, "durable", p.producerId(), (short) (p.producerEpoch() - 1), true));
    }

    @Test
    void anIdleTransactionalIdExpiresAndComesBackWithANewProducerId() throws Exception {
        try (EmbeddedBroker b = new EmbeddedBroker(dir.resolve("expiry"), c -> c.withAll(Map.of(
                ClusterConfigKeys.TX_TIMEOUT_DELAY_MS, 100L,
                ClusterConfigKeys.TRANSACTIONAL_ID_EXPIRATION_MS, 1000L), ConfigSource.STATIC_BROKER_CONFIG)).start();
             TxnWire w = new TxnWire(b.bootstrap())) {
            InitProducerIdResponseData first = w.init("expiring", 60_000);
            assertEquals(Errors.NONE.code(), first.errorCode());
            Await.until("the idle id to expire", WAIT, () -> {
                try {
                    return w.describe("expiring").errorCode() == Errors.TRANSACTIONAL_ID_NOT_FOUND.code();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            InitProducerIdResponseData again = w.init("expiring", 60_000);
            assertEquals(Errors.NONE.code(), again.errorCode());
            assertNotEquals(first.producerId(), again.producerId(), "an expired id's producer id is not reused");
            assertEquals(0, again.producerEpoch());
        }
    }

    private String state(String txnId) {
        try {
            return wire.describe(txnId).transactionState();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private long offset(String group, int partition) {
        try {
            return wire.fetchOffset(group, TOPIC, partition, false).committedOffset();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
