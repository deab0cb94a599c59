package io.ailurus.core.txn;

import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.partition.PartitionManager;
import io.ailurus.core.partition.TransactionVerifier;
import io.ailurus.core.producer.ProducerIdAllocator;
import io.ailurus.core.topic.TopicConfigs;
import io.ailurus.raft.rpc.InternalRpc;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction coordinator on one broker, wired: the coordinator, the marker writer (and its RPC
 * endpoint), the completer, the produce-path verifier and the periodic sweeper, sharing one
 * scheduler thread for retries and sweeps.
 */
public final class TransactionService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransactionService.class);

    private final ScheduledExecutorService scheduler;
    private final TransactionCoordinator coordinator;
    private final TxnCompleter completer;
    private final TxnSweeper sweeper;
    private final CoordinatorTransactionVerifier verifier;
    private final ScheduledFuture<?> sweeps;

    private TransactionService(ClusterView cluster, TxnStore store, PartitionManager partitions, TopicConfigs configs,
                               InternalRpc rpc, LongSupplier clock) {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ailurus-txn-" + cluster.nodeId());
            t.setDaemon(true);
            return t;
        });
        TxnMarkerWriter markers = new TxnMarkerWriter(cluster, partitions, rpc);
        this.completer = new TxnCompleter(cluster, store, markers, scheduler, clock);
        this.coordinator = new TransactionCoordinator(cluster, store, new ProducerIdAllocator(cluster), configs, completer, clock);
        this.sweeper = new TxnSweeper(cluster, coordinator, completer, clock);
        this.verifier = new CoordinatorTransactionVerifier(store, scheduler, coordinator);
        long interval = coordinator.settings().sweepIntervalMs();
        this.sweeps = scheduler.scheduleWithFixedDelay(this::sweepSafely, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Starts the coordinator on this broker; transactions left prepared are completed by the sweeps. */
    public static TransactionService start(ClusterView cluster, TxnStore store, PartitionManager partitions,
                                           TopicConfigs configs, InternalRpc rpc) {
        return new TransactionService(cluster, store, partitions, configs, rpc, System::currentTimeMillis);
    }

    public TransactionCoordinator coordinator() {
        return coordinator;
    }

    /** The KIP-890 check for the produce path ({@link PartitionManager#setTransactionVerifier}). */
    public TransactionVerifier verifier() {
        return verifier;
    }

    /** One sweep now, on the coordinator's thread (tests; the scheduled one runs every tx_timeout_delay_ms). */
    public int sweepNow() throws Exception {
        return scheduler.submit(sweeper::sweep).get(30, TimeUnit.SECONDS);
    }

    private void sweepSafely() {
        try {
            sweeper.sweep();
        } catch (RuntimeException e) {
            log.warn("transaction sweep failed", e);
        }
    }

    @Override
    public void close() {
        sweeps.cancel(false);
        completer.close();
        scheduler.shutdownNow();
    }
}
