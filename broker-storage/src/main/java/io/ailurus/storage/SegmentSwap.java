package io.ailurus.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * The files of a compacted segment replacing the original, crash-safely:
 * <ol>
 *   <li>the cleaner writes {@code <base>.log.cleaned} and fsyncs it (a crash now: recovery deletes it; the original
 *   is untouched);</li>
 *   <li>renames it to {@code <base>.log.swap} and fsyncs the directory — the commit point (a crash from here on:
 *   recovery finishes the swap);</li>
 *   <li>deletes the original's index files, renames {@code .swap} over {@code <base>.log} (atomic replace; readers
 *   holding the old file's channel keep reading the old bytes) and fsyncs the directory;</li>
 *   <li>writes the new index files (lost in a crash: the segment is rescanned and they are rebuilt).</li>
 * </ol>
 */
final class SegmentSwap {
    private static final Logger log = LoggerFactory.getLogger(SegmentSwap.class);
    static final String CLEANED = ".cleaned";
    static final String SWAP = ".swap";

    private SegmentSwap() {
    }

    static Path cleanedFile(Path dir, long baseIndex) {
        return dir.resolve(Segment.fileName(baseIndex, ".log") + CLEANED);
    }

    /** Steps 2 and 3: the cleaned file becomes the segment's file. */
    static void commit(Path dir, long baseIndex) throws IOException {
        Path cleaned = cleanedFile(dir, baseIndex);
        Path swap = dir.resolve(Segment.fileName(baseIndex, ".log") + SWAP);
        Files.move(cleaned, swap, StandardCopyOption.ATOMIC_MOVE);
        Checkpoints.syncDirectory(dir);
        finish(dir, baseIndex, swap);
    }

    private static void finish(Path dir, long baseIndex, Path swap) throws IOException {
        Files.deleteIfExists(dir.resolve(Segment.fileName(baseIndex, ".index")));
        Files.deleteIfExists(dir.resolve(Segment.fileName(baseIndex, ".timeindex")));
        Files.move(swap, dir.resolve(Segment.fileName(baseIndex, ".log")), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        Checkpoints.syncDirectory(dir);
    }

    /** On open, before segments are listed: discards unfinished cleaned files, finishes committed swaps. */
    static void recover(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        boolean changed = false;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(".log" + CLEANED)) {
                    log.info("discarding {}: compaction stopped before its swap", p);
                    Files.deleteIfExists(p);
                    changed = true;
                } else if (n.matches("\\d{20}\\.log" + "\\" + SWAP)) {
                    long base = Long.parseLong(n.substring(0, 20));
                    log.warn("finishing the interrupted swap of compacted segment {}", p);
                    finish(dir, base, p);
                    changed = true;
                }
            }
        }
        if (changed) {
            Checkpoints.syncDirectory(dir);
        }
    }
}
