package io.ailurus.core.group;

import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.metadata.MetadataCommand;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.topic.TopicConfigs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group coordinator of this broker: the entry point the group handlers call. Runtime state
 * (members, timers, pending joins) lives here in memory, on one dedicated thread; what Kafka
 * persists (stable generations, offsets) goes through the controller Raft group's
 * {@link GroupStore}. On a single node this broker coordinates every group.
 */
public final class GroupCoordinator implements GroupLoader, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCoordinator.class);

    private final ScheduledExecutorService thread;
    private final GroupRuntime rt;
    private final ClassicGroupCoordinator classic;
    private final ConsumerGroupCoordinator consumer;
    private final OffsetCoordinator offsets;
    private ScheduledFuture<?> retention;

    private GroupCoordinator(ClusterView cluster, GroupStore store, TopicConfigs configs) {
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ailurus-group-coordinator");
            t.setDaemon(true);
            return t;
        });
        this.rt = new GroupRuntime(thread, cluster, store, configs);
        this.classic = new ClassicGroupCoordinator(rt);
        this.consumer = new ConsumerGroupCoordinator(rt, this);
        this.offsets = new OffsetCoordinator(rt, this);
    }

    /**
     * Starts the coordinator: persisted groups are loaded (stable classic generations resume, their
     * members get a full session to heartbeat again) and offset expiry is scheduled.
     */
    public static GroupCoordinator start(ClusterView cluster, GroupStore store, TopicConfigs configs) {
        GroupCoordinator c = new GroupCoordinator(cluster, store, configs);
        c.rt.call(() -> {
            int n = 0;
            for (PersistedGroup p : store.groups().values()) {
                c.load(p.groupId());
                n++;
            }
            log.info("group coordinator loaded {} groups and {} committed offsets", n, store.offsetCount());
            return CompletableFuture.completedFuture(null);
        }).join();
        long check = Math.max(1000, c.rt.settings().offsetRetentionCheckMs());
        c.retention = c.thread.scheduleWithFixedDelay(c::expireOffsetsSafely, check, check, TimeUnit.MILLISECONDS);
        return c;
    }

    private void expireOffsetsSafely() {
        try {
            offsets.expireOffsets();
        } catch (RuntimeException e) {
            log.warn("offset expiry failed", e);
        }
    }

    /** Runs one offset-expiry pass now (tests; the scheduled pass runs every group_offset_retention_check_ms). */
    public CompletableFuture<Void> expireOffsetsNow() {
        return rt.call(() -> {
            offsets.expireOffsets();
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public Group load(String groupId) {
        Group g = rt.groups.get(groupId);
        if (g != null) {
            return g;
        }
        PersistedGroup p = rt.store.group(groupId).orElse(null);
        if (p != null) {
            if (PersistedGroup.CONSUMER.equals(p.type())) {
                ConsumerGroup cg = new ConsumerGroup(groupId, p.stateTimestamp());
                cg.groupEpoch = p.generation();
                cg.assignmentEpoch = p.generation();
                g = cg;
            } else {
                g = classic.restore(p);
            }
        } else if (!rt.store.offsets(groupId).isEmpty()) {
            g = new ClassicGroup(groupId, rt.now());
        } else {
            return null;
        }
        rt.groups.put(groupId, g);
        return g;
    }

    // --- classic protocol --------------------------------------------------------------------------------

    public CompletableFuture<JoinGroupResponseData> joinGroup(JoinGroupRequestData req, short version, String clientId,
                                                              String clientHost) {
        return rt.call(() -> {
            load(req.groupId());
            return classic.join(req, version, clientId, clientHost);
        });
    }

    public CompletableFuture<SyncGroupResponseData> syncGroup(SyncGroupRequestData req) {
        return rt.call(() -> {
            load(req.groupId());
            return classic.sync(req);
        });
    }

    public CompletableFuture<HeartbeatResponseData> heartbeat(HeartbeatRequestData req) {
        return rt.call(() -> {
            load(req.groupId());
            return classic.heartbeat(req);
        });
    }

    public CompletableFuture<LeaveGroupResponseData> leaveGroup(LeaveGroupRequestData req, short version) {
        return rt.call(() -> {
            load(req.groupId());
            return classic.leave(req, version);
        });
    }

    // --- consumer protocol (KIP-848) ------------------------------------------------------------------------

    public CompletableFuture<ConsumerGroupHeartbeatResponseData> consumerGroupHeartbeat(ConsumerGroupHeartbeatRequestData req,
                                                                                      String clientId, String clientHost) {
        return rt.call(() -> consumer.heartbeat(req, clientId, clientHost));
    }

    public CompletableFuture<List<ConsumerGroupDescribeResponseData.DescribedGroup>> describeConsumerGroups(List<String> groupIds) {
        return rt.call(() -> {
            MetadataImage image = rt.cluster.image();
            List<ConsumerGroupDescribeResponseData.DescribedGroup> out = new ArrayList<>();
            for (String id : groupIds) {
                out.add(GroupDescriptions.consumer(id, load(id), image));
            }
            return CompletableFuture.completedFuture(out);
        });
    }

    // --- offsets -----------------------------------------------------------------------------------------------

    public CompletableFuture<OffsetCommitResponseData> commitOffsets(OffsetCommitRequestData req, short version) {
        return rt.call(() -> offsets.commit(req, version));
    }

    /** Offsets of several groups (OffsetFetch v8+ batches them); {@code memberChecks} validates KIP-848 member epochs. */
    public CompletableFuture<List<GroupOffsets>> fetchOffsets(List<GroupOffsetsQuery> groups,
                                                                              boolean memberChecks) {
        return rt.call(() -> {
            List<GroupOffsets> out = new ArrayList<>();
            for (var g : groups) {
                out.add(offsets.fetch(g, memberChecks));
            }
            return CompletableFuture.completedFuture(out);
        });
    }

    public CompletableFuture<OffsetDeleteResponseData> deleteOffsets(OffsetDeleteRequestData req) {
        return rt.call(() -> offsets.delete(req));
    }

    // --- administration ------------------------------------------------------------------------------------------

    /** Every group, optionally filtered by state and type names (case-insensitive, empty means all). */
    public CompletableFuture<List<ListGroupsResponseData.ListedGroup>> listGroups(Set<String> states, Set<String> types) {
        return rt.call(() -> {
            Set<String> ids = new TreeSet<>(rt.groups.keySet());
            ids.addAll(rt.store.groupIds());
            List<ListGroupsResponseData.ListedGroup> out = new ArrayList<>();
            for (String id : ids) {
                Group g = load(id);
                if (g == null || (!states.isEmpty() && !containsIgnoreCase(states, g.stateName()))
                    || (!types.isEmpty() && !containsIgnoreCase(types, g.type()))) {
                    continue;
                }
                out.add(new ListGroupsResponseData.ListedGroup().setGroupId(id).setProtocolType(g.protocolType())
                    .setGroupState(g.stateName()).setGroupType(g.type()));
            }
            return CompletableFuture.completedFuture(out);
        });
    }

    private static boolean containsIgnoreCase(Set<String> set, String value) {
        return set.stream().anyMatch(s -> s.equalsIgnoreCase(value));
    }

    public CompletableFuture<List<DescribeGroupsResponseData.DescribedGroup>> describeGroups(List<String> groupIds, short version) {
        return rt.call(() -> {
            List<DescribeGroupsResponseData.DescribedGroup> out = new ArrayList<>();
            for (String id : groupIds) {
                out.add(GroupDescriptions.classic(id, load(id), version));
            }
            return CompletableFuture.completedFuture(out);
        });
    }

    /** Deletes empty groups with their offsets: GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP or NONE per group. */
    public CompletableFuture<Map<String, Errors>> deleteGroups(List<String> groupIds) {
        return rt.call(() -> {
            Map<String, Errors> result = new java.util.LinkedHashMap<>();
            List<String> deleting = new ArrayList<>();
            for (String id : groupIds) {
                Group g = load(id);
                if (g == null) {
                    result.put(id, Errors.GROUP_ID_NOT_FOUND);
                } else if (g.hasMembers()) {
                    result.put(id, Errors.NON_EMPTY_GROUP);
                } else {
                    result.put(id, Errors.NONE);
                    deleting.add(id);
                }
            }
            if (deleting.isEmpty()) {
                return CompletableFuture.completedFuture(result);
            }
            return rt.persist(new MetadataCommand.DeleteGroups(deleting)).handle((r, e) -> {
                for (String id : deleting) {
                    if (e != null || !r.isOk()) {
                        result.put(id, Errors.COORDINATOR_NOT_AVAILABLE);
                        continue;
                    }
                    Group g = rt.groups.get(id);
                    if (g != null && !g.hasMembers()) {
                        if (g instanceof ClassicGroup cg) {
                            classic.cancelTimers(cg);
                        }
                        rt.groups.remove(id);
                    }
                }
                return result;
            });
        });
    }

    /** The generation of a classic group, or the group epoch of a consumer group; -1 if unknown (tests, tools). */
    public CompletableFuture<Integer> generationOf(String groupId) {
        return rt.call(() -> {
            Group g = load(groupId);
            int gen = g instanceof ClassicGroup c ? c.generationId : g instanceof ConsumerGroup cg ? cg.groupEpoch : -1;
            return CompletableFuture.completedFuture(gen);
        });
    }

    /** Completed join phases of a classic group since this coordinator loaded it (tests, tools). */
    public CompletableFuture<Integer> rebalancesOf(String groupId) {
        return rt.call(() -> CompletableFuture.completedFuture(
            rt.groups.get(groupId) instanceof ClassicGroup c ? c.rebalancesCompleted : 0));
    }

    @Override
    public void close() {
        if (retention != null) {
            retention.cancel(false);
        }
        try {
            rt.call(() -> {
                for (Group g : rt.groups.values()) {
                    if (g instanceof ClassicGroup cg) {
                        classic.cancelTimers(cg);
                    } else if (g instanceof ConsumerGroup cg) {
                        cg.members.values().forEach(consumer::cancelTimers);
                    }
                }
                return CompletableFuture.completedFuture(null);
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("stopping group timers failed: {}", e.toString());
        }
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
