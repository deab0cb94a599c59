package io.ailurus.core.cluster;

import com.alipay.sofa.jraft.util.Endpoint;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ailurus.core.metadata.CommandResult;
import io.ailurus.core.metadata.MetadataCommand;
import io.ailurus.core.metadata.MetadataState;
import io.ailurus.raft.partition.NotLeaderException;
import io.ailurus.raft.rpc.InternalRpc;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes metadata commands to the controller leader. On the leader a command is proposed locally;
 * elsewhere it travels over the shared Raft RPC server ({@link InternalRpc}, kind
 * {@value #SUBMIT}) to the leader this replica knows of, which proposes it and answers with the
 * result and its applied index; the forwarder then waits until its own replica has applied that
 * index too, so the caller's next read of the local image sees the change.
 *
 * <p>While there is no leader, or the one asked has just lost leadership, the command is retried
 * with a short back-off until {@link #RETRY_FOR_MS} passes. A command whose answer was lost (the
 * leader died after applying it) may be applied twice; every command is written to be harmless
 * when repeated (a second CreateTopic fails with TOPIC_ALREADY_EXISTS, a second producer-id block
 * is wasted, registrations and reports replace themselves).
 */
public final class ControllerForwarder {
    private static final Logger log = LoggerFactory.getLogger(ControllerForwarder.class);
    static final String SUBMIT = "controller.submit";
    static final long RETRY_FOR_MS = 30_000;
    private static final long RPC_TIMEOUT_MS = 10_000;
    private static final long APPLY_WAIT_MS = 10_000;
    // CommandResult's isOk() is written as "ok"; it is derived, so reading ignores it.
    /** Jackson, created on first use: a broker that only starts and idles needs none of it (idle RSS, docs/benchmarks.md). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /** What the forwarder needs of the local controller replica. */
    public interface LocalController {
        boolean isLeader();

        /** The leader's RPC endpoint as this replica knows it, or null during an election. */
        Endpoint leaderEndpoint();

        /** Proposes on this replica (fails with {@link NotLeaderException} when it does not lead). */
        CompletableFuture<CommandResult> submitLocal(MetadataCommand command);

        long appliedIndex();

        CompletableFuture<Void> awaitApplied(long index);
    }

    private final InternalRpc rpc;
    private final LocalController local;
    private final ScheduledExecutorService scheduler;
    private final Supplier<Boolean> closed;

    public ControllerForwarder(InternalRpc rpc, LocalController local, ScheduledExecutorService scheduler,
                               Supplier<Boolean> closed) {
        this.rpc = rpc;
        this.local = local;
        this.scheduler = scheduler;
        this.closed = closed;
        rpc.register(SUBMIT, this::serve);
    }

    /** Proposes {@code command} through the leader, wherever it is; completes once applied here. */
    public CompletableFuture<CommandResult> submit(MetadataCommand command) {
        CompletableFuture<CommandResult> result = new CompletableFuture<>();
        attempt(command, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_FOR_MS), 0, result);
        return result;
    }

    private void attempt(MetadataCommand command, long deadline, int tries, CompletableFuture<CommandResult> result) {
        if (closed.get()) {
            result.completeExceptionally(new NotLeaderException("the controller on this broker is shutting down"));
            return;
        }
        if (local.isLeader()) {
            local.submitLocal(command).whenComplete((r, err) -> {
                if (err == null) {
                    result.complete(r);
                } else if (unwrap(err) instanceof NotLeaderException) {
                    retry(command, deadline, tries, result, "leadership moved");
                } else {
                    result.completeExceptionally(unwrap(err));
                }
            });
            return;
        }
        Endpoint leader = local.leaderEndpoint();
        if (leader == null) {
            retry(command, deadline, tries, result, "no controller leader");
            return;
        }
        rpc.call(leader, SUBMIT, MetadataState.encodeCommand(command), RPC_TIMEOUT_MS).whenComplete((bytes, err) -> {
            if (err != null) {
                retry(command, deadline, tries, result, unwrap(err).getMessage());
                return;
            }
            ForwardReply reply;
            try {
                reply = Json.MAPPER.readValue(bytes, ForwardReply.class);
            } catch (IOException e) {
                result.completeExceptionally(new IllegalStateException("unreadable answer from the controller leader", e));
                return;
            }
            switch (reply.status()) {
                case ForwardReply.OK -> local.awaitApplied(reply.appliedIndex())
                    .completeOnTimeout(null, APPLY_WAIT_MS, TimeUnit.MILLISECONDS)
                    .whenComplete((v, e) -> result.complete(reply.result()));
                case ForwardReply.NOT_LEADER -> retry(command, deadline, tries, result, leader + " no longer leads");
                default -> result.completeExceptionally(new IllegalStateException(reply.message()));
            }
        });
    }

    private void retry(MetadataCommand command, long deadline, int tries, CompletableFuture<CommandResult> result,
                       String why) {
        if (System.nanoTime() > deadline || closed.get()) {
            result.completeExceptionally(new NotLeaderException("no controller leader accepted "
                + command.getClass().getSimpleName() + " within " + RETRY_FOR_MS + " ms (last: " + why + ")"));
            return;
        }
        long delayMs = Math.min(500, 50L << Math.min(tries, 4));
        log.debug("retrying {} in {} ms: {}", command.getClass().getSimpleName(), delayMs, why);
        try {
            scheduler.schedule(() -> attempt(command, deadline, tries + 1, result), delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(new NotLeaderException("the controller on this broker is shutting down"));
        }
    }

    /** On the receiving broker: propose if leading, else say so (the sender asks again). */
    private CompletableFuture<byte[]> serve(byte[] payload) {
        MetadataCommand command;
        try {
            command = MetadataState.decodeCommand(payload);
        } catch (IOException e) {
            return CompletableFuture.completedFuture(encode(new ForwardReply(ForwardReply.FAILED, null, 0,
                "unreadable command: " + e.getMessage())));
        }
        if (!local.isLeader()) {
            return CompletableFuture.completedFuture(encode(new ForwardReply(ForwardReply.NOT_LEADER, null, 0, null)));
        }
        return local.submitLocal(command).handle((r, err) -> {
            if (err == null) {
                return encode(new ForwardReply(ForwardReply.OK, r, local.appliedIndex(), null));
            }
            Throwable cause = unwrap(err);
            String status = cause instanceof NotLeaderException ? ForwardReply.NOT_LEADER : ForwardReply.FAILED;
            return encode(new ForwardReply(status, null, 0, String.valueOf(cause.getMessage())));
        });
    }

    private static byte[] encode(ForwardReply reply) {
        try {
            return Json.MAPPER.writeValueAsBytes(reply);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
