package io.ailurus.bench.storage;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU used by this process and the machine's load, so a reader can tell a CPU-bound figure from a disk-bound one. */
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

    /** The 1-minute load average (from /proc/loadavg), or -1 off Linux. */
    static double load1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (Exception e) {
            return -1;
        }
    }
}
