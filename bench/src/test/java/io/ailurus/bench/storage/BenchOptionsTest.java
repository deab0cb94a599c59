package io.ailurus.bench.storage;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchOptionsTest {

    @Test
    void defaultsAreTheIssuesCases() {
        BenchOptions o = BenchOptions.parse(new String[0]);
        assertEquals(List.of(1, 16, 256), o.partitions());
        assertEquals(20, o.seconds());
        assertEquals(16, o.records());
        assertEquals(1024, o.recordBytes());
        assertEquals(8, o.inflight());
        assertTrue(o.fio());
        assertEquals(1024, o.segmentMiB());
        assertEquals(0, o.retentionMiB(), "no retention: every case writes fresh segments");
        assertEquals(Path.of(System.getProperty("java.io.tmpdir")), o.dir());
        assertEquals(List.of(0.1, 0.25), o.rateFractions(), "fixed-rate cases below saturation by default");
        assertEquals(List.of(), o.rateMiBps());
        assertEquals(List.of(16, 1), o.ratePartitions());
        assertEquals(10, o.rateSeconds(), "fixed-rate cases: --seconds, at most 10");
        assertEquals(4, o.rateCases());
    }

    @Test
    void parsesTheFixedRateFlags() {
        BenchOptions o = BenchOptions.parse(new String[]{"--rate-fraction", "0.1, 0.5", "--rate-mibps", "100,250.5",
                "--rate-partitions", "16", "--rate-seconds", "7"});
        assertEquals(List.of(0.1, 0.5), o.rateFractions());
        assertEquals(List.of(100.0, 250.5), o.rateMiBps());
        assertEquals(List.of(16), o.ratePartitions());
        assertEquals(7, o.rateSeconds());
        assertEquals(4, o.rateCases());
        assertEquals(5, BenchOptions.parse(new String[]{"--seconds", "5"}).rateSeconds());
        assertEquals(0, BenchOptions.parse(new String[]{"--no-rate"}).rateCases());
        // Without fio there is no bandwidth to take a fraction of: the default fractions drop, absolute rates stay.
        BenchOptions noFio = BenchOptions.parse(new String[]{"--no-fio", "--rate-mibps", "50"});
        assertEquals(List.of(), noFio.rateFractions());
        assertEquals(List.of(50.0), noFio.rateMiBps());
        assertEquals(0, BenchOptions.parse(new String[]{"--no-fio"}).rateCases());
    }

    @Test
    void badFixedRateInputIsRefusedWithTheFlagNamed() {
        assertMessage("--rate-fraction: each fraction must be > 0 and <= 2, got 0.0", "--rate-fraction", "0");
        assertMessage("--rate-fraction: each fraction must be > 0 and <= 2, got NaN", "--rate-fraction", "NaN");
        assertMessage("--rate-fraction needs numbers, got 'half'", "--rate-fraction", "0.1,half");
        assertMessage("--rate-fraction needs at least one number", "--rate-fraction", ",");
        assertMessage("--rate-mibps: each rate must be > 0 and <= 100000, got -5.0", "--rate-mibps", "-5");
        assertMessage("--rate-fraction needs fio's bandwidth: drop --no-fio or use --rate-mibps", "--no-fio",
                "--rate-fraction", "0.1");
        assertMessage("--no-rate contradicts --rate-fraction / --rate-mibps", "--no-rate", "--rate-mibps", "10");
        assertMessage("--rate-partitions needs at least one count", "--rate-partitions", ",");
        assertMessage("--rate-partitions: each count must be between 1 and 10000, got 0", "--rate-partitions", "0");
        assertMessage("--rate-seconds must be between 1 and 3600, got 0", "--rate-seconds", "0");
    }

    @Test
    void parsesEveryFlag() {
        BenchOptions o = BenchOptions.parse(new String[]{"--dir", "/var/tmp/x", "--seconds", "5", "--warmup", "0",
                "--partitions", "2, 4,", "--inflight", "3", "--threads", "7", "--repeat", "2", "--records", "4",
                "--record-bytes", "100", "--read-mib", "0", "--no-fio", "--debounce-us", "50", "--preallocate-kib", "4", "--fsync-parallelism", "2",
                "--segment-mib", "64", "--retention-mib", "192", "--segment-pool-mib", "0"});
        assertEquals(Path.of("/var/tmp/x"), o.dir());
        assertEquals(5, o.seconds());
        assertEquals(0, o.warmupSeconds());
        assertEquals(List.of(2, 4), o.partitions());
        assertEquals(3, o.inflight());
        assertEquals(7, o.threads());
        assertEquals(2, o.repeat());
        assertEquals(4, o.records());
        assertEquals(100, o.recordBytes());
        assertEquals(0, o.readMiB());
        assertFalse(o.fio());
        assertEquals(50, o.debounceMicros());
        assertEquals(4, o.preallocateKiB());
        assertEquals(2, o.fsyncParallelism());
        assertEquals(64, o.segmentMiB());
        assertEquals(192, o.retentionMiB());
        assertEquals(0, o.segmentPoolMiB());
    }

    @Test
    void threadsNeverExceedPartitions() {
        BenchOptions o = BenchOptions.parse(new String[]{"--threads", "4"});
        assertEquals(1, o.threadsFor(1));
        assertEquals(4, o.threadsFor(16));
    }

    @Test
    void badInputIsRefusedWithTheFlagNamed() {
        assertMessage("unknown argument '--bogus'", "--bogus");
        assertMessage("--seconds needs a whole number, got 'ten'", "--seconds", "ten");
        assertMessage("--seconds needs a value", "--seconds");
        assertMessage("--partitions: each count must be between 1 and 10000, got 0", "--partitions", "1,0");
        assertMessage("--partitions needs at least one count", "--partitions", ",");
        assertMessage("--inflight must be between 1 and 1024, got 0", "--inflight", "0");
        assertMessage("--segment-mib must be between 1 and 2047, got 0", "--segment-mib", "0");
        assertMessage("--retention-mib must be >= 0, got -1", "--retention-mib", "-1");
        assertMessage("--preallocate-kib must be a multiple of 4 between 4 and 1048576, got 6", "--preallocate-kib", "6");
        assertMessage("--records x --record-bytes makes batches over 8 MiB", "--records", "100000",
                "--record-bytes", "1048576");
    }

    private static void assertMessage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(args));
        assertEquals(expected, e.getMessage());
    }
}
