package io.ailurus.storage;

import java.nio.file.*;
import java.util.*;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.*;

/**
 * Measures the aborted-transaction index (not a test; run by hand): 20,000 one-record batches, then 2,000 aborted
 * transactions indexed (each append fsynced) and 200,000 overlap lookups of 500-offset fetch ranges.
 * <pre>java -cp target/test-classes:target/classes:DEPS io.ailurus.storage.AbortedTxnIndexThroughput [dir]</pre>
 */
public final class AbortedTxnIndexThroughput {
    private AbortedTxnIndexThroughput() {
    }

    public static void main(String[] a) throws Exception {
        Path dir = a.length > 0 ? Path.of(a[0]) : Files.createTempDirectory("txnindex-bench");
        LogManager m = LogManager.open(dir, StorageConfig.defaults());
        PartitionLog log = m.openLog("t/0", LogConfig.defaults());
        int n = 20_000;
        AppendResult r = null;
        for (int i = 0; i < n; i++) {
            r = log.appendBatch(1, MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(i, null, new byte[100])).buffer());
        }
        r.durable().get();
        int entries = 2000;
        long[] lat = new long[entries];
        for (int i = 0; i < entries; i++) {
            long last = 10L * i + 9;
            long t0 = System.nanoTime();
            log.appendAbortedTxn(new AbortedTxn(i, 10L * i, last, last + 1));
            lat[i] = System.nanoTime() - t0;
        }
        Arrays.sort(lat);
        System.out.printf("append (fsynced) p50 %.3f ms p99 %.3f ms over %d entries%n", lat[entries / 2] / 1e6, lat[entries * 99 / 100] / 1e6, entries);
        Random rnd = new Random(1);
        int q = 200_000;
        long found = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < q; i++) {
            long from = rnd.nextInt(n);
            found += log.abortedTxns(from, from + 500).size();
        }
        long ns = System.nanoTime() - t0;
        System.out.printf("lookup of a 500-offset fetch range: %.2f us each, %.1f entries per answer (%d lookups)%n", ns / 1e3 / q, (double) found / q, q);
        m.close();
    }
}
