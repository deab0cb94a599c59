package io.ailurus.storage;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Index lookups a fetch or a ListOffsets does per segment: {@link SparseIndex#floorByOffset} (where in the
 * file the batch holding an offset starts) and {@link TimeIndex#lastBefore} (the last offset older than a
 * timestamp). {@code rows}: 1,024 (a young segment) or 262,144 (a full 1 GiB segment at the default 4 KiB
 * index interval). Keys are drawn at random from a precomputed table so that the benchmark measures the
 * search, not the random-number generator. Lives in the storage package because the indexes are
 * package-private there.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IndexLookupBenchmark {
    @Param({"1024", "262144"})
    public int rows;

    private final SparseIndex index = new SparseIndex();
    private final TimeIndex timeIndex = new TimeIndex();
    private long[] offsetKeys;
    private long[] timestampKeys;
    private int next;

    @Setup
    public void setUp() {
        // A row per ~4 KiB of 16-record batches: offsets step by 16, positions by 4 KiB, timestamps by 1 ms.
        for (int r = 0; r < rows; r++) {
            index.add(r * 4L, r * 16L, r * 4096);
            timeIndex.maybeAdd(1_700_000_000_000L + r, r * 16L);
        }
        SplittableRandom random = new SplittableRandom(11);
        offsetKeys = new long[4096];
        timestampKeys = new long[4096];
        for (int i = 0; i < offsetKeys.length; i++) {
            offsetKeys[i] = random.nextLong(rows * 16L);
            timestampKeys[i] = 1_700_000_000_000L + random.nextLong(rows);
        }
    }

    @Benchmark
    public int floorByOffset() {
        return index.floorByOffset(offsetKeys[next++ & 4095]);
    }

    @Benchmark
    public int timeLastBefore() {
        return timeIndex.lastBefore(timestampKeys[next++ & 4095]);
    }
}
