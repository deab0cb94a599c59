package io.ailurus.core.txn;

import io.ailurus.core.group.PartitionRef;
import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.metadata.CommandResult;
import io.ailurus.core.metadata.MetadataCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a prepared transaction to its end: writes the COMMIT or ABORT marker to every partition in
 * it (retrying each until its leader has committed the marker), then replicates
 * CompleteCommit/CompleteAbort, which also materializes or drops the transaction's group offsets.
 *
 * <p>Any broker may run this for any transaction: the broker that answered EndTxn starts at once,
 * the controller leader's sweeper picks up prepared transactions whose coordinator went away, and
 * InitProducerId on a prepared id kicks it too. A marker written twice is harmless (the second finds
 * no open transaction for the producer); the final compare-and-set lets exactly one completion win.
 * Work stops when the transaction's state moves on or the broker closes.
 */
public final class TxnCompleter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TxnCompleter.class);
    private static final long FIRST_BACKOFF_MS = 50;
    private static final long MAX_BACKOFF_MS = 1000;

    private final ClusterView cluster;
    private final TxnStore store;
    private final TxnMarkerWriter markers;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier clock;
    /** Transactional ids this broker is completing now, each with the future of its completion. */
    private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public TxnCompleter(ClusterView cluster, TxnStore store, TxnMarkerWriter markers, ScheduledExecutorService scheduler,
                        LongSupplier clock) {
        this.cluster = cluster;
        this.store = store;
        this.markers = markers;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** Whether this broker is completing {@code transactionalId} now. */
    public boolean isCompleting(String transactionalId) {
        return inFlight.containsKey(transactionalId);
    }

    /**
     * The completion this broker is running for {@code transactionalId}, or null: the coordinator
     * waits for it rather than have the client back off and retry (CONCURRENT_TRANSACTIONS).
     */
    public CompletableFuture<Void> completion(String transactionalId) {
        return inFlight.get(transactionalId);
    }

    /**
     * Completes {@code prepared} (a PrepareCommit/PrepareAbort state) unless this broker is already at
     * it; the future completes when it is done here or was found done or superseded.
     */
    public CompletableFuture<Void> complete(TransactionMetadata prepared) {
        if (!prepared.state().isPreparing() || closed) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> completion = new CompletableFuture<>();
        CompletableFuture<Void> running = inFlight.putIfAbsent(prepared.transactionalId(), completion);
        if (running != null) {
            return running;
        }
        boolean commit = prepared.state() == TxnState.PREPARE_COMMIT;
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (PartitionRef p : prepared.partitions()) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            writeMarker(prepared, new TopicPartition(p.topic(), p.partition()), commit, FIRST_BACKOFF_MS, done);
            writes.add(done);
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
            .thenCompose(v -> stillCurrent(prepared)
                ? cluster.submit(new MetadataCommand.PutTransaction(prepared.completed(clock.getAsLong()), prepared.version()))
                : CompletableFuture.completedFuture(CommandResult.ok()))
            .handle((r, err) -> {
                inFlight.remove(prepared.transactionalId(), completion);
                completion.complete(null);
                if (err != null) {
                    // The sweeper on the controller leader tries again.
                    log.warn("completing the transaction of {} failed: {}", prepared.transactionalId(), err.toString());
                } else if (r.isOk()) {
                    log.debug("transaction of {} (producer {}) {}", prepared.transactionalId(), prepared.producerId(),
                        commit ? "committed" : "aborted");
                }
                return null;
            })
            .thenCompose(v -> completion);
    }

    private boolean stillCurrent(TransactionMetadata prepared) {
        TransactionMetadata cur = store.get(prepared.transactionalId());
        return cur != null && cur.version() == prepared.version() && !closed;
    }

    private void writeMarker(TransactionMetadata prepared, TopicPartition tp, boolean commit, long backoffMs,
                             CompletableFuture<Void> done) {
        if (!stillCurrent(prepared)) {
            done.complete(null); // completed elsewhere, or the broker is closing
            return;
        }
        markers.write(tp, prepared.producerId(), prepared.producerEpoch(), commit, prepared.coordinatorEpoch())
            .whenComplete((error, err) -> {
                Errors e = err != null ? Errors.UNKNOWN_SERVER_ERROR : error;
                switch (e) {
                    case NONE -> done.complete(null);
                    case UNKNOWN_TOPIC_OR_PARTITION -> {
                        log.info("{}: deleted; no {} marker for producer {}", tp, commit ? "commit" : "abort",
                            prepared.producerId());
                        done.complete(null);
                    }
                    case INVALID_PRODUCER_EPOCH, TRANSACTION_COORDINATOR_FENCED -> {
                        // A newer epoch or a later decision already wrote to this producer here: nothing to end.
                        log.warn("{}: {} marker for producer {} epoch {} refused ({}); skipped", tp,
                            commit ? "commit" : "abort", prepared.producerId(), prepared.producerEpoch(), e);
                        done.complete(null);
                    }
                    default -> {
                        log.debug("{}: marker for producer {} not written ({}); retrying in {} ms", tp,
                            prepared.producerId(), e, backoffMs);
                        try {
                            scheduler.schedule(() -> writeMarker(prepared, tp, commit, Math.min(MAX_BACKOFF_MS, backoffMs * 2), done),
                                backoffMs, TimeUnit.MILLISECONDS);
                        } catch (RejectedExecutionException closing) {
                            done.complete(null);
                        }
                    }
                }
            });
    }

    @Override
    public void close() {
        closed = true;
    }
}
