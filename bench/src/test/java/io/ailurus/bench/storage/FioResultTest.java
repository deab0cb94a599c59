package io.ailurus.bench.storage;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parses fio 3.33 JSON captured on this machine with the exact jobs {@link FioProbe} runs. */
class FioResultTest {

    @Test
    void readsBandwidthAndFdatasyncPercentilesFromRealFioOutput() throws IOException {
        FioResult r = FioResult.parse(resource("seqwrite-direct-1m.json"), resource("fdatasync-16k.json"));
        // jobs[0].write.bw_bytes = 1162058251 -> MiB/s
        assertEquals(1162058251 / 1048576.0, r.writeMiBps(), 1e-6);
        // jobs[0].sync.lat_ns.percentile: 50% 1597440 ns, 99% 22413312 ns, 99.9% 65798144 ns
        assertEquals(1597.440, r.syncP50Micros(), 1e-9);
        assertEquals(22413.312, r.syncP99Micros(), 1e-9);
        assertEquals(65798.144, r.syncP999Micros(), 1e-9);
        // jobs[0].write.clat_ns.percentile 99% = 63232 ns
        assertEquals(63.232, r.writeP99Micros(), 1e-9);
        assertTrue(r.syncIops() > 0);
    }

    @Test
    void toleratesNotesBeforeTheJson() throws IOException {
        String json = "fio: some note\n" + resource("seqwrite-direct-1m.json");
        assertEquals(1162058251 / 1048576.0, FioResult.parseWriteMiBps(json), 1e-6);
    }

    @Test
    void refusesAFailedJobOrMissingFigures() throws IOException {
        String failed = resource("seqwrite-direct-1m.json").replaceFirst("\"error\" : 0", "\"error\" : 5");
        IOException e = assertThrows(IOException.class, () -> FioResult.parseWriteMiBps(failed));
        assertEquals("fio job seqwrite failed with error 5", e.getMessage());

        IOException none = assertThrows(IOException.class, () -> FioResult.parseWriteMiBps("fio: no space left"));
        assertTrue(none.getMessage().startsWith("fio printed no JSON"), none.getMessage());

        String noSyncPercentiles = resource("fdatasync-16k.json").replace("\"99.000000\"", "\"x99\"");
        IOException missing = assertThrows(IOException.class,
                () -> FioResult.parse(resource("seqwrite-direct-1m.json"), noSyncPercentiles));
        assertEquals("fio JSON lacks the 99.000000 percentile", missing.getMessage());
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = FioResultTest.class.getResourceAsStream("/fio/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
