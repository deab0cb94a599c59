package io.ailurus.core.group;

import io.ailurus.core.metadata.CommandResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The replicated part of consumer groups: committed offsets and persisted group metadata, a
 * sub-model of the controller's state machine. Mutators run on the controller's apply thread in
 * log order; readers (OffsetFetch, the coordinator) may read from any thread at any time: the maps
 * are concurrent, and each entry is an immutable value replaced whole.
 */
public final class GroupStore {
    private final Map<String, PersistedGroup> groups = new ConcurrentHashMap<>();
    private final Map<String, Map<TopicPartition, CommittedOffset>> offsets = new ConcurrentHashMap<>();
    /**
     * Transactional offsets (TxnOffsetCommit) waiting for their transaction's outcome: group ->
     * producer id -> partition. OffsetFetch does not return them; a commit copies them into
     * {@link #offsets}, an abort drops them.
     */
    private final Map<String, Map<Long, Map<TopicPartition, CommittedOffset>>> pending = new ConcurrentHashMap<>();

    public Optional<PersistedGroup> group(String groupId) {
        return Optional.ofNullable(groups.get(groupId));
    }

    public Map<String, PersistedGroup> groups() {
        return Collections.unmodifiableMap(groups);
    }

    /** The group's committed offsets (a live, read-only view); empty when it has none. */
    public Map<TopicPartition, CommittedOffset> offsets(String groupId) {
        Map<TopicPartition, CommittedOffset> m = offsets.get(groupId);
        return m == null ? Map.of() : Collections.unmodifiableMap(m);
    }

    public CommittedOffset offset(String groupId, TopicPartition tp) {
        Map<TopicPartition, CommittedOffset> m = offsets.get(groupId);
        return m == null ? null : m.get(tp);
    }

    /** Every group id known to the store: with persisted metadata, with offsets, or both. */
    public Set<String> groupIds() {
        Set<String> ids = new HashSet<>(groups.keySet());
        ids.addAll(offsets.keySet());
        return ids;
    }

    /**
     * Whether some open transaction holds an offset for {@code tp} in {@code groupId}: OffsetFetch
     * with requireStable answers UNSTABLE_OFFSET_COMMIT for it.
     */
    public boolean hasPendingOffset(String groupId, TopicPartition tp) {
        Map<Long, Map<TopicPartition, CommittedOffset>> byProducer = pending.get(groupId);
        if (byProducer == null) {
            return false;
        }
        for (Map<TopicPartition, CommittedOffset> m : byProducer.values()) {
            if (m.containsKey(tp)) {
                return true;
            }
        }
        return false;
    }

    /** The offsets producer {@code producerId}'s open transaction holds for {@code groupId} (read-only). */
    public Map<TopicPartition, CommittedOffset> pendingOffsets(String groupId, long producerId) {
        Map<Long, Map<TopicPartition, CommittedOffset>> byProducer = pending.get(groupId);
        Map<TopicPartition, CommittedOffset> m = byProducer == null ? null : byProducer.get(producerId);
        return m == null ? Map.of() : Collections.unmodifiableMap(m);
    }

    /** Number of committed offsets over all groups (for logs and benchmarks). */
    public long offsetCount() {
        long n = 0;
        for (var m : offsets.values()) {
            n += m.size();
        }
        return n;
    }

    // --- mutators: controller apply thread only ---------------------------------------------------

    public CommandResult commitOffsets(String groupId, List<OffsetEntry> entries, long timestamp) {
        if (groupId == null || groupId.isEmpty()) {
            return CommandResult.error(CommandResult.Error.INVALID_REQUEST, "offsets need a group id");
        }
        Map<TopicPartition, CommittedOffset> m = offsets.computeIfAbsent(groupId, g -> new ConcurrentHashMap<>());
        for (OffsetEntry e : entries) {
            m.put(new TopicPartition(e.topic(), e.partition()),
                new CommittedOffset(e.offset(), e.leaderEpoch(), e.metadata(), timestamp));
        }
        return CommandResult.ok();
    }

    /** Holds a transaction's offsets until it ends (see {@link #completePendingOffsets}). */
    public void addPendingOffsets(String groupId, long producerId, List<OffsetEntry> entries, long timestamp) {
        Map<TopicPartition, CommittedOffset> m = pending.computeIfAbsent(groupId, g -> new ConcurrentHashMap<>())
            .computeIfAbsent(producerId, p -> new ConcurrentHashMap<>());
        for (OffsetEntry e : entries) {
            m.put(new TopicPartition(e.topic(), e.partition()),
                new CommittedOffset(e.offset(), e.leaderEpoch(), e.metadata(), timestamp));
        }
    }

    /** The producer's transaction ended: its offsets for the group become committed, or are dropped. */
    public void completePendingOffsets(String groupId, long producerId, boolean commit) {
        Map<Long, Map<TopicPartition, CommittedOffset>> byProducer = pending.get(groupId);
        Map<TopicPartition, CommittedOffset> m = byProducer == null ? null : byProducer.remove(producerId);
        if (byProducer != null && byProducer.isEmpty()) {
            pending.remove(groupId);
        }
        if (commit && m != null && !m.isEmpty()) {
            offsets.computeIfAbsent(groupId, g -> new ConcurrentHashMap<>()).putAll(m);
        }
    }

    public CommandResult deleteOffsets(String groupId, List<PartitionRef> partitions) {
        Map<TopicPartition, CommittedOffset> m = offsets.get(groupId);
        if (m != null) {
            for (PartitionRef p : partitions) {
                m.remove(new TopicPartition(p.topic(), p.partition()));
            }
            if (m.isEmpty()) {
                offsets.remove(groupId);
            }
        }
        return CommandResult.ok();
    }

    public CommandResult putGroup(PersistedGroup group) {
        groups.put(group.groupId(), group);
        return CommandResult.ok();
    }

    /** Removes the groups' metadata and offsets (DeleteGroups, or expiry of an empty group). */
    public CommandResult deleteGroups(List<String> groupIds) {
        for (String g : groupIds) {
            groups.remove(g);
            offsets.remove(g);
            pending.remove(g);
        }
        return CommandResult.ok();
    }

    /** A deleted topic takes its committed offsets with it, in every group. */
    public void removeTopic(String topic) {
        for (var it = offsets.entrySet().iterator(); it.hasNext(); ) {
            Map<TopicPartition, CommittedOffset> m = it.next().getValue();
            m.keySet().removeIf(tp -> tp.topic().equals(topic));
            if (m.isEmpty()) {
                it.remove();
            }
        }
        for (var byProducer : pending.values()) {
            byProducer.values().forEach(m -> m.keySet().removeIf(tp -> tp.topic().equals(topic)));
        }
    }

    // --- snapshots ------------------------------------------------------------------------------------

    /** One committed offset in a snapshot: short field names keep a snapshot of many offsets small. */
    public record OffsetRow(String t, int p, long o, int e, String m, long ts) {}

    /**
     * The whole store in the JSON form the controller snapshot embeds; {@code pending} (group ->
     * producer id -> rows) is null in snapshots written before transactions.
     */
    public record Snapshot(List<PersistedGroup> groups, Map<String, List<OffsetRow>> offsets,
                           Map<String, Map<Long, List<OffsetRow>>> pending) {}

    public Snapshot snapshot() {
        Map<String, List<OffsetRow>> rows = new HashMap<>();
        offsets.forEach((g, m) -> {
            List<OffsetRow> list = new ArrayList<>(m.size());
            m.forEach((tp, o) -> list.add(new OffsetRow(tp.topic(), tp.partition(), o.offset(), o.leaderEpoch(),
                o.metadata(), o.commitTimestamp())));
            rows.put(g, list);
        });
        Map<String, Map<Long, List<OffsetRow>>> pendingRows = new HashMap<>();
        pending.forEach((g, byProducer) -> byProducer.forEach((pid, m) -> pendingRows
            .computeIfAbsent(g, x -> new HashMap<>()).put(pid, toRows(m))));
        return new Snapshot(new ArrayList<>(groups.values()), rows, pendingRows);
    }

    private static List<OffsetRow> toRows(Map<TopicPartition, CommittedOffset> m) {
        List<OffsetRow> list = new ArrayList<>(m.size());
        m.forEach((tp, o) -> list.add(new OffsetRow(tp.topic(), tp.partition(), o.offset(), o.leaderEpoch(),
            o.metadata(), o.commitTimestamp())));
        return list;
    }

    private static Map<TopicPartition, CommittedOffset> fromRows(List<OffsetRow> list) {
        Map<TopicPartition, CommittedOffset> m = new ConcurrentHashMap<>();
        for (OffsetRow r : list) {
            m.put(new TopicPartition(r.t(), r.p()), new CommittedOffset(r.o(), r.e(), r.m(), r.ts()));
        }
        return m;
    }

    public void restore(Snapshot s) {
        groups.clear();
        offsets.clear();
        pending.clear();
        if (s == null) {
            return;
        }
        if (s.pending() != null) {
            s.pending().forEach((g, byProducer) -> byProducer.forEach((pid, rows) -> pending
                .computeIfAbsent(g, x -> new ConcurrentHashMap<>()).put(pid, fromRows(rows))));
        }
        if (s.groups() != null) {
            s.groups().forEach(g -> groups.put(g.groupId(), g));
        }
        if (s.offsets() != null) {
            s.offsets().forEach((g, list) -> {
                Map<TopicPartition, CommittedOffset> m = new ConcurrentHashMap<>();
                for (OffsetRow r : list) {
                    m.put(new TopicPartition(r.t(), r.p()), new CommittedOffset(r.o(), r.e(), r.m(), r.ts()));
                }
                offsets.put(g, m);
            });
        }
    }
}
