package io.ailurus.core.group;

import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.TopicInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * The server-side assignors of KIP-848 groups. {@code uniform} (the default) spreads partitions
 * evenly and keeps each member's previous partitions where balance allows, so a membership change
 * moves few partitions. {@code range} gives each member contiguous partition ranges of every topic
 * it subscribes to (co-partitioned topics line up).
 */
final class Assignors {
    static final String UNIFORM = "uniform";
    static final String RANGE = "range";

    private Assignors() {}

    static boolean known(String name) {
        return UNIFORM.equals(name) || RANGE.equals(name);
    }

    /** What the assignor sees of one member: its id, the existing topics it subscribes to, its previous target. */
    record MemberSpec(String memberId, Set<String> topics, Map<Uuid, Set<Integer>> previous) {}

    static Map<String, Map<Uuid, Set<Integer>>> assign(String assignor, List<MemberSpec> members, MetadataImage image) {
        List<MemberSpec> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparing(MemberSpec::memberId));
        return RANGE.equals(assignor) ? range(sorted, image) : uniform(sorted, image);
    }

    private static Map<String, Map<Uuid, Set<Integer>>> range(List<MemberSpec> members, MetadataImage image) {
        Map<String, Map<Uuid, Set<Integer>>> out = emptyTargets(members);
        Set<String> topics = new TreeSet<>();
        members.forEach(m -> topics.addAll(m.topics()));
        for (String topic : topics) {
            TopicInfo t = image.topics().get(topic);
            List<MemberSpec> subscribers = members.stream().filter(m -> m.topics().contains(topic)).toList();
            int n = t.partitionCount() / subscribers.size();
            int extra = t.partitionCount() % subscribers.size();
            int next = 0;
            Uuid id = Uuid.fromString(t.topicId());
            for (int i = 0; i < subscribers.size(); i++) {
                int count = n + (i < extra ? 1 : 0);
                for (int p = next; p < next + count; p++) {
                    out.get(subscribers.get(i).memberId()).computeIfAbsent(id, k -> new TreeSet<>()).add(p);
                }
                next += count;
            }
        }
        return out;
    }

    private record Slot(Uuid topicId, String topic, int partition) {}

    private static Map<String, Map<Uuid, Set<Integer>>> uniform(List<MemberSpec> members, MetadataImage image) {
        Map<String, Map<Uuid, Set<Integer>>> out = emptyTargets(members);
        Map<String, Integer> load = new HashMap<>();
        members.forEach(m -> load.put(m.memberId(), 0));
        // Every partition some member subscribes to, in a stable order.
        Map<Uuid, String> names = new TreeMap<>();
        List<Slot> all = new ArrayList<>();
        Set<String> topics = new TreeSet<>();
        members.forEach(m -> topics.addAll(m.topics()));
        for (String topic : topics) {
            TopicInfo t = image.topics().get(topic);
            Uuid id = Uuid.fromString(t.topicId());
            names.put(id, topic);
            for (int p = 0; p < t.partitionCount(); p++) {
                all.add(new Slot(id, topic, p));
            }
        }
        if (members.isEmpty()) {
            return out;
        }
        int ceil = (all.size() + members.size() - 1) / members.size();
        int floor = all.size() / members.size();
        int ceilSlots = all.size() - floor * members.size(); // how many members may hold ceil partitions
        Map<Slot, String> owner = new HashMap<>();
        // 1. Stickiness: each member keeps up to floor of its previous partitions, then one more while ceil slots last.
        for (int pass = 0; pass < 2; pass++) {
            for (MemberSpec m : members) {
                int cap = pass == 0 ? floor : (ceilSlots > 0 ? ceil : floor);
                boolean tookExtra = false;
                for (var e : m.previous().entrySet()) {
                    String topic = names.get(e.getKey());
                    if (topic == null || !m.topics().contains(topic)) {
                        continue;
                    }
                    for (int p : e.getValue()) {
                        Slot s = new Slot(e.getKey(), topic, p);
                        if (!owner.containsKey(s) && p < image.topics().get(topic).partitionCount()
                            && load.get(m.memberId()) < cap) {
                            owner.put(s, m.memberId());
                            load.merge(m.memberId(), 1, Integer::sum);
                            tookExtra |= pass == 1;
                        }
                    }
                }
                if (tookExtra) {
                    ceilSlots--;
                }
            }
        }
        // 2. Everything else goes to the least-loaded member that subscribes to its topic.
        for (Slot s : all) {
            if (owner.containsKey(s)) {
                continue;
            }
            String best = null;
            for (MemberSpec m : members) {
                if (m.topics().contains(s.topic()) && (best == null || load.get(m.memberId()) < load.get(best))) {
                    best = m.memberId();
                }
            }
            owner.put(s, best);
            load.merge(best, 1, Integer::sum);
        }
        owner.forEach((s, m) -> out.get(m).computeIfAbsent(s.topicId(), k -> new TreeSet<>()).add(s.partition()));
        return out;
    }

    private static Map<String, Map<Uuid, Set<Integer>>> emptyTargets(List<MemberSpec> members) {
        Map<String, Map<Uuid, Set<Integer>>> out = new HashMap<>();
        members.forEach(m -> out.put(m.memberId(), new HashMap<>()));
        return out;
    }
}
