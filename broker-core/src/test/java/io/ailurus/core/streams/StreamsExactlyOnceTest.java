package io.ailurus.core.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.cluster.Await;
import io.ailurus.core.testing.Clients;
import io.ailurus.core.testing.EmbeddedBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Streams with {@code exactly_once_v2} against a real broker: a word count ({@link
 * WordCountStreamsMain}) in a child JVM is {@code kill -9}ed while it processes, more input
 * arrives, and a new instance takes over from the same state directory. The committed output must
 * hold, for every word, exactly the counts 1, 2, ..., n in order: a lost or a repeated update
 * (what at-least-once processing shows after a crash) fails the test.
 *
 * <p>It exercises what Streams needs of a broker: transactions across the output, changelog and
 * repartition topics with offsets committed in them, internal topic creation with their configs,
 * read_committed fetches, DeleteRecords on the repartition topic, and group rebalances.
 */
class StreamsExactlyOnceTest {
    private static final String INPUT = "lines";
    private static final String OUTPUT = "word-counts";
    private static final int WORDS_PER_LINE = 6;
    private static final int VOCABULARY = 30;

    @TempDir
    Path dir;

    @Test
    void wordCountIsExactAfterTheStreamsInstanceIsKilledMidStream() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(dir.resolve("broker")).start()) {
            String bootstrap = broker.bootstrap();
            Clients.createTopic(bootstrap, INPUT, 3, Map.of());
            Clients.createTopic(bootstrap, OUTPUT, 3, Map.of());
            Map<String, Long> expected = new TreeMap<>();
            Random random = new Random(42);

            produceLines(bootstrap, 0, 4000, random, expected);
            Path stateDir = dir.resolve("streams-state");
            try (StreamsProcess first = StreamsProcess.start(bootstrap, stateDir, dir.resolve("streams-1.log"))) {
                // Kill while it is writing: some output exists (open or committed transactions).
                try {
                    Await.until("the first instance produced output", Duration.ofSeconds(120),
                        () -> { first.checkAlive(); return countUncommitted(bootstrap) >= 500; });
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\n" + first.tail(), e);
                }
                first.kill9();
            }
            produceLines(bootstrap, 4000, 2000, random, expected);
            try (StreamsProcess second = StreamsProcess.start(bootstrap, stateDir, dir.resolve("streams-2.log"))) {
                Map<String, List<Long>> counts = readCommittedCounts(bootstrap, expected, second);
                for (var e : expected.entrySet()) {
                    List<Long> got = counts.getOrDefault(e.getKey(), List.of());
                    List<Long> want = new ArrayList<>();
                    for (long n = 1; n <= e.getValue(); n++) {
                        want.add(n);
                    }
                    assertEquals(want, got, "committed counts of '" + e.getKey() + "' (exactly one update per occurrence)");
                }
                assertEquals(expected.keySet(), counts.keySet(), "words in the output");
            }
        }
    }

    private static void produceLines(String bootstrap, int from, int lines, Random random, Map<String, Long> expected)
            throws Exception {
        var props = Clients.base(bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = from; i < from + lines; i++) {
                StringBuilder line = new StringBuilder();
                for (int w = 0; w < WORDS_PER_LINE; w++) {
                    String word = String.format("w%02d", random.nextInt(VOCABULARY));
                    expected.merge(word, 1L, Long::sum);
                    line.append(w == 0 ? "" : " ").append(word);
                }
                producer.send(new ProducerRecord<>(INPUT, Integer.toString(i), line.toString()));
            }
            producer.flush();
        }
    }

    private static KafkaConsumer<String, Long> outputConsumer(String bootstrap, String isolation) {
        var props = Clients.base(bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, LongDeserializer.class);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        var consumer = new KafkaConsumer<String, Long>(props);
        List<TopicPartition> tps = Clients.partitions(OUTPUT, 3);
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        return consumer;
    }

    /** How many output records a read_uncommitted consumer sees now (open transactions included). */
    private static long countUncommitted(String bootstrap) {
        try (var consumer = outputConsumer(bootstrap, "read_uncommitted")) {
            long n = 0;
            for (int i = 0; i < 5; i++) {
                n += consumer.poll(Duration.ofMillis(200)).count();
            }
            return n;
        }
    }

    /** Reads the committed output until every word reached its expected count (bounded), in offset order. */
    private static Map<String, List<Long>> readCommittedCounts(String bootstrap, Map<String, Long> expected,
                                                               StreamsProcess streams) throws IOException {
        Map<String, List<Long>> counts = new TreeMap<>();
        try (var consumer = outputConsumer(bootstrap, "read_committed")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (!reached(counts, expected)) {
                streams.checkAlive();
                assertTrue(System.nanoTime() < deadline,
                    "the committed output did not reach the expected counts in time; last counts "
                        + lastCounts(counts) + " expected " + expected + "\n" + streams.tail());
                for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(500))) {
                    counts.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
                }
            }
            // Anything past the expected count (a duplicate update) would arrive right after; look for it.
            for (int i = 0; i < 6; i++) {
                for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(500))) {
                    counts.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
                }
            }
        }
        return counts;
    }

    private static boolean reached(Map<String, List<Long>> counts, Map<String, Long> expected) {
        for (var e : expected.entrySet()) {
            List<Long> got = counts.get(e.getKey());
            if (got == null || got.size() < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Long> lastCounts(Map<String, List<Long>> counts) {
        Map<String, Long> last = new TreeMap<>();
        counts.forEach((k, v) -> last.put(k, v.get(v.size() - 1)));
        return last;
    }

    /** The word count in a child JVM (the test class path), its output in a log file. */
    private static final class StreamsProcess implements AutoCloseable {
        private final Process process;
        private final Path log;

        private StreamsProcess(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        static StreamsProcess start(String bootstrap, Path stateDir, Path log) throws IOException {
            List<String> cmd = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                WordCountStreamsMain.class.getName(),
                bootstrap, "wordcount", INPUT, OUTPUT, stateDir.toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new StreamsProcess(p, log);
        }

        void checkAlive() {
            if (!process.isAlive()) {
                throw new AssertionError("the Streams instance exited with " + process.exitValue() + "\n" + tail());
            }
        }

        void kill9() throws InterruptedException {
            process.destroyForcibly();  // SIGKILL on Linux: no shutdown hook, no clean close
            process.waitFor(10, TimeUnit.SECONDS);
        }

        String tail() {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    kill9();
                }
            }
        }
    }
}
