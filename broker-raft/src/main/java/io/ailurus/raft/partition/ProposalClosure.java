package io.ailurus.raft.partition;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.error.RaftError;

import io.ailurus.raft.RaftOperationException;

/**
 * The jraft closure of one proposal: completes the proposer's future once the entry has been
 * applied (with what the state machine made of it) or with the error jraft reports.
 *
 * @param <T> what the proposer's future carries
 */
final class ProposalClosure<T> implements Closure {

    private final CompletableFuture<T> future;
    private final BiFunction<ProposeResult, Object, T> completion;
    private final Runnable onDone;
    /** {@link System#nanoTime()} at the proposal, for the commit latency. */
    private final long proposedNanos = System.nanoTime();
    private ProposeResult result;
    private Object appliedValue;

    /**
     * @param future     completed by {@link #run}
     * @param completion maps the entry's position and the state machine's value to the result
     * @param onDone     runs exactly once when the closure runs (releases the in-flight slot)
     */
    ProposalClosure(CompletableFuture<T> future, BiFunction<ProposeResult, Object, T> completion, Runnable onDone) {
        this.future = future;
        this.completion = completion;
        this.onDone = onDone;
    }

    long proposedNanos() {
        return proposedNanos;
    }

    /** Called by the state machine while applying, before it runs this closure with OK. */
    void applied(ProposeResult result, Object appliedValue) {
        this.result = result;
        this.appliedValue = appliedValue;
    }

    @Override
    public void run(Status status) {
        onDone.run();
        if (status.isOk() && result != null) {
            try {
                future.complete(completion.apply(result, appliedValue));
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        } else if (status.isOk()) {
            future.completeExceptionally(new RaftOperationException(RaftError.EINTERNAL,
                    "proposal closure ran without the entry being applied"));
        } else {
            future.completeExceptionally(toException(status));
        }
    }

    /** Maps jraft's failure statuses to what the Kafka layer can act on. */
    static RuntimeException toException(Status status) {
        RaftError error = status.getRaftError();
        return switch (error) {
            case EPERM, ENEWLEADER, ELEADERREMOVED, ESTOP, ELEADERCONFLICT, ESHUTDOWN, ENODESHUTDOWN ->
                    new NotLeaderException(error + ": " + status.getErrorMsg());
            default -> new RaftOperationException(status);
        };
    }
}
