package io.ailurus.core.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.config.ClusterConfigKeys;
import io.ailurus.core.config.ConfigSource;
import io.ailurus.core.metadata.MetadataCommand;
import io.ailurus.core.partition.TxnPartitionWire;
import io.ailurus.core.testing.Clients;
import io.ailurus.core.testing.EmbeddedBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * transaction.version 2 (KIP-890 part 2) on a real broker: the finalized feature Kafka 4.x clients
 * switch on, the epoch bump of every EndTxn v5 seen through the real producer and admin client,
 * zombies fenced by the bump, the partition leader adding partitions for Produce v12, and the
 * transaction.version 1 request path (AddPartitionsToTxn v3, Produce v11, EndTxn v4) still working.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionVersion2Test {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOPIC = "tv2";
    /** The last Produce version of transaction.version 1 clients: the partition is only verified. */
    private static final int PRODUCE_TV1 = 11;
    /** Produce v12: the partition leader adds the partition to the transaction. */
    private static final int PRODUCE_TV2 = 12;

    @TempDir
    static Path dir;
    private EmbeddedBroker broker;
    private TxnWire wire;

    @BeforeAll
    void start() throws Exception {
        broker = new EmbeddedBroker(dir.resolve("b"), c -> c.withAll(Map.of(ClusterConfigKeys.TX_TIMEOUT_DELAY_MS, 200L),
            ConfigSource.STATIC_BROKER_CONFIG)).start();
        Clients.createTopic(broker.bootstrap(), TOPIC, 5, Map.of());
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

    private KafkaProducer<byte[], byte[]> transactional(String txnId) {
        KafkaProducer<byte[], byte[]> p = Clients.producer(broker.bootstrap(), Map.of(
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, txnId,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000, ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000));
        p.initTransactions();
        return p;
    }

    private static ProducerRecord<byte[], byte[]> record(int partition, String value) {
        return new ProducerRecord<>(TOPIC, partition, null, value.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> committed(int partition) throws Exception {
        return TxnReads.settledValues(broker.bootstrap(), List.of(new TopicPartition(TOPIC, partition)), "read_committed", WAIT);
    }

    private static short epochOf(Admin admin, String txnId) throws Exception {
        return (short) admin.describeTransactions(List.of(txnId)).description(txnId).get(30, TimeUnit.SECONDS).producerEpoch();
    }

    @Test
    void theBrokerFinalizesTransactionVersion2() throws Exception {
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            FeatureMetadata features = admin.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS);
            var finalized = features.finalizedFeatures().get("transaction.version");
            assertNotNull(finalized, "transaction.version is finalized: " + features);
            assertEquals(2, finalized.maxVersionLevel());
            var supported = features.supportedFeatures().get("transaction.version");
            assertEquals(0, supported.minVersion());
            assertEquals(2, supported.maxVersion());
        }
    }

    @Test
    void everyCommitOfTheRealProducerBumpsItsEpochByOne() throws Exception {
        int partition = 0;
        try (var producer = transactional("tv2-epochs"); Admin admin = Clients.admin(broker.bootstrap())) {
            short initial = epochOf(admin, "tv2-epochs");
            for (int i = 0; i < 3; i++) {
                producer.beginTransaction();
                producer.send(record(partition, "v" + i)).get(30, TimeUnit.SECONDS);
                producer.commitTransaction();
                assertEquals(initial + i + 1, epochOf(admin, "tv2-epochs"), "after commit " + i);
            }
            // The partition learnt the bumped epoch from the last COMMIT marker.
            List<ProducerState> states = admin.describeProducers(List.of(new TopicPartition(TOPIC, partition)))
                .partitionResult(new TopicPartition(TOPIC, partition)).get(30, TimeUnit.SECONDS).activeProducers();
            assertEquals(1, states.size());
            assertEquals(initial + 3, states.getFirst().producerEpoch());
        }
        assertEquals(List.of("v0", "v1", "v2"), committed(partition));
    }

    @Test
    void aZombieWithThePreCommitEpochIsFenced() throws Exception {
        int partition = 1;
        try (var producer = transactional("tv2-zombie"); Admin admin = Clients.admin(broker.bootstrap())) {
            producer.beginTransaction();
            producer.send(record(partition, "committed")).get(30, TimeUnit.SECONDS);
            short before = epochOf(admin, "tv2-zombie");
            long pid = admin.describeTransactions(List.of("tv2-zombie")).description("tv2-zombie")
                .get(30, TimeUnit.SECONDS).producerId();
            producer.commitTransaction();

            // A late copy of the producer with the epoch the commit ended: both request paths refuse it.
            assertEquals(Errors.INVALID_PRODUCER_EPOCH, wire.produce(PRODUCE_TV2, "tv2-zombie", TOPIC, partition,
                TxnPartitionWire.transactional(pid, before, 1, "zombie-v12")));
            assertEquals(Errors.INVALID_PRODUCER_EPOCH, wire.produce(PRODUCE_TV1, "tv2-zombie", TOPIC, partition,
                TxnPartitionWire.transactional(pid, before, 1, "zombie-v11")));

            // The real producer goes on with its bumped epoch.
            producer.beginTransaction();
            producer.send(record(partition, "next")).get(30, TimeUnit.SECONDS);
            producer.commitTransaction();
        }
        assertEquals(List.of("committed", "next"), committed(partition));
    }

    @Test
    void endTxnV5AnswersWithTheBumpedEpochAndARetryGetsTheSameAnswer() throws Exception {
        int partition = 2;
        String id = "tv2-raw";
        InitProducerIdResponseData init = wire.init(id, 60_000);
        long pid = init.producerId();
        short e = init.producerEpoch();

        // No AddPartitionsToTxn: Produce v12 makes the partition leader add the partition.
        assertEquals(Errors.NONE, wire.produce(PRODUCE_TV2, id, TOPIC, partition, TxnPartitionWire.transactional(pid, e, 0, "raw-1")));
        var state = wire.describe(id);
        assertEquals("Ongoing", state.transactionState());
        assertEquals(List.of(partition), state.topics().find(TOPIC).partitions());

        EndTxnResponseData commit = wire.endTxnResponse(5, id, pid, e, true);
        assertEquals(Errors.NONE.code(), commit.errorCode());
        assertEquals(pid, commit.producerId());
        assertEquals(e + 1, commit.producerEpoch());

        EndTxnResponseData retry = wire.endTxnResponse(5, id, pid, e, true);
        assertEquals(Errors.NONE.code(), retry.errorCode(), "a retried commit is answered as the first one");
        assertEquals(pid, retry.producerId());
        assertEquals(e + 1, retry.producerEpoch());
        assertEquals(Errors.INVALID_TXN_STATE.code(), wire.endTxnResponse(5, id, pid, e, false).errorCode(),
            "the committed transaction cannot be aborted by a retry");
        assertEquals(Errors.INVALID_TXN_STATE.code(), wire.endTxnResponse(5, id, pid, (short) (e + 1), true).errorCode(),
            "nothing open to commit at the new epoch");

        // Aborting with nothing open still bumps the epoch (it fences whatever the client lost track of).
        EndTxnResponseData abort = wire.endTxnResponse(5, id, pid, (short) (e + 1), false);
        assertEquals(Errors.NONE.code(), abort.errorCode());
        assertEquals(e + 2, abort.producerEpoch());
        assertEquals(Errors.INVALID_PRODUCER_EPOCH, wire.produce(PRODUCE_TV2, id, TOPIC, partition,
            TxnPartitionWire.transactional(pid, (short) (e + 1), 0, "stale")));
        assertEquals(Errors.NONE, wire.produce(PRODUCE_TV2, id, TOPIC, partition,
            TxnPartitionWire.transactional(pid, (short) (e + 2), 0, "raw-2")));
        assertEquals(Errors.NONE.code(), wire.endTxnResponse(5, id, pid, (short) (e + 2), false).errorCode());

        assertEquals(List.of("raw-1"), committed(partition));
    }

    @Test
    void theLastEpochMovesTheProducerToANewProducerId() throws Exception {
        int partition = 4;
        String id = "tv2-overflow";
        long pid = wire.init(id, 60_000).producerId();
        // Thousands of transactions would get there too; the id's state is set through the controller instead.
        short last = (short) (TransactionCoordinator.LAST_EPOCH - 1);
        TransactionMetadata cur = broker.broker().transactions().coordinator().store().get(id);
        assertTrue(broker.broker().controller().submit(new MetadataCommand.PutTransaction(
            cur.reinitialised(pid, last, 60_000, System.currentTimeMillis()), cur.version())).get(30, TimeUnit.SECONDS).isOk());

        assertEquals(Errors.NONE, wire.produce(PRODUCE_TV2, id, TOPIC, partition, TxnPartitionWire.transactional(pid, last, 0, "last-epoch")));
        EndTxnResponseData commit = wire.endTxnResponse(5, id, pid, last, true);
        assertEquals(Errors.NONE.code(), commit.errorCode());
        long newPid = commit.producerId();
        assertNotEquals(pid, newPid, "the epoch ran out: a new producer id");
        assertEquals(0, commit.producerEpoch());
        EndTxnResponseData retry = wire.endTxnResponse(5, id, pid, last, true);
        assertEquals(Errors.NONE.code(), retry.errorCode());
        assertEquals(newPid, retry.producerId());
        assertEquals(0, retry.producerEpoch());

        assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING, wire.produce(PRODUCE_TV2, id, TOPIC, partition,
            TxnPartitionWire.transactional(pid, last, 1, "old-id")));
        assertEquals(Errors.NONE, wire.produce(PRODUCE_TV2, id, TOPIC, partition, TxnPartitionWire.transactional(newPid, (short) 0, 0, "new-id")));
        EndTxnResponseData next = wire.endTxnResponse(5, id, newPid, (short) 0, true);
        assertEquals(Errors.NONE.code(), next.errorCode());
        assertEquals(newPid, next.producerId());
        assertEquals(1, next.producerEpoch());

        assertEquals(List.of("last-epoch", "new-id"), committed(partition));
    }

    @Test
    void theTransactionVersion1RequestPathStillWorks() throws Exception {
        int partition = 3;
        String id = "tv1-raw";
        InitProducerIdResponseData init = wire.init(id, 60_000);
        long pid = init.producerId();
        short e = init.producerEpoch();

        assertEquals(Errors.INVALID_TXN_STATE, wire.produce(PRODUCE_TV1, id, TOPIC, partition,
            TxnPartitionWire.transactional(pid, e, 0, "not-added")), "Produce v11 only verifies; it never adds");
        assertEquals(Errors.NONE, wire.addPartition(3, id, pid, e, TOPIC, partition));
        assertEquals(Errors.NONE, wire.produce(PRODUCE_TV1, id, TOPIC, partition, TxnPartitionWire.transactional(pid, e, 0, "tv1-a")));
        assertEquals(Errors.NONE, wire.endTxn(4, id, pid, e, true));
        assertEquals(e, wire.describe(id).producerEpoch(), "EndTxn v4 keeps the epoch");

        assertEquals(Errors.NONE, wire.addPartition(3, id, pid, e, TOPIC, partition));
        assertEquals(Errors.NONE, wire.produce(PRODUCE_TV1, id, TOPIC, partition, TxnPartitionWire.transactional(pid, e, 1, "tv1-b")));
        assertEquals(Errors.NONE, wire.endTxn(4, id, pid, e, false));

        assertEquals(List.of("tv1-a"), committed(partition));
    }
}
