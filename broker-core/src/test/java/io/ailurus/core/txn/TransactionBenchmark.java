package io.ailurus.core.txn;

import io.ailurus.core.testing.Clients;
import io.ailurus.core.testing.EmbeddedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A benchmark, not a test: committed transactions per second with Apache Kafka's Java producer on one
 * in-process broker, for 1, 10 and 100 records (of 100 bytes, over 3 partitions) per transaction, and
 * with several producers at once (each transaction costs three controller commands: AddPartitionsToTxn,
 * PrepareCommit, CompleteCommit, plus one marker per partition). Run:
 * {@code java -cp <broker-core test class path> io.ailurus.core.txn.TransactionBenchmark [seconds [bootstrap]]};
 * with a bootstrap address it measures that (already running) cluster instead, e.g. Apache Kafka
 * started by {@code /work/shared/bench/kafka-peer.sh}, side by side with the same client and workload.
 */
public final class TransactionBenchmark {
    private static final int PARTITIONS = 3;

    private TransactionBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        if (args.length > 1) {
            measure(args[1], seconds);
            return;
        }
        Path dir = Files.createTempDirectory("txn-bench");
        try (EmbeddedBroker broker = new EmbeddedBroker(dir).start()) {
            measure(broker.bootstrap(), seconds);
        }
    }

    private static void measure(String bootstrap, int seconds) throws Exception {
        try (var admin = Clients.admin(bootstrap)) {
            if (!admin.listTopics().names().get(60, java.util.concurrent.TimeUnit.SECONDS).contains("txn-bench")) {
                Clients.createTopic(bootstrap, "txn-bench", PARTITIONS, Map.of());
            }
        }
        run(bootstrap, 1, 10, 3, false); // warm-up (JIT, connections, producer id blocks), not reported
        System.out.println("| producers | records per transaction | transactions/s | records/s |");
        System.out.println("| ---: | ---: | ---: | ---: |");
        for (int records : new int[] {1, 10, 100}) {
            run(bootstrap, 1, records, seconds, true);
        }
        for (int producers : new int[] {4, 16}) {
            run(bootstrap, producers, 1, seconds, true);
        }
    }

    private static void run(String bootstrap, int producers, int records, int seconds, boolean report)
        throws Exception {
        AtomicLong txns = new AtomicLong();
        byte[] value = new byte[100];
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            String id = "bench-" + System.nanoTime() % 100000 + "-" + producers + "-" + records + "-" + p + (report ? "" : "-warmup");
            threads.add(new Thread(() -> {
                try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap,
                        Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id, ProducerConfig.LINGER_MS_CONFIG, 0))) {
                    producer.initTransactions();
                    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
                    int i = 0;
                    while (System.nanoTime() < end) {
                        producer.beginTransaction();
                        for (int r = 0; r < records; r++) {
                            producer.send(new ProducerRecord<>("txn-bench", i++ % PARTITIONS, null, value));
                        }
                        producer.commitTransaction();
                        txns.incrementAndGet();
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(seconds + 120).toMillis());
        }
        // Each producer counts only the transactions of its own measured window (after initTransactions).
        double secs = seconds;
        long n = txns.get();
        if (report) {
            System.out.printf("| %d | %d | %.0f | %.0f |%n", producers, records, n / secs, n * records / secs);
        }
    }
}
