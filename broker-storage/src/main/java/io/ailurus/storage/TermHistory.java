package io.ailurus.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The first Raft index and first Kafka offset of every term in the log (Kafka's leader-epoch cache), persisted as the
 * {@code leader-epoch-checkpoint} file. Answers {@code termAt(index)} without I/O and Kafka's OffsetForLeaderEpoch.
 * One writer; readers use the immutable snapshot.
 */
final class TermHistory {
    record Start(long term, long index, long offset) {
    }

    static final String FILE = "leader-epoch-checkpoint";
    private static final Start[] EMPTY = new Start[0];

    private volatile Start[] starts = EMPTY;
    private volatile boolean dirty;

    Start[] snapshot() {
        return starts;
    }

    long lastTerm() {
        Start[] s = starts;
        return s.length == 0 ? 0 : s[s.length - 1].term;
    }

    /** Records that {@code term} begins at {@code index}/{@code offset} if it is newer than the last known term. */
    void observe(long term, long index, long offset) {
        Start[] s = starts;
        if (s.length == 0 || term > s[s.length - 1].term) {
            Start[] n = Arrays.copyOf(s, s.length + 1);
            n[s.length] = new Start(term, index, offset);
            starts = n;
            dirty = true;
        }
    }

    /** The term of the entry at {@code index}, or 0 when no known term starts at or before it. */
    long termAt(long index) {
        Start[] s = starts;
        for (int i = s.length - 1; i >= 0; i--) {
            if (s[i].index <= index) {
                return s[i].term;
            }
        }
        return 0;
    }

    /** True when some known term starts at or before {@code index}. */
    boolean covers(long index) {
        Start[] s = starts;
        return s.length > 0 && s[0].index <= index;
    }

    /**
     * Kafka's end offset for a term: the start offset of the first larger term, {@code logEndOffset} if the term is
     * the latest, -1 when the term is older than anything known.
     */
    long endOffsetFor(long term, long logEndOffset) {
        Start[] s = starts;
        if (s.length == 0 || term < s[0].term) {
            return -1;
        }
        for (Start start : s) {
            if (start.term > term) {
                return start.offset;
            }
        }
        return logEndOffset;
    }

    /** Forgets terms starting after {@code lastIndexKept}. */
    void truncateAfter(long lastIndexKept) {
        Start[] s = starts;
        int n = s.length;
        while (n > 0 && s[n - 1].index > lastIndexKept) {
            n--;
        }
        if (n != s.length) {
            starts = Arrays.copyOf(s, n);
            dirty = true;
        }
    }

    void clear() {
        starts = EMPTY;
        dirty = true;
    }

    boolean dirty() {
        return dirty;
    }

    /** Writes the checkpoint durably (temp file, fsync, rename, directory fsync) if it changed. */
    void checkpointIfDirty(Path dir) throws IOException {
        if (!dirty) {
            return;
        }
        dirty = false;
        StringBuilder sb = new StringBuilder("1\n");
        Start[] s = starts;
        sb.append(s.length).append('\n');
        for (Start start : s) {
            sb.append(start.term).append(' ').append(start.index).append(' ').append(start.offset).append('\n');
        }
        Checkpoints.writeAtomically(dir, FILE, sb.toString());
    }

    /** Loads the checkpoint; a missing or unreadable file gives an empty history (recovery refills what it scans). */
    static TermHistory load(Path dir) {
        TermHistory h = new TermHistory();
        try {
            List<String> lines = Files.readAllLines(dir.resolve(FILE), StandardCharsets.US_ASCII);
            int n = Integer.parseInt(lines.get(1).trim());
            List<Start> list = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String[] f = lines.get(2 + i).trim().split(" ");
                Start st = new Start(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
                if (!list.isEmpty() && (st.term <= list.getLast().term || st.index < list.getLast().index)) {
                    throw new IllegalArgumentException("not monotonic");
                }
                list.add(st);
            }
            h.starts = list.toArray(EMPTY);
        } catch (NoSuchFileException e) {
            // A new log.
        } catch (IOException | RuntimeException e) {
            Checkpoints.log.warn("ignoring unreadable {} in {}: {}", FILE, dir, e.toString());
        }
        return h;
    }
}
