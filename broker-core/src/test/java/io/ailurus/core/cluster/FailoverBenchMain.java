package io.ailurus.core.cluster;

import io.ailurus.core.testing.Clients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Failover time, measured (a benchmark, not a test): three broker processes, an RF=3 partition, a
 * producer writing to it every 10 ms; {@code kill -9} of the partition's leader, then the time until
 * the first record <em>sent after the kill</em> is acknowledged ({@code acks=all}, so through the new
 * leader and a majority). The killed broker is restarted and the cluster left to settle between runs.
 *
 * <pre>java -cp broker-core/target/classes:broker-core/target/test-classes:$(cat cp.txt) \
 *   io.ailurus.core.cluster.FailoverBenchMain [runs]</pre>
 */
public final class FailoverBenchMain {
    private FailoverBenchMain() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path dir = Files.createTempDirectory("ailurus-failover");
        List<Long> millis = new ArrayList<>();
        try (ProcessCluster cluster = new ProcessCluster(dir, 3).startAll()) {
            try (Admin admin = Clients.admin(cluster.bootstrap())) {
                admin.createTopics(List.of(new NewTopic("failover", 1, (short) 3))).all().get(60, TimeUnit.SECONDS);
            }
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(cluster.bootstrap(), Map.of(
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                    ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 20,
                    ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 200,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                    ProducerConfig.LINGER_MS_CONFIG, 0))) {
                for (int run = 0; run < runs; run++) {
                    producer.send(new ProducerRecord<>("failover", 0, null, bytes("warm"))).get(60, TimeUnit.SECONDS);
                    int leader = leader(cluster);
                    long killedAt = System.nanoTime();
                    cluster.kill9(leader);
                    long ackedAt = firstAckAfter(producer, killedAt);
                    long ms = TimeUnit.NANOSECONDS.toMillis(ackedAt - killedAt);
                    millis.add(ms);
                    System.out.printf("run %d: killed leader %d, first acknowledged produce after %d ms%n", run, leader, ms);
                    cluster.start(leader);
                    Thread.sleep(15_000); // catch up, report leaders, let leadership balance settle
                }
            }
        }
        Collections.sort(millis);
        System.out.printf("FAILOVER runs=%d median=%d ms max=%d ms min=%d ms all=%s%n", millis.size(),
            millis.get(millis.size() / 2), millis.get(millis.size() - 1), millis.get(0), millis);
    }

    private static long firstAckAfter(KafkaProducer<byte[], byte[]> producer, long since) throws InterruptedException {
        List<java.util.concurrent.CompletableFuture<Long>> acks = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            var f = new java.util.concurrent.CompletableFuture<Long>();
            producer.send(new ProducerRecord<>("failover", 0, null, bytes("after")), (md, e) -> {
                if (e == null) {
                    f.complete(System.nanoTime());
                }
            });
            acks.add(f);
            for (var a : acks) {
                if (a.isDone()) {
                    return a.join();
                }
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("no produce succeeded within 120 s of the kill");
    }

    private static int leader(ProcessCluster cluster) throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrap())) {
            for (int i = 0; i < 100; i++) {
                var p = admin.describeTopics(List.of("failover")).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get("failover").partitions().get(0);
                if (p.leader() != null && p.leader().id() >= 0) {
                    return p.leader().id();
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("no leader");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
