package io.ailurus.core.cluster;

import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.util.Endpoint;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ailurus.raft.RaftGroup;
import io.ailurus.raft.rpc.InternalRpc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers brokers asking to join the controller group (kind {@value #JOIN}, sent by
 * {@link ControllerJoiner}), on every broker: the controller leader adds the asker as a jraft
 * learner (it gets the log and so the metadata image, but does not vote: the seeds are the voters);
 * any other replica answers {@code not_leader} with the leader it knows of. Asking again is
 * harmless: a known learner (or voter) is answered {@code ok} at once, which is what a restarted
 * learner gets.
 */
public final class LearnerAdmission {
    private static final Logger log = LoggerFactory.getLogger(LearnerAdmission.class);
    static final String JOIN = "controller.join";
    /** Jackson, created on first use: a broker that only starts and idles needs none of it (idle RSS, docs/benchmarks.md). */
    static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    private final RaftGroup group;
    private final BooleanSupplier leads;
    private final Supplier<Endpoint> leader;
    private final LongSupplier appliedIndex;

    /**
     * Registers the handler on {@code rpc}.
     *
     * @param group        the controller group on this broker
     * @param leads        whether this replica leads and its term has started (accepts commands)
     * @param leader       the leader's endpoint as this replica knows it, or null
     * @param appliedIndex this replica's applied index
     */
    public static LearnerAdmission register(InternalRpc rpc, RaftGroup group, BooleanSupplier leads,
                                            Supplier<Endpoint> leader, LongSupplier appliedIndex) {
        LearnerAdmission admission = new LearnerAdmission(group, leads, leader, appliedIndex);
        rpc.register(JOIN, admission::serve);
        return admission;
    }

    private LearnerAdmission(RaftGroup group, BooleanSupplier leads, Supplier<Endpoint> leader, LongSupplier appliedIndex) {
        this.group = group;
        this.leads = leads;
        this.leader = leader;
        this.appliedIndex = appliedIndex;
    }

    private CompletableFuture<byte[]> serve(byte[] payload) {
        String asked = new String(payload, StandardCharsets.UTF_8);
        PeerId peer = PeerId.parsePeer(asked);
        if (peer == null || peer.isEmpty()) {
            return done(new JoinReply(JoinReply.FAILED, 0, null, "'" + asked + "' is not a Raft peer address"));
        }
        if (!leads.getAsBoolean()) {
            return notLeader();
        }
        List<PeerId> voters;
        List<PeerId> learners;
        try {
            voters = group.peers();
            learners = group.learners();
        } catch (IllegalStateException lostLeadership) { // jraft lists members only on the leader
            return notLeader();
        }
        if (voters.contains(peer) || learners.contains(peer)) {
            log.debug("{} asked to join the controller group again; it is a {}", peer,
                voters.contains(peer) ? "voter" : "learner");
            return done(new JoinReply(JoinReply.OK, appliedIndex.getAsLong(), null, null));
        }
        log.info("adding the broker at {} to the controller group as a learner (voters {}, learners {})", peer,
            voters, learners);
        return group.addLearners(List.of(peer)).handle((v, err) -> {
            if (err != null) {
                log.info("adding {} as a controller learner failed (it will ask again): {}", peer, err.toString());
                return encode(new JoinReply(JoinReply.FAILED, 0, null, String.valueOf(ControllerForwarder.unwrap(err))));
            }
            log.info("the broker at {} is a learner of the controller group", peer);
            return encode(new JoinReply(JoinReply.OK, appliedIndex.getAsLong(), null, null));
        });
    }

    private CompletableFuture<byte[]> notLeader() {
        Endpoint known = leader.get();
        return done(new JoinReply(JoinReply.NOT_LEADER, 0, known == null ? null : known.toString(), null));
    }

    private static CompletableFuture<byte[]> done(JoinReply reply) {
        return CompletableFuture.completedFuture(encode(reply));
    }

    static byte[] encode(JoinReply reply) {
        try {
            return Json.MAPPER.writeValueAsBytes(reply);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JoinReply decode(byte[] bytes) throws IOException {
        return Json.MAPPER.readValue(bytes, JoinReply.class);
    }
}
