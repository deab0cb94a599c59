package io.ailurus.core.cluster;

import com.alipay.sofa.jraft.entity.PeerId;
import io.ailurus.core.controller.MetadataController;
import io.ailurus.core.metadata.BrokerInfo;
import io.ailurus.core.metadata.MetadataCommand;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.PartitionLeader;
import io.ailurus.core.metadata.TopicInfo;
import io.ailurus.core.partition.Partition;
import io.ailurus.core.partition.PartitionManager;
import io.ailurus.core.partition.ReplicatedPartition;
import io.ailurus.raft.rpc.InternalRpc;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This broker's part in keeping the cluster's picture true, on the controller's scheduler thread:
 *
 * <ul>
 *   <li><b>heartbeats</b>: every {@link #HEARTBEAT_MS} to the controller leader (kind
 *       {@value #HEARTBEAT}); on the leader, a {@link LivenessDetector} turns silence longer than
 *       {@link #OFFLINE_AFTER_MS} into {@code SetBrokerLiveness(false)} and a returning heartbeat
 *       into {@code (true)}, so every broker's Metadata shows the same offline replicas;</li>
 *   <li><b>leadership reports</b>: every {@link #REPORT_MS} it compares the replicated partitions
 *       it leads with the leaders in the image and reports the difference ({@code ReportLeaders}),
 *       so any broker's Metadata names the right leader and epoch, including for partitions it
 *       does not host;</li>
 *   <li><b>leadership balance</b>: every {@link #BALANCE_MS}, if it leads a partition whose
 *       preferred replica (the first) is alive and has been for a whole round, it hands one such
 *       partition back (jraft leadership transfer): one per round, so a returning broker gets its
 *       leaderships back gradually rather than in a storm of elections. The cluster property
 *       {@code enable_leader_balancer} turns it off.</li>
 * </ul>
 */
public final class ClusterAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterAgent.class);
    static final String HEARTBEAT = "controller.heartbeat";
    static final long HEARTBEAT_MS = 1000;
    static final long OFFLINE_AFTER_MS = Long.getLong("ailurus.broker.offline.after.ms", 6000);
    static final long REPORT_MS = 250;
    static final long BALANCE_MS = Long.getLong("ailurus.leader.balance.interval.ms", 5000);

    private final int nodeId;
    private final MetadataController controller;
    private final PartitionManager partitions;
    private final InternalRpc rpc;
    /** The cluster property {@code enable_leader_balancer}, read each round (it changes at run time). */
    private final java.util.function.BooleanSupplier balancerEnabled;
    private final LivenessDetector liveness = new LivenessDetector(OFFLINE_AFTER_MS);
    private final AtomicBoolean reportInFlight = new AtomicBoolean();
    private final AtomicBoolean livenessInFlight = new AtomicBoolean();
    /** Brokers seen alive at the previous balance round (a broker must be alive two rounds running). */
    private List<Integer> aliveLastRound = List.of();
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

    private ClusterAgent(int nodeId, MetadataController controller, PartitionManager partitions, InternalRpc rpc,
                         java.util.function.BooleanSupplier balancerEnabled) {
        this.nodeId = nodeId;
        this.balancerEnabled = balancerEnabled;
        this.controller = controller;
        this.partitions = partitions;
        this.rpc = rpc;
    }

    /**
     * Starts heartbeats, reports and balancing; the controller's scheduler runs them.
     *
     * @param balancerEnabled whether leadership balancing is on right now (checked every round)
     */
    public static ClusterAgent start(int nodeId, MetadataController controller, PartitionManager partitions,
                                     InternalRpc rpc, java.util.function.BooleanSupplier balancerEnabled) {
        ClusterAgent agent = new ClusterAgent(nodeId, controller, partitions, rpc, balancerEnabled);
        rpc.register(HEARTBEAT, agent::onHeartbeat);
        ScheduledExecutorService s = controller.scheduler();
        agent.tasks.add(s.scheduleWithFixedDelay(agent.guard("heartbeat", agent::heartbeat), 0, HEARTBEAT_MS, TimeUnit.MILLISECONDS));
        agent.tasks.add(s.scheduleWithFixedDelay(agent.guard("leader report", agent::reportLeaders), REPORT_MS, REPORT_MS,
            TimeUnit.MILLISECONDS));
        if (BALANCE_MS > 0) {
            agent.tasks.add(s.scheduleWithFixedDelay(agent.guard("balance", agent::balanceOnce), BALANCE_MS, BALANCE_MS,
                TimeUnit.MILLISECONDS));
        }
        return agent;
    }

    private Runnable guard(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("cluster {} failed: {}", what, e.toString());
            }
        };
    }

    // ---------------------------------------------------------------- heartbeats and liveness

    private java.util.concurrent.CompletableFuture<byte[]> onHeartbeat(byte[] payload) {
        if (!controller.isLeader()) {
            return java.util.concurrent.CompletableFuture.completedFuture("not_leader".getBytes(StandardCharsets.US_ASCII));
        }
        liveness.heard(ByteBuffer.wrap(payload).getInt(), System.currentTimeMillis());
        return java.util.concurrent.CompletableFuture.completedFuture("ok".getBytes(StandardCharsets.US_ASCII));
    }

    private void heartbeat() {
        long now = System.currentTimeMillis();
        if (controller.isLeader()) {
            if (!liveness.leading()) {
                liveness.becameLeader(now);
            }
            liveness.heard(nodeId, now);
            proposeLivenessChanges(now);
            return;
        }
        if (liveness.leading()) {
            liveness.lostLeadership();
        }
        var leader = controller.leaderEndpoint();
        if (leader != null) {
            rpc.call(leader, HEARTBEAT, ByteBuffer.allocate(4).putInt(0, nodeId).array(), HEARTBEAT_MS * 2)
                .exceptionally(e -> null); // a missed beat is what the detector is for
        }
    }

    private void proposeLivenessChanges(long now) {
        List<MetadataCommand.SetBrokerLiveness> changes = liveness.changes(controller.image(), now);
        if (changes.isEmpty() || !livenessInFlight.compareAndSet(false, true)) {
            return;
        }
        java.util.concurrent.CompletableFuture<?>[] all = changes.stream().map(c -> {
            log.info("broker {} is {}", c.nodeId(), c.alive() ? "back online" : "offline (no heartbeat for "
                + OFFLINE_AFTER_MS + " ms)");
            return controller.submit(c);
        }).toArray(java.util.concurrent.CompletableFuture[]::new);
        java.util.concurrent.CompletableFuture.allOf(all).whenComplete((v, e) -> livenessInFlight.set(false));
    }

    // ---------------------------------------------------------------- leadership reports

    private void reportLeaders() {
        MetadataImage image = controller.image();
        List<MetadataCommand.LeaderReport> stale = new ArrayList<>();
        for (Partition p : partitions.all()) {
            if (!(p instanceof ReplicatedPartition rp) || !rp.isLeader()) {
                continue;
            }
            int epoch = rp.leaderEpoch();
            PartitionLeader known = image.reportedLeader(rp.topicPartition().topic(), rp.topicPartition().partition());
            if (known == null || known.nodeId() != nodeId || known.epoch() != epoch) {
                stale.add(new MetadataCommand.LeaderReport(rp.topicPartition().topic(), rp.topicPartition().partition(), epoch));
            }
        }
        if (stale.isEmpty() || !reportInFlight.compareAndSet(false, true)) {
            return;
        }
        controller.submit(new MetadataCommand.ReportLeaders(nodeId, stale))
            .whenComplete((r, e) -> {
                reportInFlight.set(false);
                if (e != null) {
                    log.debug("leadership report failed (retried next round): {}", e.toString());
                }
            });
    }

    // ---------------------------------------------------------------- leadership balance

    /** Hands at most one partition back to its preferred replica; returns whether it asked. */
    boolean balanceOnce() {
        if (!balancerEnabled.getAsBoolean()) {
            aliveLastRound = List.of(); // a re-enabled balancer starts its stability count afresh
            return false;
        }
        MetadataImage image = controller.image();
        List<Integer> alive = image.brokers().keySet().stream().filter(image::isBrokerAlive).sorted().toList();
        List<Integer> stable = alive.stream().filter(aliveLastRound::contains).toList();
        aliveLastRound = alive;
        Map<Integer, String> rpcOf = new HashMap<>();
        for (BrokerInfo b : image.brokers().values()) {
            rpcOf.put(b.nodeId(), b.rpcAddress());
        }
        for (Partition p : partitions.all()) {
            if (!(p instanceof ReplicatedPartition rp) || !rp.isLeader()) {
                continue;
            }
            TopicInfo topic = image.topic(rp.topicPartition().topic()).orElse(null);
            if (topic == null || rp.topicPartition().partition() >= topic.partitionCount()) {
                continue;
            }
            int preferred = topic.replicas(rp.topicPartition().partition()).get(0);
            if (preferred == nodeId || !stable.contains(preferred) || rpcOf.get(preferred) == null) {
                continue;
            }
            PeerId target = PeerId.parsePeer(rpcOf.get(preferred));
            if (target != null && rp.transferLeadershipTo(target)) {
                log.info("{}: handing leadership back to its preferred replica, broker {}", rp.topicPartition(), preferred);
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        tasks.forEach(t -> t.cancel(false));
    }
}
