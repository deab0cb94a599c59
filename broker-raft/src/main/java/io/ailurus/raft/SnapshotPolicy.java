package io.ailurus.raft;

/**
 * Whether and how often a group's state machine is snapshotted. Partitions use {@link #NONE}:
 * their state is the log itself, and a jraft snapshot would let jraft truncate the log's prefix
 * (Kafka data). The controller snapshots its in-memory model so restarts replay only the tail.
 *
 * @param intervalSecs seconds between automatic snapshots; 0 means none are taken (no snapshot
 *                     storage at all)
 * @param logIndexMargin entries applied since the last snapshot below which a timed snapshot is
 *                     skipped (jraft's {@code snapshotLogIndexMargin})
 */
public record SnapshotPolicy(int intervalSecs, int logIndexMargin) {

    /** No snapshot storage: the group's log is never prefix-truncated by jraft. */
    public static final SnapshotPolicy NONE = new SnapshotPolicy(0, 0);

    /** Validates the fields. */
    public SnapshotPolicy {
        if (intervalSecs < 0) {
            throw new IllegalArgumentException("snapshot intervalSecs must not be negative, was " + intervalSecs);
        }
        if (logIndexMargin < 0) {
            throw new IllegalArgumentException("snapshot logIndexMargin must not be negative, was " + logIndexMargin);
        }
    }

    /** Snapshots every {@code intervalSecs} seconds (when anything was applied since the last one). */
    public static SnapshotPolicy every(int intervalSecs) {
        if (intervalSecs <= 0) {
            throw new IllegalArgumentException("snapshot interval must be positive, was " + intervalSecs);
        }
        return new SnapshotPolicy(intervalSecs, 0);
    }

    /** Whether the group has snapshot storage. */
    public boolean enabled() {
        return intervalSecs > 0;
    }
}
