package io.ailurus.core.cluster;

import com.alipay.sofa.jraft.entity.PeerId;
import io.ailurus.core.controller.MetadataController;
import io.ailurus.core.kafka.LeaderElections;
import io.ailurus.core.metadata.BrokerInfo;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.PartitionLeader;
import io.ailurus.core.metadata.TopicInfo;
import io.ailurus.core.partition.Partition;
import io.ailurus.core.partition.PartitionManager;
import io.ailurus.core.partition.ReplicatedPartition;
import io.ailurus.raft.RaftOperationException;
import io.ailurus.raft.rpc.InternalRpc;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ElectLeaders on any broker. A preferred election asks the partition's current leader (over the
 * internal RPC, kind {@value #KIND}; locally when this broker leads) to transfer its Raft leadership
 * to the first replica of the assignment, and answers once that replica leads or the transfer
 * gave up. An unclean election is answered as Raft can: not needed while the group has a leader,
 * impossible otherwise (no replica without every committed record can be elected).
 */
public final class PreferredLeaderElector implements LeaderElections {
    private static final Logger log = LoggerFactory.getLogger(PreferredLeaderElector.class);
    static final String KIND = "partition.elect_preferred";
    private static final long POLL_MS = 50;

    private final MetadataController controller;
    private final PartitionManager partitions;
    private final InternalRpc rpc;
    private final ScheduledExecutorService scheduler;
    /** How long a transfer may take before it is reported as not done (jraft gives up after an election timeout). */
    private final long transferTimeoutMs;

    private PreferredLeaderElector(MetadataController controller, PartitionManager partitions, InternalRpc rpc,
                                   long electionTimeoutMs) {
        this.controller = controller;
        this.partitions = partitions;
        this.rpc = rpc;
        this.scheduler = controller.scheduler();
        this.transferTimeoutMs = 2 * electionTimeoutMs + 2000;
    }

    /** Registers the RPC handler every leader answers transfer requests with. */
    public static PreferredLeaderElector start(MetadataController controller, PartitionManager partitions, InternalRpc rpc,
                                               long electionTimeoutMs) {
        PreferredLeaderElector elector = new PreferredLeaderElector(controller, partitions, rpc, electionTimeoutMs);
        rpc.register(KIND, elector::onTransferRequest);
        return elector;
    }

    @Override
    public List<TopicPartition> candidates(ElectionType type) {
        MetadataImage image = controller.image();
        List<TopicPartition> out = new ArrayList<>();
        for (TopicInfo t : image.sortedTopics().values()) {
            for (int p = 0; p < t.partitionCount(); p++) {
                List<Integer> replicas = t.replicas(p);
                int leader = leaderOf(image, new TopicPartition(t.name(), p));
                boolean wanted = type == ElectionType.UNCLEAN ? leader < 0 : replicas.size() > 1 && leader != replicas.get(0);
                if (wanted) {
                    out.add(new TopicPartition(t.name(), p));
                }
            }
        }
        return out;
    }

    @Override
    public CompletableFuture<Outcome> elect(ElectionType type, TopicPartition tp) {
        MetadataImage image = controller.image();
        TopicInfo topic = image.topic(tp.topic()).orElse(null);
        if (topic == null || tp.partition() < 0 || tp.partition() >= topic.partitionCount()) {
            return done(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Partition " + tp + " does not exist.");
        }
        List<Integer> replicas = topic.replicas(tp.partition());
        int leader = leaderOf(image, tp);
        if (type == ElectionType.UNCLEAN) {
            return leader >= 0
                ? done(Errors.ELECTION_NOT_NEEDED, "Partition " + tp + " has a leader (broker " + leader + ").")
                : done(Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE, "Partition " + tp + " is a Raft group: only a replica"
                    + " holding every committed record can lead, so an unclean election is not possible. It elects a"
                    + " leader by itself once a majority of its replicas " + replicas + " is up.");
        }
        if (replicas.size() == 1) {
            return done(Errors.ELECTION_NOT_NEEDED, tp + " has a single replica, which leads it.");
        }
        return moveTo(image, tp, leader, replicas.get(0));
    }

    @Override
    public CompletableFuture<Outcome> transfer(TopicPartition tp, int target) {
        MetadataImage image = controller.image();
        TopicInfo topic = image.topic(tp.topic()).orElse(null);
        if (topic == null || tp.partition() < 0 || tp.partition() >= topic.partitionCount()) {
            return done(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Partition " + tp + " does not exist.");
        }
        List<Integer> replicas = topic.replicas(tp.partition());
        int leader = leaderOf(image, tp);
        if (target < 0) {
            // Any other live replica, in assignment order (so the preferred one first).
            target = replicas.stream().filter(r -> r != leader && image.isBrokerAlive(r)).findFirst().orElse(-1);
            if (target < 0) {
                return done(Errors.PREFERRED_LEADER_NOT_AVAILABLE, "No other live replica of " + tp + " can lead.");
            }
        } else if (!replicas.contains(target)) {
            return done(Errors.INVALID_REQUEST, "Broker " + target + " is not a replica of " + tp + " " + replicas + ".");
        }
        return moveTo(image, tp, leader, target);
    }

    /**
     * Asks the leader of {@code tp} to hand leadership to {@code preferred} and waits for it to
     * lead. The leader this broker believes in may be stale (a report not yet applied here), so
     * only the replica that leads decides whether a transfer is needed; a broker that does not
     * lead answers with the leader it knows, and that one is asked instead (a few times at most).
     */
    private CompletableFuture<Outcome> moveTo(MetadataImage image, TopicPartition tp, int leader, int preferred) {
        if (!image.isBrokerAlive(preferred)) {
            return done(Errors.PREFERRED_LEADER_NOT_AVAILABLE, "The replica of " + tp + " on broker "
                + preferred + " is offline.");
        }
        if (leader < 0) {
            return done(Errors.PREFERRED_LEADER_NOT_AVAILABLE, tp + " has no leader right now (an election is under"
                + " way); retry.");
        }
        byte[] request = (tp.topic() + "\n" + tp.partition() + "\n" + preferred).getBytes(StandardCharsets.UTF_8);
        return ask(image, tp, leader, request, 3);
    }

    private CompletableFuture<Outcome> ask(MetadataImage image, TopicPartition tp, int leader, byte[] request, int attempts) {
        CompletableFuture<Reply> reply;
        if (leader == controller.nodeId()) {
            reply = onTransferRequest(request).thenApply(PreferredLeaderElector::decode);
        } else {
            BrokerInfo leaderBroker = image.brokers().get(leader);
            PeerId peer = leaderBroker == null || leaderBroker.rpcAddress() == null ? null
                : PeerId.parsePeer(leaderBroker.rpcAddress());
            if (peer == null) {
                return done(Errors.PREFERRED_LEADER_NOT_AVAILABLE, "The leader of " + tp + ", broker " + leader
                    + ", has no known RPC address.");
            }
            reply = rpc.call(peer.getEndpoint(), KIND, request, transferTimeoutMs + 5000)
                .thenApply(PreferredLeaderElector::decode)
                .exceptionally(e -> new Reply(new Outcome(Errors.PREFERRED_LEADER_NOT_AVAILABLE, "Asking broker " + leader
                    + " to hand over " + tp + " failed: " + e.getMessage()), -1));
        }
        return reply.thenCompose(r -> {
            boolean elsewhere = r.outcome().error() == Errors.NOT_LEADER_OR_FOLLOWER && r.leaderHint() >= 0
                && r.leaderHint() != leader;
            return elsewhere && attempts > 1 ? ask(controller.image(), tp, r.leaderHint(), request, attempts - 1)
                : CompletableFuture.completedFuture(r.outcome());
        });
    }

    /** The leader this broker knows of: its own replica's view first, else what the controller was told. */
    private int leaderOf(MetadataImage image, TopicPartition tp) {
        Partition local = partitions.get(tp);
        if (local != null) {
            int id = local.leaderId();
            if (id >= 0) {
                return id;
            }
        }
        PartitionLeader reported = image.reportedLeader(tp.topic(), tp.partition());
        if (reported != null) {
            return reported.nodeId();
        }
        TopicInfo t = image.topic(tp.topic()).orElse(null);
        // A single-replica partition is always led by its one replica.
        return t != null && t.replicas(tp.partition()).size() == 1 ? t.replicas(tp.partition()).get(0) : -1;
    }

    /** On the leader: transfer, then answer once the preferred replica leads or the time is up. */
    private CompletableFuture<byte[]> onTransferRequest(byte[] payload) {
        String[] parts = new String(payload, StandardCharsets.UTF_8).split("\n");
        TopicPartition tp = new TopicPartition(parts[0], Integer.parseInt(parts[1]));
        int preferred = Integer.parseInt(parts[2]);
        Partition p = partitions.get(tp);
        if (!(p instanceof ReplicatedPartition rp) || !rp.isLeader() || rp.group() == null) {
            int hint = p == null ? -1 : p.leaderId();
            return reply(Errors.NOT_LEADER_OR_FOLLOWER, hint, "Broker " + controller.nodeId() + " does not lead " + tp
                + (hint >= 0 ? "; broker " + hint + " does." : "; retry."));
        }
        if (preferred == controller.nodeId()) {
            return reply(Errors.ELECTION_NOT_NEEDED, "Broker " + preferred + " already leads " + tp + ".");
        }
        BrokerInfo target = controller.image().brokers().get(preferred);
        PeerId peer = target == null || target.rpcAddress() == null ? null : PeerId.parsePeer(target.rpcAddress());
        if (peer == null || !rp.group().peers().contains(peer)) {
            return reply(Errors.PREFERRED_LEADER_NOT_AVAILABLE, "Broker " + preferred + " is not (yet) a member of the"
                + " Raft group of " + tp + " (a replica move may still be adding it).");
        }
        try {
            rp.group().transferLeadershipTo(peer);
        } catch (RaftOperationException e) {
            return reply(Errors.PREFERRED_LEADER_NOT_AVAILABLE, "The leader of " + tp + " could not start the transfer to"
                + " broker " + preferred + ": " + e.getMessage());
        }
        log.info("{}: transferring leadership to broker {} on request", tp, preferred);
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(transferTimeoutMs);
        Runnable[] poll = new Runnable[1];
        poll[0] = () -> {
            if (!rp.isLeader() && rp.leaderId() == preferred) {
                answer.complete(encode(Errors.NONE, null));
            } else if (System.nanoTime() > deadline) {
                answer.complete(encode(Errors.PREFERRED_LEADER_NOT_AVAILABLE, "The transfer of " + tp + " to broker "
                    + preferred + " did not finish within " + transferTimeoutMs + " ms; broker " + rp.leaderId()
                    + " leads."));
            } else {
                scheduler.schedule(poll[0], POLL_MS, TimeUnit.MILLISECONDS);
            }
        };
        scheduler.schedule(poll[0], POLL_MS, TimeUnit.MILLISECONDS);
        return answer;
    }

    private static CompletableFuture<Outcome> done(Errors error, String message) {
        return CompletableFuture.completedFuture(new Outcome(error, message));
    }

    private static CompletableFuture<byte[]> reply(Errors error, String message) {
        return reply(error, -1, message);
    }

    private static CompletableFuture<byte[]> reply(Errors error, int leaderHint, String message) {
        return CompletableFuture.completedFuture(encode(error, leaderHint, message));
    }

    /** A transfer request's answer: the outcome and, from a broker that does not lead, the leader it knows. */
    private record Reply(Outcome outcome, int leaderHint) {}

    private static byte[] encode(Errors error, String message) {
        return encode(error, -1, message);
    }

    private static byte[] encode(Errors error, int leaderHint, String message) {
        return (error.code() + "\n" + leaderHint + "\n" + (message == null ? "" : message)).getBytes(StandardCharsets.UTF_8);
    }

    private static Reply decode(byte[] bytes) {
        String[] parts = new String(bytes, StandardCharsets.UTF_8).split("\n", 3);
        Errors error = Errors.forCode(Short.parseShort(parts[0]));
        int hint = Integer.parseInt(parts[1]);
        String message = parts[2];
        return new Reply(error == Errors.NONE ? Outcome.DONE : new Outcome(error, message.isEmpty() ? null : message), hint);
    }
}
