package io.ailurus.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.testing.Clients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In the spirit of Jepsen: three broker processes, a 6-partition RF=3 topic, an idempotent
 * {@code acks=all} producer and an assign-based consumer running while a nemesis {@code kill -9}s
 * partition leaders, freezes brokers with SIGSTOP/SIGCONT and restarts them (one fault at a time, so
 * a majority is always there). Afterwards everything is healed and the whole topic is read back.
 *
 * <p>Checks: every acknowledged record is in the final log at the offset it was acknowledged with
 * (none lost), no record appears twice (idempotence), acknowledged records of a partition are in
 * send order, the live consumer never saw an offset go backwards nor a record that the final log
 * does not hold at that offset (it never read something later truncated).
 *
 * <p>Default run: about 45 s of faults. {@code -Dailurus.soak=true} runs 5 minutes
 * ({@code -Dailurus.soak.seconds=N} for another length).
 */
class FaultInjectionTest {
    private static final String TOPIC = "jepsen";
    private static final int PARTITIONS = 6;
    private static final int MIN_FAULTS = 3;

    @TempDir
    Path dir;

    private static int registeredBrokers(Admin admin) {
        try {
            return admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
        } catch (Exception e) {
            return 0;
        }
    }

    @Test
    void noAcknowledgedRecordIsLostOrDuplicatedUnderCrashesAndPauses() throws Exception {
        boolean soak = Boolean.getBoolean("ailurus.soak");
        long faultSeconds = Long.getLong("ailurus.soak.seconds", soak ? 300 : 45);
        long seed = Long.getLong("ailurus.nemesis.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("FAULT-INJECTION seed=" + seed + " faults for " + faultSeconds + " s");

        long t0 = System.nanoTime();
        try (ProcessCluster cluster = new ProcessCluster(dir, 3).startAll()) {
            System.out.println("FAULT-INJECTION cluster up in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
            try (Admin admin = Clients.admin(cluster.bootstrap())) {
                // The brokers register through the controller as they come up: an RF=3 topic needs all three.
                Await.until("3 registered brokers", java.time.Duration.ofSeconds(60),
                    () -> registeredBrokers(admin) >= 3);
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3))).all().get(60, TimeUnit.SECONDS);
            }
            History history = new History();
            AtomicBoolean producing = new AtomicBoolean(true);
            AtomicBoolean consuming = new AtomicBoolean(true);
            Thread producer = new Thread(() -> produce(cluster.bootstrap(), producing, history), "jepsen-producer");
            Thread consumer = new Thread(() -> consume(cluster.bootstrap(), consuming, history), "jepsen-consumer");
            producer.start();
            consumer.start();

            List<String> faults = new ArrayList<>();
            try {
                // At least MIN_FAULTS faults however slow restarts are on a busy machine, within a hard bound.
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(faultSeconds);
                long hardEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(faultSeconds * 3);
                Thread.sleep(3000);
                while ((System.nanoTime() < end || faults.size() < MIN_FAULTS) && System.nanoTime() < hardEnd) {
                    long faultStart = System.nanoTime();
                    String fault = nemesis(cluster, random);
                    faults.add(fault + "(" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - faultStart) + "ms)");
                    Thread.sleep(2000 + random.nextInt(2000));
                }
            } finally {
                cluster.healAll();
            }
            // Let the clients work against the healed cluster, then stop producing and drain.
            Thread.sleep(5000);
            producing.set(false);
            producer.join(TimeUnit.SECONDS.toMillis(180));
            Map<TopicPartition, List<String>> finalLog = readEverything(cluster.bootstrap());
            consuming.set(false);
            consumer.join(TimeUnit.SECONDS.toMillis(60));

            Verdict v = history.verify(finalLog);
            System.out.printf("FAULT-INJECTION faults=%d %s%n", faults.size(), faults);
            System.out.printf("FAULT-INJECTION acknowledged=%d failed=%d read=%d lost=%d duplicated=%d outOfOrder=%d "
                    + "consumerBackwards=%d consumerSawTruncated=%d%n", v.acknowledged, history.failed.get(), v.read,
                v.lost, v.duplicated, v.outOfOrder, history.backwards.get(), v.sawTruncated);
            v.examples().forEach(x -> System.out.println("FAULT-INJECTION violation: " + x));
            assertTrue(faults.size() >= MIN_FAULTS, "the nemesis injected too few faults: " + faults);
            assertTrue(v.acknowledged > 0, "nothing was acknowledged");
            assertEquals(0, v.lost, "acknowledged records lost");
            assertEquals(0, v.duplicated, "duplicated records");
            assertEquals(0, v.outOfOrder, "acknowledged records out of order");
            assertEquals(0, history.backwards.get(), "the consumer saw an offset go backwards");
            assertEquals(0, v.sawTruncated, "the consumer read records that were later truncated");
        }
    }

    /** One fault, then healed: kill -9 a partition leader, kill -9 any broker, or freeze one for a while. */
    private static String nemesis(ProcessCluster cluster, Random random) throws Exception {
        int action = random.nextInt(3);
        if (action == 0) {
            int victim = leaderOfSomePartition(cluster, random);
            cluster.kill9(victim);
            Thread.sleep(3000 + random.nextInt(3000));
            cluster.start(victim);
            return "kill9-leader:" + victim;
        }
        int victim = random.nextInt(cluster.size());
        if (action == 1) {
            cluster.kill9(victim);
            Thread.sleep(1000 + random.nextInt(4000));
            cluster.start(victim);
            return "kill9:" + victim;
        }
        cluster.pause(victim);
        Thread.sleep(2000 + random.nextInt(6000)); // often past the 3 s election timeout
        cluster.resume(victim);
        return "pause:" + victim;
    }

    private static int leaderOfSomePartition(ProcessCluster cluster, Random random) {
        var props = Clients.base(cluster.bootstrap());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(props)) {
            TopicDescription d = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(6, TimeUnit.SECONDS).get(TOPIC);
            var p = d.partitions().get(random.nextInt(PARTITIONS));
            if (p.leader() != null && p.leader().id() >= 0) {
                return p.leader().id();
            }
        } catch (Exception e) {
            // no answer in time: any broker will do
        }
        return random.nextInt(cluster.size());
    }

    private static void produce(String bootstrap, AtomicBoolean running, History history) {
        Semaphore window = new Semaphore(200);
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.METADATA_MAX_AGE_CONFIG, 5_000))) {
            long seq = 0;
            while (running.get()) {
                if (!window.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                long s = seq++;
                int partition = (int) (s % PARTITIONS);
                String value = "v-" + s;
                producer.send(new ProducerRecord<>(TOPIC, partition, null, value.getBytes(StandardCharsets.UTF_8)),
                    (md, err) -> {
                        window.release();
                        if (err == null) {
                            history.acked(partition, md.offset(), value);
                        } else {
                            history.failed.incrementAndGet();
                        }
                    });
                Thread.sleep(2);
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void consume(String bootstrap, AtomicBoolean running, History history) {
        List<TopicPartition> tps = partitions();
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(bootstrap,
                Map.of(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000))) {
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    history.seen(new TopicPartition(r.topic(), r.partition()), r.offset(),
                        new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        } catch (RuntimeException e) {
            history.consumerError = e;
        }
    }

    /** Reads every partition from the beginning to its high watermark (bounded in time). */
    private static Map<TopicPartition, List<String>> readEverything(String bootstrap) {
        Map<TopicPartition, List<String>> out = new HashMap<>();
        Map<TopicPartition, Long> offsets = new HashMap<>();
        List<TopicPartition> tps = partitions();
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(bootstrap, Map.of())) {
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps, Duration.ofSeconds(60));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline && tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    out.computeIfAbsent(tp, k -> new ArrayList<>()).add(r.offset() + "=" + new String(r.value(), StandardCharsets.UTF_8));
                    offsets.put(tp, r.offset());
                }
            }
        }
        return out;
    }

    private static List<TopicPartition> partitions() {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            tps.add(new TopicPartition(TOPIC, p));
        }
        return tps;
    }

    /** {@code examples}: the first few violations, spelled out, for the failure message. */
    record Verdict(long acknowledged, long read, long lost, long duplicated, long outOfOrder, long sawTruncated,
            List<String> examples) {}

    /** What the clients observed, and the checks against the final log. */
    static final class History {
        /** Per partition, acknowledged (offset, value) in acknowledgement order. */
        final Map<Integer, List<long[]>> ackedOffsets = new ConcurrentHashMap<>();
        final Map<String, Long> ackedValues = new ConcurrentHashMap<>();
        final Map<TopicPartition, Map<Long, String>> seenByConsumer = new ConcurrentHashMap<>();
        final Map<TopicPartition, Long> lastSeenOffset = new ConcurrentHashMap<>();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong backwards = new AtomicLong();
        volatile RuntimeException consumerError;

        synchronized void acked(int partition, long offset, String value) {
            ackedOffsets.computeIfAbsent(partition, k -> new ArrayList<>()).add(new long[] {offset, Long.parseLong(value.substring(2))});
            ackedValues.put(value, offset);
        }

        void seen(TopicPartition tp, long offset, String value) {
            Long last = lastSeenOffset.get(tp);
            if (last != null && offset <= last) {
                backwards.incrementAndGet();
            }
            lastSeenOffset.put(tp, offset);
            seenByConsumer.computeIfAbsent(tp, k -> new ConcurrentHashMap<>()).put(offset, value);
        }

        synchronized Verdict verify(Map<TopicPartition, List<String>> finalLog) {
            List<String> examples = new ArrayList<>();
            Map<String, Integer> copies = new HashMap<>();
            Map<TopicPartition, Map<Long, String>> byOffset = new HashMap<>();
            long read = 0;
            for (var e : finalLog.entrySet()) {
                for (String entry : e.getValue()) {
                    int eq = entry.indexOf('=');
                    long offset = Long.parseLong(entry.substring(0, eq));
                    String value = entry.substring(eq + 1);
                    byOffset.computeIfAbsent(e.getKey(), k -> new HashMap<>()).put(offset, value);
                    copies.merge(value, 1, Integer::sum);
                    read++;
                }
            }
            long lost = 0;
            for (var e : ackedValues.entrySet()) {
                TopicPartition tp = new TopicPartition(TOPIC, (int) (Long.parseLong(e.getKey().substring(2)) % PARTITIONS));
                String atOffset = byOffset.getOrDefault(tp, Map.of()).get(e.getValue());
                if (!e.getKey().equals(atOffset)) {
                    lost++;
                    example(examples, "lost " + e.getKey() + " acknowledged at " + tp + "@" + e.getValue()
                        + ", the final log holds " + atOffset);
                }
            }
            long duplicated = copies.values().stream().filter(c -> c > 1).mapToLong(c -> c - 1).sum();
            long outOfOrder = 0;
            for (var acks : ackedOffsets.entrySet()) {
                List<long[]> bySeq = new ArrayList<>(acks.getValue());
                bySeq.sort((a, b) -> Long.compare(a[1], b[1]));
                for (int i = 1; i < bySeq.size(); i++) {
                    if (bySeq.get(i)[0] <= bySeq.get(i - 1)[0]) {
                        outOfOrder++;
                        example(examples, "out of order in partition " + acks.getKey() + ": v-" + bySeq.get(i - 1)[1]
                            + " acknowledged at offset " + bySeq.get(i - 1)[0] + ", the later v-" + bySeq.get(i)[1]
                            + " at " + bySeq.get(i)[0]);
                    }
                }
            }
            long sawTruncated = 0;
            for (var e : seenByConsumer.entrySet()) {
                Map<Long, String> finalOffsets = byOffset.getOrDefault(e.getKey(), Map.of());
                for (var seen : e.getValue().entrySet()) {
                    if (!seen.getValue().equals(finalOffsets.get(seen.getKey()))) {
                        sawTruncated++;
                        example(examples, "the consumer read " + seen.getValue() + " at " + e.getKey() + "@"
                            + seen.getKey() + ", the final log holds " + finalOffsets.get(seen.getKey()));
                    }
                }
            }
            copies.forEach((value, n) -> {
                if (n > 1) {
                    example(examples, value + " is in the final log " + n + " times");
                }
            });
            return new Verdict(ackedValues.size(), read, lost, duplicated, outOfOrder, sawTruncated, examples);
        }

        private static void example(List<String> examples, String violation) {
            if (examples.size() < 20) {
                examples.add(violation);
            }
        }
    }
}
