package io.ailurus.bench.storage;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU and disk writes of this process and the machine's load, so a reader can tell a CPU-bound figure from a disk-bound one. */
final class ProcessCpu {
    private ProcessCpu() {
    }

    /** CPU time of this process (all threads) in nanoseconds, or -1 when the JVM cannot say. */
    static long nanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /**
     * Bytes this process has caused to be sent to the block layer (Linux {@code /proc/self/io} write_bytes; direct
     * writes count as they are submitted), or -1 when unknown. Against the bytes made durable it gives the write
     * amplification: zero-fill preallocation, partial last pages rewritten, index files.
     */
    static long diskWriteBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("write_bytes:")) {
                    return Long.parseLong(line.substring("write_bytes:".length()).trim());
                }
            }
        } catch (Exception e) {
            // Not Linux, or /proc hidden: the figure is simply not reported.
        }
        return -1;
    }

    /** The 1-minute load average (from /proc/loadavg), or -1 off Linux. */
    static double load1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (Exception e) {
            return -1;
        }
    }
}
