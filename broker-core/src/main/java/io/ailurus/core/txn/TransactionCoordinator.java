package io.ailurus.core.txn;

import io.ailurus.core.group.OffsetEntry;
import io.ailurus.core.group.PartitionRef;
import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.metadata.CommandResult;
import io.ailurus.core.metadata.MetadataCommand;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.TopicInfo;
import io.ailurus.core.producer.ProducerIdAllocator;
import io.ailurus.core.topic.TopicConfigs;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction coordinator's decisions: InitProducerId for transactional ids, AddPartitionsToTxn
 * (and its verify-only form), AddOffsetsToTxn, TxnOffsetCommit, EndTxn. Every broker runs one and may
 * coordinate any transactional id: the state lives in the controller group ({@link TxnStore}), each
 * decision is read-decide-propose with a compare-and-set on the id's version, and a lost race is
 * decided again from the newer state. Completing a prepared transaction is the
 * {@link TxnCompleter}'s job; timeouts and expiry are the {@link TxnSweeper}'s.
 *
 * <p>Errors are returned in their newest form ({@code PRODUCER_FENCED}); the handlers translate them
 * for older request versions ({@link TxnErrors}).
 */
public final class TransactionCoordinator {
    private static final Logger log = LoggerFactory.getLogger(TransactionCoordinator.class);
    /** Compare-and-set rounds before giving up with a retriable error (only contention loses a round). */
    private static final int MAX_ROUNDS = 16;
    /** Longest wait for this broker's own completion of a prepared transaction before answering CONCURRENT_TRANSACTIONS. */
    private static final long COMPLETION_WAIT_MS = 5_000;
    /** Epochs at or above this need a new producer id on the next bump (Kafka keeps Short.MAX_VALUE unused). */
    static final short LAST_EPOCH = Short.MAX_VALUE - 1;

    private final ClusterView cluster;
    private final TxnStore store;
    private final ProducerIdAllocator ids;
    private final TopicConfigs configs;
    private final TxnCompleter completer;
    private final LongSupplier clock;

    public TransactionCoordinator(ClusterView cluster, TxnStore store, ProducerIdAllocator ids, TopicConfigs configs,
                                  TxnCompleter completer, LongSupplier clock) {
        this.cluster = cluster;
        this.store = store;
        this.ids = ids;
        this.configs = configs;
        this.completer = completer;
        this.clock = clock;
    }

    public TxnStore store() {
        return store;
    }

    public ProducerIdAllocator producerIds() {
        return ids;
    }

    public TransactionSettings settings() {
        return TransactionSettings.from(configs.cluster(cluster.image()));
    }

    /** What InitProducerId answers. */
    public record InitResult(Errors error, long producerId, short producerEpoch) {
        static InitResult error(Errors e) {
            return new InitResult(e, -1, (short) -1);
        }
    }

    // --- InitProducerId ----------------------------------------------------------------------------------

    /**
     * A producer id and epoch for {@code transactionalId}: a new id on first use, the epoch bumped on
     * every later call (fencing older instances). An ongoing transaction is aborted first (the answer
     * is CONCURRENT_TRANSACTIONS until that is done, and the client asks again). KIP-360: a
     * {@code producerId}/{@code producerEpoch} other than -1 must be the id's current pair (or the pair
     * a lost answer replaced), else PRODUCER_FENCED.
     */
    public CompletableFuture<InitResult> initProducerId(String transactionalId, int timeoutMs, long producerId,
                                                       short producerEpoch) {
        if (timeoutMs <= 0 || timeoutMs > settings().maxTimeoutMs()) {
            return CompletableFuture.completedFuture(InitResult.error(Errors.INVALID_TRANSACTION_TIMEOUT));
        }
        TransactionMetadata seen = store.get(transactionalId);
        boolean needsNewId = seen == null || (seen.state().isIdle() && seen.producerEpoch() >= LAST_EPOCH);
        CompletableFuture<Long> newId = needsNewId ? ids.nextId() : CompletableFuture.completedFuture(-1L);
        return newId.handle((id, err) -> err == null ? id : null).thenCompose(id -> id == null
            ? CompletableFuture.completedFuture(InitResult.error(Errors.COORDINATOR_NOT_AVAILABLE))
            : update(transactionalId, cur -> decideInit(transactionalId, cur, timeoutMs, producerId, producerEpoch, id),
                InitResult.error(Errors.COORDINATOR_NOT_AVAILABLE)));
    }

    private Step<InitResult> decideInit(String transactionalId, TransactionMetadata cur, int timeoutMs, long reqId,
                                        short reqEpoch, long newId) {
        long now = clock.getAsLong();
        if (cur == null) {
            if (newId < 0) {
                return Step.answer(InitResult.error(Errors.CONCURRENT_TRANSACTIONS)); // raced an expiry: ask again
            }
            TransactionMetadata fresh = TransactionMetadata.fresh(transactionalId, newId, timeoutMs, now);
            return Step.propose(fresh, 0, new InitResult(Errors.NONE, fresh.producerId(), fresh.producerEpoch()));
        }
        if (reqId >= 0) {
            boolean current = reqId == cur.producerId() && reqEpoch == cur.producerEpoch();
            boolean lostAnswer = reqId == cur.lastProducerId() && reqEpoch == cur.lastProducerEpoch()
                && cur.state() == TxnState.EMPTY;
            if (lostAnswer) {
                return Step.answer(new InitResult(Errors.NONE, cur.producerId(), cur.producerEpoch()));
            }
            if (!current) {
                return Step.answer(InitResult.error(Errors.PRODUCER_FENCED));
            }
        }
        if (cur.state().isPreparing()) {
            completer.complete(cur); // in case the coordinator that prepared it is gone
            return Step.answer(InitResult.error(Errors.CONCURRENT_TRANSACTIONS));
        }
        if (cur.state() == TxnState.ONGOING) {
            // Abort the open transaction with a fenced epoch; the producer asks again once it is done.
            return Step.propose(cur.preparing(false, true, now), cur.version(), InitResult.error(Errors.CONCURRENT_TRANSACTIONS));
        }
        TransactionMetadata next;
        if (cur.producerEpoch() >= LAST_EPOCH) {
            if (newId < 0) {
                return Step.answer(InitResult.error(Errors.CONCURRENT_TRANSACTIONS)); // a new id is fetched on the retry
            }
            next = cur.reinitialised(newId, (short) 0, timeoutMs, now);
        } else {
            next = cur.reinitialised(cur.producerId(), (short) (cur.producerEpoch() + 1), timeoutMs, now);
        }
        return Step.propose(next, cur.version(), new InitResult(Errors.NONE, next.producerId(), next.producerEpoch()));
    }

    // --- AddPartitionsToTxn / AddOffsetsToTxn ---------------------------------------------------------------

    /** Adds {@code partitions} to the producer's transaction (starting one); one error per partition. */
    public CompletableFuture<Map<TopicPartition, Errors>> addPartitions(String transactionalId, long producerId,
                                                                        short producerEpoch,
                                                                        Collection<TopicPartition> partitions) {
        Map<TopicPartition, Errors> unknown = unknownPartitions(partitions);
        if (!unknown.isEmpty()) {
            Map<TopicPartition, Errors> out = new LinkedHashMap<>();
            for (TopicPartition tp : partitions) {
                out.put(tp, unknown.getOrDefault(tp, Errors.OPERATION_NOT_ATTEMPTED));
            }
            return CompletableFuture.completedFuture(out);
        }
        List<PartitionRef> refs = partitions.stream().map(tp -> new PartitionRef(tp.topic(), tp.partition())).toList();
        return update(transactionalId, cur -> {
            Errors e = checkOwner(cur, producerId, producerEpoch);
            if (e != Errors.NONE) {
                return Step.answer(e);
            }
            if (cur.state() == TxnState.ONGOING && cur.partitions().containsAll(refs)) {
                return Step.answer(Errors.NONE);
            }
            return Step.propose(cur.withAdded(refs, List.of(), clock.getAsLong()), cur.version(), Errors.NONE);
        }, Errors.COORDINATOR_NOT_AVAILABLE).thenApply(e -> {
            Map<TopicPartition, Errors> out = new LinkedHashMap<>();
            partitions.forEach(tp -> out.put(tp, e));
            return out;
        });
    }

    /**
     * The verify-only form (KIP-890, brokers asking before a transactional produce): NONE for each
     * partition that is in the producer's ongoing transaction, else why not. Reads this replica's state.
     */
    public Map<TopicPartition, Errors> verifyPartitions(String transactionalId, long producerId, short producerEpoch,
                                                        Collection<TopicPartition> partitions) {
        TransactionMetadata cur = store.get(transactionalId);
        Map<TopicPartition, Errors> out = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            out.put(tp, verifyOne(cur, producerId, producerEpoch, tp));
        }
        return out;
    }

    static Errors verifyOne(TransactionMetadata cur, long producerId, short producerEpoch, TopicPartition tp) {
        if (cur == null || cur.producerId() != producerId) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        if (cur.producerEpoch() != producerEpoch) {
            return Errors.INVALID_PRODUCER_EPOCH;
        }
        if (cur.state() != TxnState.ONGOING || !cur.contains(new PartitionRef(tp.topic(), tp.partition()))) {
            return Errors.INVALID_TXN_STATE;
        }
        return Errors.NONE;
    }

    /** Adds consumer group {@code groupId}'s offsets to the producer's transaction. */
    public CompletableFuture<Errors> addOffsets(String transactionalId, long producerId, short producerEpoch, String groupId) {
        if (groupId == null || groupId.isEmpty()) {
            return CompletableFuture.completedFuture(Errors.INVALID_GROUP_ID);
        }
        return update(transactionalId, cur -> {
            Errors e = checkOwner(cur, producerId, producerEpoch);
            if (e != Errors.NONE) {
                return Step.answer(e);
            }
            if (cur.state() == TxnState.ONGOING && cur.groups().contains(groupId)) {
                return Step.answer(Errors.NONE);
            }
            return Step.propose(cur.withAdded(List.of(), List.of(groupId), clock.getAsLong()), cur.version(), Errors.NONE);
        }, Errors.COORDINATOR_NOT_AVAILABLE);
    }

    /** TxnOffsetCommit: the offsets wait in the group store until the transaction ends. */
    public CompletableFuture<Errors> commitOffsets(String transactionalId, long producerId, short producerEpoch,
                                                   String groupId, List<OffsetEntry> offsets) {
        var command = new MetadataCommand.CommitTxnOffsets(transactionalId, producerId, producerEpoch, groupId, offsets,
            clock.getAsLong());
        return cluster.submit(command).handle((r, err) -> {
            if (err != null) {
                return Errors.COORDINATOR_NOT_AVAILABLE;
            }
            return switch (r.error()) {
                case NONE -> Errors.NONE;
                case INVALID_PRODUCER_ID_MAPPING -> Errors.INVALID_PRODUCER_ID_MAPPING;
                case PRODUCER_FENCED -> Errors.PRODUCER_FENCED;
                case INVALID_TXN_STATE -> Errors.INVALID_TXN_STATE;
                default -> Errors.UNKNOWN_SERVER_ERROR;
            };
        });
    }

    // --- EndTxn --------------------------------------------------------------------------------------------

    /** What EndTxn answers: the error and, from v5 on, the producer id and epoch the client owns now. */
    public record EndResult(Errors error, long producerId, short producerEpoch) {
        static EndResult error(Errors e) {
            return new EndResult(e, -1, (short) -1);
        }
    }

    /**
     * Decides the transaction's outcome: PrepareCommit/PrepareAbort is replicated before the answer;
     * the markers and the completion follow ({@link TxnCompleter}). A retry of an end already decided
     * the same way gets NONE (completed) or CONCURRENT_TRANSACTIONS (still completing).
     * transaction.version 1: the epoch stays; the answer carries the request's own pair.
     */
    public CompletableFuture<Errors> endTxn(String transactionalId, long producerId, short producerEpoch, boolean commit) {
        return update(transactionalId, cur -> {
            if (cur == null || cur.producerId() != producerId) {
                return Step.answer(Errors.INVALID_PRODUCER_ID_MAPPING);
            }
            if (cur.producerEpoch() != producerEpoch) {
                return Step.answer(Errors.PRODUCER_FENCED);
            }
            return switch (cur.state()) {
                case ONGOING -> Step.propose(cur.preparing(commit, false, clock.getAsLong()), cur.version(), Errors.NONE);
                case PREPARE_COMMIT -> Step.answer(commit ? Errors.CONCURRENT_TRANSACTIONS : Errors.INVALID_TXN_STATE);
                case PREPARE_ABORT -> Step.answer(commit ? Errors.INVALID_TXN_STATE : Errors.CONCURRENT_TRANSACTIONS);
                case COMPLETE_COMMIT -> Step.answer(commit ? Errors.NONE : Errors.INVALID_TXN_STATE);
                case COMPLETE_ABORT -> Step.answer(commit ? Errors.INVALID_TXN_STATE : Errors.NONE);
                case EMPTY -> Step.answer(Errors.INVALID_TXN_STATE);
            };
        }, Errors.COORDINATOR_NOT_AVAILABLE);
    }

    /**
     * EndTxn under transaction.version 2 (KIP-890 part 2, EndTxn v5): the decision bumps the producer
     * epoch, so the markers carry epoch + 1 and every late batch of the ended transaction is fenced on
     * the partitions. The answer is the pair the client uses from now on (a new producer id with epoch
     * 0 once the epoch is used up). A retry with the pre-bump epoch of the same decision is answered as
     * the first one was (NONE with the new pair once completed, CONCURRENT_TRANSACTIONS while
     * completing); an abort with no transaction open still bumps the epoch, as Kafka does.
     */
    public CompletableFuture<EndResult> endTxnBumpingEpoch(String transactionalId, long producerId, short producerEpoch,
                                                           boolean commit) {
        TransactionMetadata seen = store.get(transactionalId);
        boolean exhausted = seen != null && seen.producerId() == producerId && seen.producerEpoch() == producerEpoch
            && producerEpoch + 1 >= LAST_EPOCH;
        CompletableFuture<Long> newId = exhausted ? ids.nextId() : CompletableFuture.completedFuture(-1L);
        return newId.handle((id, err) -> err == null ? id : null).thenCompose(id -> id == null
            ? CompletableFuture.completedFuture(EndResult.error(Errors.COORDINATOR_NOT_AVAILABLE))
            : update(transactionalId, cur -> decideEndBumping(cur, producerId, producerEpoch, commit, id),
                EndResult.error(Errors.COORDINATOR_NOT_AVAILABLE)));
    }

    private Step<EndResult> decideEndBumping(TransactionMetadata cur, long reqId, short reqEpoch, boolean commit,
                                             long newId) {
        if (cur == null) {
            return Step.answer(EndResult.error(Errors.INVALID_PRODUCER_ID_MAPPING));
        }
        if (isBumpRetry(cur, reqId, reqEpoch)) {
            boolean sameDecision = commit == (cur.state() == TxnState.PREPARE_COMMIT || cur.state() == TxnState.COMPLETE_COMMIT);
            if (!sameDecision) {
                return Step.answer(EndResult.error(Errors.INVALID_TXN_STATE));
            }
            if (cur.state().isPreparing()) {
                return Step.answer(EndResult.error(Errors.CONCURRENT_TRANSACTIONS));
            }
            return Step.answer(new EndResult(Errors.NONE, cur.producerId(), cur.producerEpoch()));
        }
        if (cur.producerId() != reqId) {
            return Step.answer(EndResult.error(Errors.INVALID_PRODUCER_ID_MAPPING));
        }
        if (cur.producerEpoch() != reqEpoch) {
            return Step.answer(EndResult.error(Errors.PRODUCER_FENCED));
        }
        boolean endable = cur.state() == TxnState.ONGOING
            || (!commit && (cur.state() == TxnState.EMPTY || cur.state() == TxnState.COMPLETE_COMMIT
                || cur.state() == TxnState.COMPLETE_ABORT));
        if (!endable) {
            return Step.answer(EndResult.error(cur.state().isPreparing() ? Errors.CONCURRENT_TRANSACTIONS
                : Errors.INVALID_TXN_STATE));
        }
        Long next = null;
        if (reqEpoch + 1 >= LAST_EPOCH) {
            if (newId < 0) {
                return Step.answer(EndResult.error(Errors.CONCURRENT_TRANSACTIONS)); // a new id is fetched on the retry
            }
            next = newId;
        }
        TransactionMetadata prepared = cur.preparingWithBump(commit, next, clock.getAsLong());
        return Step.propose(prepared, cur.version(), new EndResult(Errors.NONE, prepared.producerIdAfterCompletion(),
            prepared.producerEpochAfterCompletion()));
    }

    /**
     * Whether {@code (reqId, reqEpoch)} is the pair an EndTxn v5 already ended with a bump: the state is
     * that prepared or completed transaction (possibly moved to a new producer id on epoch overflow).
     * A coordinator abort (timeout, InitProducerId) also bumps the epoch but does not record the old pair
     * as the last one, so its producer is answered PRODUCER_FENCED instead.
     */
    static boolean isBumpRetry(TransactionMetadata cur, long reqId, short reqEpoch) {
        if (cur.state() == TxnState.ONGOING || cur.state() == TxnState.EMPTY) {
            return false;
        }
        boolean sameId = cur.producerId() == reqId && cur.lastProducerId() == reqId
            && cur.producerEpoch() == reqEpoch + 1 && cur.lastProducerEpoch() == reqEpoch;
        boolean movedId = !cur.state().isPreparing() && cur.producerId() != reqId && cur.lastProducerId() == reqId
            && cur.lastProducerEpoch() == reqEpoch + 1 && cur.producerEpoch() == 0;
        return sameId || movedId;
    }

    /**
     * The sweeper's abort of a transaction past its timeout: PrepareAbort with a bumped epoch (the
     * producer is fenced) if it is still the ongoing transaction the sweeper saw.
     */
    CompletableFuture<Errors> abortTimedOut(TransactionMetadata seen) {
        return update(seen.transactionalId(), cur -> {
            if (cur == null || cur.version() != seen.version() || cur.state() != TxnState.ONGOING) {
                return Step.answer(Errors.NONE); // it moved on meanwhile
            }
            log.info("aborting transaction of {} (producer {} epoch {}): open for more than its {} ms timeout",
                cur.transactionalId(), cur.producerId(), cur.producerEpoch(), cur.timeoutMs());
            return Step.propose(cur.preparing(false, true, clock.getAsLong()), cur.version(), Errors.NONE);
        }, Errors.COORDINATOR_NOT_AVAILABLE);
    }

    // --- shared --------------------------------------------------------------------------------------------

    private static Errors checkOwner(TransactionMetadata cur, long producerId, short producerEpoch) {
        if (cur == null || cur.producerId() != producerId) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        if (cur.producerEpoch() != producerEpoch) {
            return Errors.PRODUCER_FENCED;
        }
        if (cur.state().isPreparing()) {
            return Errors.CONCURRENT_TRANSACTIONS;
        }
        return Errors.NONE;
    }

    private Map<TopicPartition, Errors> unknownPartitions(Collection<TopicPartition> partitions) {
        MetadataImage image = cluster.image();
        Map<TopicPartition, Errors> out = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            TopicInfo t = image.topic(tp.topic()).orElse(null);
            if (t == null || tp.partition() < 0 || tp.partition() >= t.partitionCount()) {
                out.put(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            }
        }
        return out;
    }

    /** What a decision does: answer at once, or propose {@code next} and answer once it is applied. */
    record Step<T>(T answer, TransactionMetadata next, long expectedVersion) {
        static <T> Step<T> answer(T answer) {
            return new Step<>(answer, null, -1);
        }

        static <T> Step<T> propose(TransactionMetadata next, long expectedVersion, T answer) {
            return new Step<>(answer, next, expectedVersion);
        }
    }

    /**
     * Read, decide, compare-and-set; again from the newer state when the set loses. A prepared state
     * that wins is handed to the completer.
     */
    private <T> CompletableFuture<T> update(String transactionalId, Function<TransactionMetadata, Step<T>> decide,
                                            T unavailable) {
        CompletableFuture<T> out = new CompletableFuture<>();
        round(transactionalId, decide, unavailable, 0, out);
        return out;
    }

    private <T> void round(String transactionalId, Function<TransactionMetadata, Step<T>> decide, T unavailable,
                           int rounds, CompletableFuture<T> out) {
        TransactionMetadata cur = store.get(transactionalId);
        CompletableFuture<Void> completing = cur != null && cur.state().isPreparing() && rounds == 0
            ? completer.completion(transactionalId) : null;
        if (completing != null) {
            // The outcome is being written by this broker: decide once it is done instead of making the
            // client back off and retry.
            completing.copy().completeOnTimeout(null, COMPLETION_WAIT_MS, TimeUnit.MILLISECONDS)
                .whenComplete((v, e) -> round(transactionalId, decide, unavailable, rounds + 1, out));
            return;
        }
        Step<T> step;
        try {
            step = decide.apply(cur);
        } catch (RuntimeException e) {
            out.completeExceptionally(e);
            return;
        }
        if (step.next() == null) {
            out.complete(step.answer());
            return;
        }
        cluster.submit(new MetadataCommand.PutTransaction(step.next(), step.expectedVersion())).whenComplete((r, err) -> {
            if (err != null) {
                log.debug("transaction update of {} not applied: {}", transactionalId, err.toString());
                out.complete(unavailable);
            } else if (r.error() == CommandResult.Error.STALE_VERSION) {
                if (rounds + 1 >= MAX_ROUNDS) {
                    out.complete(unavailable);
                } else {
                    round(transactionalId, decide, unavailable, rounds + 1, out);
                }
            } else if (!r.isOk()) {
                out.completeExceptionally(new IllegalStateException("transaction update refused: " + r.message()));
            } else {
                if (step.next().state().isPreparing()) {
                    completer.complete(step.next());
                }
                out.complete(step.answer());
            }
        });
    }

    /** The ids in {@code states} (all when empty), as ListTransactions and the sweeper see them. */
    public List<TransactionMetadata> all() {
        return new ArrayList<>(store.all());
    }
}
