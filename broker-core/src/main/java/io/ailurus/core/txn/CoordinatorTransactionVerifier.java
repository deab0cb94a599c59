package io.ailurus.core.txn;

import io.ailurus.core.partition.TransactionVerifier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * The produce path's KIP-890 check against the replicated transaction state: a transactional batch
 * is accepted only if its partition is in the producer's ongoing transaction at its epoch.
 *
 * <p>The state is read from this broker's controller replica, which may trail the replica that
 * acknowledged the AddPartitionsToTxn by a few milliseconds; a refusal is therefore re-checked a few
 * times, {@value #RECHECK_MS} ms apart, before it is final.
 */
public final class CoordinatorTransactionVerifier implements TransactionVerifier {
    static final long RECHECK_MS = 50;
    static final int RECHECKS = 10;

    private final TxnStore store;
    private final ScheduledExecutorService scheduler;
    private final TransactionCoordinator coordinator;

    public CoordinatorTransactionVerifier(TxnStore store, ScheduledExecutorService scheduler,
                                          TransactionCoordinator coordinator) {
        this.store = store;
        this.scheduler = scheduler;
        this.coordinator = coordinator;
    }

    /**
     * transaction.version 2: AddPartitionsToTxn as a broker sends it (v5, verifyOnly=false), decided by
     * this broker's own coordinator (any broker coordinates any id). Errors are given in the form a
     * Produce response carries: the coordinator's transient states become NOT_ENOUGH_REPLICAS, which
     * every producer retries (as Kafka does, since producers do not expect coordinator errors from
     * Produce), and a fenced producer gets INVALID_PRODUCER_EPOCH.
     */
    @Override
    public CompletableFuture<Errors> addPartition(String transactionalId, long producerId, short producerEpoch,
                                                  TopicPartition tp) {
        if (transactionalId == null) {
            return CompletableFuture.completedFuture(Errors.INVALID_PRODUCER_ID_MAPPING);
        }
        CompletableFuture<Errors> out = new CompletableFuture<>();
        add(transactionalId, producerId, producerEpoch, tp, 0, out);
        return out;
    }

    /**
     * One attempt of {@link #addPartition}. This broker decides from its own controller replica,
     * which may not yet have applied the EndTxn (epoch bump, new producer id) that another broker's
     * coordinator just answered the producer with; a refusal that names a producer id or epoch this
     * replica has not seen yet is therefore retried, {@value #RECHECK_MS} ms apart, before it is final.
     */
    private void add(String transactionalId, long producerId, short producerEpoch, TopicPartition tp, int attempt,
                     CompletableFuture<Errors> out) {
        coordinator.addPartitions(transactionalId, producerId, producerEpoch, java.util.List.of(tp))
            .whenComplete((answers, err) -> {
                if (err != null) {
                    out.complete(Errors.NOT_ENOUGH_REPLICAS);
                    return;
                }
                Errors e = answers.getOrDefault(tp, Errors.UNKNOWN_SERVER_ERROR);
                if (attempt < RECHECKS && mayBeBehind(e, store.get(transactionalId), producerId, producerEpoch)) {
                    try {
                        scheduler.schedule(() -> add(transactionalId, producerId, producerEpoch, tp, attempt + 1, out),
                            RECHECK_MS, TimeUnit.MILLISECONDS);
                        return;
                    } catch (RejectedExecutionException closing) {
                        // shutting down: answer with what we have
                    }
                }
                out.complete(forProduce(e));
            });
    }

    /** Whether a refusal may come from this replica trailing the one that answered the producer last. */
    static boolean mayBeBehind(Errors e, TransactionMetadata cur, long producerId, short producerEpoch) {
        return switch (e) {
            case INVALID_PRODUCER_ID_MAPPING, INVALID_PRODUCER_EPOCH, PRODUCER_FENCED ->
                cur == null || cur.producerId() != producerId || cur.producerEpoch() < producerEpoch;
            default -> false;
        };
    }

    static Errors forProduce(Errors e) {
        return switch (e) {
            case CONCURRENT_TRANSACTIONS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS ->
                Errors.NOT_ENOUGH_REPLICAS;
            case PRODUCER_FENCED -> Errors.INVALID_PRODUCER_EPOCH;
            default -> e;
        };
    }

    @Override
    public CompletableFuture<Errors> verify(String transactionalId, long producerId, short producerEpoch, TopicPartition tp) {
        CompletableFuture<Errors> out = new CompletableFuture<>();
        check(transactionalId, producerId, producerEpoch, tp, 0, out);
        return out;
    }

    private void check(String transactionalId, long producerId, short producerEpoch, TopicPartition tp, int attempt,
                       CompletableFuture<Errors> out) {
        TransactionMetadata cur = transactionalId == null ? null : store.get(transactionalId);
        Errors e = TransactionCoordinator.verifyOne(cur, producerId, producerEpoch, tp);
        // A producer epoch newer than the one here can only mean this replica has not caught up yet.
        boolean mayBeBehind = e != Errors.NONE && (cur == null || cur.producerEpoch() <= producerEpoch);
        if (!mayBeBehind || attempt >= RECHECKS) {
            out.complete(e);
            return;
        }
        try {
            scheduler.schedule(() -> check(transactionalId, producerId, producerEpoch, tp, attempt + 1, out),
                RECHECK_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            out.complete(e);
        }
    }
}
