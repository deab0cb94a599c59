package io.ailurus.bench.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * The disk's own limits, as fio measured them: direct 1 MiB sequential write bandwidth and the latency of
 * fdatasync after 16 KiB writes.
 *
 * @param writeMiBps    direct sequential write bandwidth, MiB/s
 * @param syncP50Micros fdatasync latency percentiles, microseconds
 * @param syncP99Micros
 * @param syncP999Micros
 * @param writeP99Micros the 16 KiB write's own completion latency p99 (before its fdatasync), microseconds
 * @param syncIops      write+fdatasync pairs per second
 */
record FioResult(double writeMiBps, double syncP50Micros, double syncP99Micros, double syncP999Micros,
                 double writeP99Micros, double syncIops) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Bandwidth of a {@code --output-format=json} sequential write job, MiB/s. */
    static double parseWriteMiBps(String fioJson) throws IOException {
        JsonNode job = firstJob(fioJson);
        JsonNode bw = job.path("write").path("bw_bytes");
        if (!bw.isNumber() || bw.asDouble() <= 0) {
            throw new IOException("fio output has no write bandwidth (jobs[0].write.bw_bytes)");
        }
        return bw.asDouble() / (1 << 20);
    }

    /** Combines the two jobs' JSON outputs into one result. */
    static FioResult parse(String writeJson, String syncJson) throws IOException {
        double mibps = parseWriteMiBps(writeJson);
        JsonNode job = firstJob(syncJson);
        JsonNode syncPct = job.path("sync").path("lat_ns").path("percentile");
        JsonNode writePct = job.path("write").path("clat_ns").path("percentile");
        return new FioResult(mibps, micros(syncPct, "50.000000"), micros(syncPct, "99.000000"),
                micros(syncPct, "99.900000"), micros(writePct, "99.000000"), job.path("write").path("iops").asDouble());
    }

    private static JsonNode firstJob(String fioJson) throws IOException {
        // fio may print notes before the JSON document on stdout.
        int start = fioJson.indexOf('{');
        if (start < 0) {
            throw new IOException("fio printed no JSON: " + abbreviate(fioJson));
        }
        JsonNode root = JSON.readTree(fioJson.substring(start));
        JsonNode job = root.path("jobs").path(0);
        if (job.isMissingNode()) {
            throw new IOException("fio JSON has no jobs: " + abbreviate(fioJson));
        }
        int error = job.path("error").asInt(0);
        if (error != 0) {
            throw new IOException("fio job " + job.path("jobname").asText() + " failed with error " + error);
        }
        return job;
    }

    private static double micros(JsonNode percentiles, String key) throws IOException {
        JsonNode v = percentiles.get(key);
        if (v == null || !v.isNumber()) {
            throw new IOException("fio JSON lacks the " + key + " percentile");
        }
        return v.asDouble() / 1000;
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
