package io.ailurus.core.cluster;

import com.alipay.sofa.jraft.entity.PeerId;
import io.ailurus.core.controller.MetadataController;
import io.ailurus.core.metadata.BrokerInfo;
import io.ailurus.core.metadata.MetadataCommand;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.PartitionReassignment;
import io.ailurus.core.partition.Partition;
import io.ailurus.core.partition.PartitionManager;
import io.ailurus.core.partition.ReplicatedPartition;
import io.ailurus.raft.RaftGroup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the replica moves the controller records, on every broker, every {@link #ROUND_MS}
 * on the controller's scheduler:
 *
 * <ul>
 *   <li>for each partition this broker leads that has a move in progress, it changes the Raft
 *       group's members to the target (jraft catches new members up from the log, then commits
 *       the joint and the new configuration), and once the members are the target, it proposes
 *       {@code CompleteReassignment}; the controller then makes the target the assignment and the
 *       brokers left out delete their copies. A leader that is itself removed steps down when the
 *       change commits, and the next leader, seeing the target membership, completes the move;</li>
 *   <li>on the controller leader, for each decommissioned broker, it starts moves of the replicas
 *       still on it ({@link DecommissionPlanner}), at most {@link #MAX_MOVES} moves in progress
 *       cluster-wide, so draining a broker does not start every catch-up at once.</li>
 * </ul>
 *
 * A failed step (a new member that did not catch up within an election timeout, a busy group, a
 * lost proposal) is simply tried again next round: each round starts from the facts (the image and
 * the group's membership), not from remembered progress.
 */
public final class ReassignmentDriver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReassignmentDriver.class);
    static final long ROUND_MS = 250;
    static final int MAX_MOVES = 16;

    private final MetadataController controller;
    private final PartitionManager partitions;
    /** Partitions whose membership change this broker started and jraft has not finished. */
    private final Set<TopicPartition> changing = ConcurrentHashMap.newKeySet();
    /** Partitions whose completion this broker proposed and the controller has not applied. */
    private final Set<TopicPartition> completing = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean drainInFlight = new AtomicBoolean();
    private ScheduledFuture<?> task;

    private ReassignmentDriver(MetadataController controller, PartitionManager partitions) {
        this.controller = controller;
        this.partitions = partitions;
    }

    /** Starts the rounds on the controller's scheduler. */
    public static ReassignmentDriver start(MetadataController controller, PartitionManager partitions) {
        ReassignmentDriver driver = new ReassignmentDriver(controller, partitions);
        driver.task = controller.scheduler().scheduleWithFixedDelay(() -> {
            try {
                driver.runOnce();
            } catch (RuntimeException e) {
                log.warn("replica move round failed (retried next round): {}", e.toString());
            }
        }, ROUND_MS, ROUND_MS, TimeUnit.MILLISECONDS);
        return driver;
    }

    void runOnce() {
        MetadataImage image = controller.image();
        if (!image.reassignments().isEmpty()) {
            for (Partition p : partitions.all()) {
                if (p instanceof ReplicatedPartition rp) {
                    PartitionReassignment move = image.reassignment(rp.topicPartition().topic(), rp.topicPartition().partition());
                    if (move != null) {
                        drive(rp, move, image);
                    }
                }
            }
        }
        if (!image.decommissionedBrokers().isEmpty() && controller.isLeader()) {
            drainDecommissioned(image);
        }
    }

    /** One step of one partition's move, on its leader. */
    private void drive(ReplicatedPartition rp, PartitionReassignment move, MetadataImage image) {
        TopicPartition tp = rp.topicPartition();
        RaftGroup group = rp.group();
        // A leader whose term has started (and no change of ours in flight) knows the committed members.
        if (group == null || !rp.isLeader() || rp.stateMachine().leaderTerm() < 0 || changing.contains(tp)) {
            return;
        }
        List<PeerId> target = peersOf(move.target(), image);
        if (target == null) {
            return; // a target broker has not registered its RPC address yet
        }
        if (new HashSet<>(group.peers()).equals(new HashSet<>(target))) {
            complete(tp, move.target());
            return;
        }
        changing.add(tp);
        log.info("{}: changing its Raft group's members from {} to {} (replicas {})", tp, group.peers(), target, move.target());
        group.changePeers(target).whenComplete((v, err) -> {
            changing.remove(tp);
            if (err != null) {
                log.info("{}: membership change to {} not done yet ({}); retrying", tp, move.target(), err.getMessage());
            } else {
                log.info("{}: its Raft group's members are now {}", tp, move.target());
                complete(tp, move.target());
            }
        });
    }

    private void complete(TopicPartition tp, List<Integer> target) {
        if (!completing.add(tp)) {
            return;
        }
        controller.submit(new MetadataCommand.CompleteReassignment(tp.topic(), tp.partition(), target))
            .whenComplete((r, err) -> {
                completing.remove(tp);
                if (err != null) {
                    log.debug("{}: completing the move failed (retried next round): {}", tp, err.toString());
                } else if (r.isOk()) {
                    log.info("{}: replica move done; replicas {}", tp, target);
                }
            });
    }

    /** The Raft peers of brokers {@code ids}, or null while one has no registered RPC address. */
    static List<PeerId> peersOf(List<Integer> ids, MetadataImage image) {
        List<PeerId> peers = new ArrayList<>(ids.size());
        for (int id : ids) {
            BrokerInfo b = image.brokers().get(id);
            PeerId peer = b == null || b.rpcAddress() == null ? null : PeerId.parsePeer(b.rpcAddress());
            if (peer == null) {
                return null;
            }
            peers.add(peer);
        }
        return peers;
    }

    private void drainDecommissioned(MetadataImage image) {
        int inProgress = image.reassignments().values().stream().mapToInt(m -> m.size()).sum();
        int budget = MAX_MOVES - inProgress;
        if (budget <= 0 || !drainInFlight.compareAndSet(false, true)) {
            return;
        }
        List<java.util.concurrent.CompletableFuture<?>> submitted = new ArrayList<>();
        for (int broker : image.decommissionedBrokers().stream().sorted().toList()) {
            DecommissionPlanner.Plan plan = DecommissionPlanner.plan(image, broker, budget);
            for (MetadataCommand.ReassignPartition move : plan.moves()) {
                log.info("decommissioning broker {}: moving {}-{} to {}", broker, move.topic(), move.partition(), move.target());
                submitted.add(controller.submit(move));
            }
            budget -= plan.moves().size();
            if (budget <= 0) {
                break;
            }
        }
        java.util.concurrent.CompletableFuture.allOf(submitted.toArray(java.util.concurrent.CompletableFuture[]::new))
            .whenComplete((v, e) -> drainInFlight.set(false));
    }

    @Override
    public void close() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
