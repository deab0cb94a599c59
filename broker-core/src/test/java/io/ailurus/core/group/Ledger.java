package io.ailurus.core.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every member of a test group processed and committed, to check at the end that every
 * produced record was processed, and that no record was processed again after a member had
 * processed it and committed past it.
 */
final class Ledger {
    record Processing(String member, int partition, long offset) {}

    /** A processing or a successful commit, in the order the member did them. */
    private record Event(String member, boolean processed, int partition, long offset) {}

    private final List<Event> events = new ArrayList<>();

    private final List<Processing> processed = new ArrayList<>();
    /** member to partition to the highest offset it committed successfully (the next to read). */
    private final Map<String, Map<Integer, Long>> committed = new HashMap<>();
    private final Map<String, Integer> assigned = new ConcurrentHashMap<>();

    synchronized void processed(String member, int partition, long offset) {
        processed.add(new Processing(member, partition, offset));
        events.add(new Event(member, true, partition, offset));
    }

    synchronized void committed(String member, int partition, long next) {
        committed.computeIfAbsent(member, m -> new HashMap<>()).merge(partition, next, Math::max);
        events.add(new Event(member, false, partition, next));
    }

    void assigned(String member, int partitions) {
        assigned.put(member, partitions);
    }

    int assignedTo(String member) {
        return assigned.getOrDefault(member, 0);
    }

    MemberLoop.Reporter reporter(String member) {
        return new MemberLoop.Reporter() {
            @Override
            public void processed(int partition, long offset) {
                Ledger.this.processed(member, partition, offset);
            }

            @Override
            public void committed(int partition, long nextOffset) {
                Ledger.this.committed(member, partition, nextOffset);
            }

            @Override
            public void assigned(int partitions) {
                Ledger.this.assigned(member, partitions);
            }
        };
    }

    /** Parses a child member's report line ("P p o", "C p o", "A n"). */
    void line(String member, String line) {
        String[] f = line.trim().split(" ");
        try {
            switch (f[0]) {
                case "P" -> processed(member, Integer.parseInt(f[1]), Long.parseLong(f[2]));
                case "C" -> committed(member, Integer.parseInt(f[1]), Long.parseLong(f[2]));
                case "A" -> assigned(member, Integer.parseInt(f[1]));
                default -> { }
            }
        } catch (RuntimeException notAReport) {
            // client log output on stdout
        }
    }

    synchronized boolean covers(Set<Long> producedKeys) {
        Set<Long> seen = new java.util.HashSet<>();
        processed.forEach(p -> seen.add(key(p.partition(), p.offset())));
        return seen.containsAll(producedKeys);
    }

    synchronized List<Long> missing(Set<Long> producedKeys) {
        Set<Long> seen = new java.util.HashSet<>();
        processed.forEach(p -> seen.add(key(p.partition(), p.offset())));
        List<Long> out = new ArrayList<>();
        for (long k : producedKeys) {
            if (!seen.contains(k)) {
                out.add(k);
            }
        }
        return out;
    }

    /**
     * Records processed more than once by members that had committed past them: at-least-once
     * allows a record again only when its earlier processor never committed it. A processing is
     * covered by a member's commit only if the member read the partition contiguously from that
     * record up to the commit (a gap means it lost the partition in between).
     */
    synchronized List<String> processedAgainAfterCommit() {
        Map<Long, Integer> covered = new HashMap<>();
        Map<String, Map<Integer, List<Long>>> pending = new HashMap<>();
        for (Event e : events) {
            List<Long> run = pending.computeIfAbsent(e.member(), m -> new HashMap<>())
                .computeIfAbsent(e.partition(), q -> new ArrayList<>());
            if (e.processed()) {
                if (!run.isEmpty() && e.offset() != run.get(run.size() - 1) + 1) {
                    run.clear();
                }
                run.add(e.offset());
            } else {
                for (var it = run.iterator(); it.hasNext(); ) {
                    long o = it.next();
                    if (o < e.offset()) {
                        covered.merge(key(e.partition(), o), 1, Integer::sum);
                        it.remove();
                    }
                }
            }
        }
        List<String> out = new ArrayList<>();
        covered.forEach((k, n) -> {
            if (n > 1) {
                out.add("partition " + (k >> 40) + " offset " + (k & ((1L << 40) - 1)) + " processed and committed " + n + " times");
            }
        });
        return out;
    }

    synchronized int processedCount() {
        return processed.size();
    }

    static long key(int partition, long offset) {
        return ((long) partition << 40) | offset;
    }
}
