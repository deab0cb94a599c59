package io.ailurus.core.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.alipay.sofa.jraft.conf.Configuration;
import io.ailurus.raft.RaftHostConfig;
import io.ailurus.raft.RaftNodeHost;
import io.ailurus.raft.partition.PartitionStateMachine;
import io.ailurus.storage.LogConfig;
import io.ailurus.storage.LogManager;
import io.ailurus.storage.PartitionLog;
import io.ailurus.storage.StorageConfig;
import io.netty.util.concurrent.DefaultEventExecutor;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer's batch refused before this replica served (it was not leader yet) must not be
 * overtaken by the producer's next, pipelined batch once the replica leads: the partition has no
 * state for the producer, so without the refusal remembered the next batch would be written at
 * sequence 3 and the retried batch at 0 refused as out of order for good (the stall seen with 256
 * RF=3 partitions at topic creation). A real single-replica jraft group on loopback, real log files.
 */
class RefusedFirstBatchTest {
    private static final long PRODUCER = 4242L;
    private static final short EPOCH = 0;

    @TempDir
    Path dir;

    private final DefaultEventExecutor owner = new DefaultEventExecutor();
    private LogManager logs;
    private RaftNodeHost host;

    @AfterEach
    void tearDown() throws Exception {
        if (host != null) {
            host.close();
        }
        if (logs != null) {
            logs.close();
        }
        owner.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    @Test
    void aBatchRefusedBeforeLeadershipIsNotOvertakenByTheProducersNextBatch() throws Exception {
        TopicPartition tp = new TopicPartition("refused", 0);
        logs = LogManager.open(dir.resolve("data"), StorageConfig.defaults());
        PartitionLog plog = logs.openLog("refused-0", LogConfig.defaults().withSegmentBytes(1 << 20).withPreallocateBytes(1 << 16));
        host = RaftNodeHost.start("127.0.0.1", 0, RaftHostConfig.defaults().withElectionTimeoutMs(600));
        PartitionStateMachine sm = new PartitionStateMachine("refused-0", 256);
        ReplicatedPartition partition = new ReplicatedPartition(tp, 0, owner, plog, PartitionSettings.defaults(), sm, p -> 0);

        // Not serving yet (its group has not even started): the producer's first batch is refused.
        MemoryRecords first = TxnPartitionWire.idempotent(PRODUCER, EPOCH, 0, "a0", "a1", "a2");
        MemoryRecords second = TxnPartitionWire.idempotent(PRODUCER, EPOCH, 3, "b0", "b1", "b2");
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER, error(() -> partition.append(first, (short) -1)));

        partition.attach(host.startGroup("refused-0", host.peerId(), new Configuration(List.of(host.peerId())), sm,
            plog, dir.resolve("raft")));
        awaitServing(partition);

        // The pipelined second batch arrives first now that the replica leads: it must wait.
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER, error(() -> partition.append(second, (short) -1)));
        // Another producer the partition never refused may still start at any sequence (KIP-360).
        append(partition, TxnPartitionWire.idempotent(PRODUCER + 1, EPOCH, 17, "c0"));

        // The client resends in sequence order: both go in, in order, and a retry is a duplicate.
        Partition.AppendOutcome a = append(partition, first);
        Partition.AppendOutcome b = append(partition, second);
        assertEquals(a.lastOffset() + 1, b.baseOffset());
        assertEquals(b, append(partition, TxnPartitionWire.idempotent(PRODUCER, EPOCH, 3, "b0", "b1", "b2")),
            "the retried second batch is answered with its original offsets");
    }

    @Test
    void aRefusalIsForgottenOnceWrittenOnANewEpochOrAfterTheDeliveryTimeout() {
        RefusedFirstBatches refusals = new RefusedFirstBatches();
        refusals.refused(1L, EPOCH, 5, 1_000);
        refusals.refused(1L, EPOCH, 9, 1_001); // a later refusal keeps the lowest sequence owed
        PartitionException e = assertThrows(PartitionException.class, () -> refusals.check(1L, EPOCH, 6, false, 1_002));
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER, e.error());
        refusals.check(1L, EPOCH, 5, false, 1_002); // the owed batch itself may go in
        refusals.written(1L, EPOCH, 5);
        refusals.check(1L, EPOCH, 9, false, 1_003);
        assertEquals(0, refusals.size());

        refusals.refused(2L, EPOCH, 5, 1_000);
        refusals.check(2L, (short) 1, 0, false, 1_001); // a bumped epoch starts over at 0
        assertEquals(0, refusals.size());

        refusals.refused(3L, EPOCH, 5, 1_000);
        refusals.check(3L, EPOCH, 6, true, 1_001); // state written since: sequence checks take over
        assertEquals(0, refusals.size());

        refusals.refused(4L, EPOCH, 5, 1_000);
        refusals.check(4L, EPOCH, 6, false, 1_000 + RefusedFirstBatches.RETAIN_MS); // the client gave up
        assertEquals(0, refusals.size());

        for (long pid = 0; pid < RefusedFirstBatches.MAX_ENTRIES + 10; pid++) {
            refusals.refused(pid, EPOCH, 1, pid);
        }
        assertEquals(RefusedFirstBatches.MAX_ENTRIES, refusals.size(), "bounded: the oldest go first");
    }

    private Partition.AppendOutcome append(ReplicatedPartition partition, MemoryRecords records) throws Exception {
        return owner.submit(() -> partition.append(records, (short) -1)).get(10, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS);
    }

    private Errors error(Supplier<CompletableFuture<Partition.AppendOutcome>> call) throws Exception {
        CompletableFuture<Partition.AppendOutcome> f = owner.submit(call::get).get(10, TimeUnit.SECONDS);
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
        return assertInstanceOf(PartitionException.class, e.getCause()).error();
    }

    private void awaitServing(ReplicatedPartition partition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        MemoryRecords probe = TxnPartitionWire.plain("probe");
        while (true) {
            CompletableFuture<Partition.AppendOutcome> f = owner.submit(() -> partition.append(probe, (short) -1))
                .get(10, TimeUnit.SECONDS);
            try {
                f.get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the single replica never served", e);
                }
                Thread.sleep(20);
            }
        }
    }
}
