package io.ailurus.bench.storage;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FixedRateScheduleTest {

    @Test
    void eachPartitionSendsItsShareOfTheRateEvenlySpaced() {
        // 16 MiB/s of 16 KiB batches = 1024 batches/s; 16 partitions: 64/s each, one every 15.625 ms.
        FixedRateSchedule s = FixedRateSchedule.of(1_000, 16, 16384, 16);
        assertEquals(15_625_000, s.intervalNanos(), 1e-6);
        assertEquals(1_000, s.intendedNanos(0, 0));
        assertEquals(1_000 + 15_625_000, s.intendedNanos(0, 1));
        assertEquals(1_000 + 10 * 15_625_000L, s.intendedNanos(0, 10));
        // Partition 3 of 16 is 3/16 of an interval later: 1,000 + (10 + 3/16) x 15,625,000 = 159,180,687.5, rounded up.
        assertEquals(159_180_688, s.intendedNanos(3, 10));
    }

    @Test
    void partitionsArePhaseShiftedSoTheWholeStreamIsEvenlySpaced() {
        FixedRateSchedule s = FixedRateSchedule.of(0, 4, 16384, 16); // 1024 batches/s in all: every 976,562.5 ns
        List<Long> times = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            for (long k = 0; k < 100; k++) {
                times.add(s.intendedNanos(p, k));
            }
        }
        Collections.sort(times);
        for (int i = 1; i < times.size(); i++) {
            long gap = times.get(i) - times.get(i - 1);
            assertEquals(976_562.5, gap, 1.0, "gap " + i + ": batches must not bunch up");
        }
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> FixedRateSchedule.of(0, 1, 16384, 0));
        assertThrows(IllegalArgumentException.class, () -> FixedRateSchedule.of(0, 0, 16384, 10));
        assertThrows(IllegalArgumentException.class, () -> FixedRateSchedule.of(0, 2, 16384, 10).intendedNanos(2, 0));
    }
}
