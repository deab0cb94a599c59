package io.ailurus.core.cluster;

import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.util.Endpoint;
import io.ailurus.core.controller.MetadataController;
import io.ailurus.raft.rpc.InternalRpc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a broker that is not one of the seeds into the controller group, as a learner: it asks
 * the seeds (over the internal RPC, kind {@value LearnerAdmission#JOIN}) until the controller
 * leader has added it ({@link LearnerAdmission}), following a replica's leader hint when it is not
 * the leader, then waits until its own controller replica has applied the log up to where the
 * leader was: from then on its metadata image is the cluster's. A seed that cannot be reached,
 * or a cluster without a leader yet, is asked again with a back-off until the deadline.
 *
 * <p>The broker's controller node must already be running with an empty configuration (or, after a
 * restart, the one in its log), so that it accepts the leader's log instead of electing itself.
 */
public final class ControllerJoiner {
    private static final Logger log = LoggerFactory.getLogger(ControllerJoiner.class);
    private static final long RPC_TIMEOUT_MS = 5_000;
    /** How long the log may take to arrive after an ok before the broker asks again. */
    private static final long CATCH_UP_MS = 15_000;
    private static final long LOG_EVERY_MS = 5_000;
    /** Leader hints followed in one round: hints can point back and forth during an election. */
    private static final int MAX_HINTS_PER_ROUND = 3;

    private final InternalRpc rpc;
    private final PeerId self;
    private final List<Endpoint> seeds;
    private final MetadataController controller;
    /** The last answer or error of each replica asked, for the log and the final error. */
    private final Map<String, String> lastAnswers = new LinkedHashMap<>();

    private ControllerJoiner(InternalRpc rpc, PeerId self, List<Endpoint> seeds, MetadataController controller) {
        this.rpc = rpc;
        this.self = self;
        this.seeds = List.copyOf(seeds);
        this.controller = controller;
    }

    /**
     * Joins and waits until this broker's controller replica has caught up.
     *
     * @param self       this broker's Raft peer id (what the leader adds)
     * @param seeds      the seeds' RPC endpoints (any of them may be asked)
     * @param controller this broker's controller replica, already started
     * @param timeout    how long to keep trying
     * @throws IOException when no leader added this broker in time: the message names the seeds and
     *                     their last answers
     */
    public static void join(InternalRpc rpc, PeerId self, List<Endpoint> seeds, MetadataController controller,
                            Duration timeout) throws IOException, InterruptedException {
        new ControllerJoiner(rpc, self, seeds, controller).run(timeout);
    }

    private void run(Duration timeout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextLog = start;
        long backoffMs = 100;
        log.info("this broker ({}) is not one of the seeds {}: asking them to add it to the controller group as a learner",
            self, seeds);
        while (System.nanoTime() < deadline) {
            Long appliedAtLeader = askOnce(deadline);
            if (appliedAtLeader != null) {
                if (awaitCaughtUp(appliedAtLeader, deadline)) {
                    log.info("joined the controller group as a learner; metadata applied up to index {}",
                        controller.appliedIndex());
                    return;
                }
                lastAnswers.put("catch-up", "added, but the log up to index " + appliedAtLeader
                    + " did not arrive within " + CATCH_UP_MS + " ms");
            }
            long now = System.nanoTime();
            if (now >= nextLog) {
                log.info("waiting to join the controller group through the seeds {} ({} s so far); last answers: {}",
                    seeds, TimeUnit.NANOSECONDS.toSeconds(now - start), lastAnswers);
                nextLog = now + TimeUnit.MILLISECONDS.toNanos(LOG_EVERY_MS);
            }
            long sleepMs = Math.min(backoffMs, Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - now)));
            Thread.sleep(sleepMs);
            backoffMs = Math.min(2_000, backoffMs * 2);
        }
        throw new IOException("this broker (" + self + ") is not one of the seeds and could not join the controller group"
            + " through them within " + timeout.toSeconds() + " s; seeds tried: " + seeds + ", last answers: " + lastAnswers
            + ". Check that a majority of the seeds is running and reachable from this broker at these RPC addresses"
            + " (their --rpc-addr / advertised RPC address), and that --seeds names the same addresses on every broker");
    }

    /** One round over the seeds (and the leader they point at); the leader's applied index once added, else null. */
    private Long askOnce(long deadline) throws InterruptedException {
        Deque<Endpoint> toAsk = new ArrayDeque<>(seeds);
        int hints = 0;
        while (!toAsk.isEmpty() && System.nanoTime() < deadline) {
            Endpoint target = toAsk.pollFirst();
            JoinReply reply;
            try {
                byte[] bytes = rpc.call(target, LearnerAdmission.JOIN, self.toString().getBytes(StandardCharsets.UTF_8),
                    RPC_TIMEOUT_MS).get(RPC_TIMEOUT_MS + 1_000, TimeUnit.MILLISECONDS);
                reply = LearnerAdmission.decode(bytes);
            } catch (ExecutionException | TimeoutException | IOException e) {
                Throwable cause = e instanceof ExecutionException ? ControllerForwarder.unwrap(e.getCause()) : e;
                lastAnswers.put(target.toString(), String.valueOf(cause.getMessage()));
                continue;
            }
            switch (reply.status()) {
                case JoinReply.OK -> {
                    lastAnswers.put(target.toString(), "ok");
                    return reply.appliedIndex();
                }
                case JoinReply.NOT_LEADER -> {
                    lastAnswers.put(target.toString(), "not the controller leader (leader: "
                        + (reply.leader() == null ? "unknown" : reply.leader()) + ")");
                    PeerId hinted = reply.leader() == null ? null : PeerId.parsePeer(reply.leader());
                    Endpoint hint = hinted == null ? null : hinted.getEndpoint();
                    if (hint != null && !hint.equals(target) && hints++ < MAX_HINTS_PER_ROUND) {
                        toAsk.addFirst(hint);
                    }
                }
                default -> lastAnswers.put(target.toString(), "refused: " + reply.message());
            }
        }
        return null;
    }

    private boolean awaitCaughtUp(long index, long deadline) throws InterruptedException {
        long waitMs = Math.min(CATCH_UP_MS, Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        try {
            controller.awaitApplied(index).get(waitMs, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        }
    }
}
