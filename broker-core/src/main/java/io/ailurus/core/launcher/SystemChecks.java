package io.ailurus.core.launcher;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.OperatingSystemMXBean;
import com.sun.nio.file.ExtendedOpenOption;
import io.ailurus.core.config.BrokerConfig;
import io.ailurus.core.config.ByteSize;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The environment checks {@code --check} runs (and {@code --check=false} skips), in the spirit
 * of Redpanda's start-up checks: direct I/O on the data directory's file system, the memory
 * budget against the JVM's limits and the machine, the open-files limit, the shard count against
 * the CPUs and the garbage collector. They only warn: the broker still starts.
 */
public final class SystemChecks {
    /** Each partition holds a few files open; Redpanda asks for at least this many. */
    static final long MIN_OPEN_FILES = 65_536;

    /**
     * The outcome of one check.
     *
     * @param name   short name, e.g. "direct I/O"
     * @param ok     whether the check passed
     * @param detail what was found and, when not ok, what to do
     */
    public record Result(String name, boolean ok, String detail) {}

    private SystemChecks() {}

    /** Runs every check; the data directory must already exist. */
    public static List<Result> run(BrokerConfig config) {
        List<Result> out = new ArrayList<>();
        out.add(directIo(config.dataDirectory()));
        out.add(fileSystem(config.dataDirectory()));
        out.add(memory(config.memoryBytes()));
        out.add(openFiles(Path.of("/proc/self/limits")));
        out.add(cpus(config.smp(), Runtime.getRuntime().availableProcessors()));
        out.add(collector());
        return out;
    }

    /** Segments are written with O_DIRECT from aligned buffers; some file systems (tmpfs) refuse it. */
    static Result directIo(Path dataDir) {
        Path probe = dataDir.resolve(".ailurus-odirect-check-" + ProcessHandle.current().pid());
        try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT)) {
            ByteBuffer block = ByteBuffer.allocateDirect(2 * 4096).alignedSlice(4096).limit(4096);
            ch.write(block, 0);
            ch.force(false);
            return new Result("direct I/O", true, "O_DIRECT works on " + dataDir);
        } catch (IOException | UnsupportedOperationException e) {
            return new Result("direct I/O", false, "the file system of " + dataDir + " refuses O_DIRECT (" + e.getMessage()
                    + "): segment writes will go through the page cache; put the data directory on ext4 or XFS");
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // tiny, per-pid probe file
            }
        }
    }

    /** Data on tmpfs vanishes with a reboot, which silently breaks "acknowledged means durable". */
    static Result fileSystem(Path dataDir) {
        try {
            String type = Files.getFileStore(dataDir).type();
            if (type.equals("tmpfs") || type.equals("ramfs")) {
                return new Result("file system", false, dataDir + " is on " + type
                        + ": its data is lost on reboot; use a disk-backed file system");
            }
            return new Result("file system", true, dataDir + " is on " + type);
        } catch (IOException e) {
            return new Result("file system", false, "cannot tell the file system of " + dataDir + ": " + e.getMessage());
        }
    }

    /** The memory budget lives in direct buffers, bounded by -XX:MaxDirectMemorySize (default: the heap size). */
    static Result memory(long budget) {
        long heap = Runtime.getRuntime().maxMemory();
        long direct = maxDirectMemory(heap);
        if (budget > direct) {
            return new Result("memory", false, "--memory " + ByteSize.format(budget) + " exceeds the JVM's direct memory limit "
                    + ByteSize.format(direct) + "; raise -Xmx or -XX:MaxDirectMemorySize in AILURUS_HEAP_OPTS, or lower --memory");
        }
        long physical = physicalMemory();
        if (physical > 0 && heap + budget > physical) {
            return new Result("memory", false, "heap " + ByteSize.format(heap) + " + --memory " + ByteSize.format(budget)
                    + " exceed this machine's " + ByteSize.format(physical) + " of RAM; the OS will swap or kill the broker");
        }
        return new Result("memory", true, "budget " + ByteSize.format(budget) + ", heap " + ByteSize.format(heap)
                + ", direct limit " + ByteSize.format(direct));
    }

    private static long maxDirectMemory(long heap) {
        try {
            HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            long v = Long.parseLong(hs.getVMOption("MaxDirectMemorySize").getValue());
            return v > 0 ? v : heap;
        } catch (RuntimeException e) {
            return heap; // not HotSpot: assume the default rule
        }
    }

    private static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }

    /** Reads the soft "Max open files" limit from a /proc/PID/limits file. */
    static Result openFiles(Path limitsFile) {
        try {
            for (String line : Files.readAllLines(limitsFile)) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
                    if (soft.equals("unlimited") || Long.parseLong(soft) >= MIN_OPEN_FILES) {
                        return new Result("open files", true, "limit " + soft);
                    }
                    return new Result("open files", false, "the open-files limit is " + soft + ", below " + MIN_OPEN_FILES
                            + ": many partitions will exhaust it; raise it with 'ulimit -n " + MIN_OPEN_FILES + "'");
                }
            }
            return new Result("open files", true, "no limit reported");
        } catch (IOException | RuntimeException e) {
            return new Result("open files", true, "cannot read " + limitsFile + " (not Linux?)");
        }
    }

    static Result cpus(int smp, int available) {
        if (smp > available) {
            return new Result("cpus", false, "--smp " + smp + " exceeds the " + available
                    + " CPUs available: shards will compete for cores; use --smp " + available + " or --overprovisioned");
        }
        return new Result("cpus", true, smp + " of " + available + " CPUs");
    }

    /** bin/ailurus runs generational ZGC; another collector usually means a hand-set AILURUS_GC_OPTS. */
    static Result collector() {
        String names = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining(", "));
        if (names.contains("ZGC")) {
            return new Result("gc", true, names);
        }
        return new Result("gc", false, "the JVM runs " + names + ", not ZGC: longer GC pauses will show in tail latency");
    }
}
