package io.ailurus.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ailurus.core.config.ClusterConfigKeys;
import io.ailurus.core.config.ConfigSource;
import io.ailurus.core.testing.Clients;
import io.ailurus.storage.EntryType;
import io.ailurus.storage.format.EntryHeader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction of a replicated (RF=3) partition: each of the three replicas compacts its own copy of the Raft log,
 * below its own committed point, and every copy ends up holding exactly the latest value per key at its offset
 * while Raft keeps working (the topic is still produced to and read after compaction).
 */
class CompactionClusterTest {
    private static final String TOPIC = "compacted-rf3";

    @TempDir
    Path dir;

    /** A record as a replica holds it or a consumer sees it. */
    record Kept(long offset, String value) {}

    @Test
    void everyReplicaCompactsItsOwnLogToTheLatestValuePerKey() throws Exception {
        try (InJvmCluster cluster = new InJvmCluster(dir, 3, c -> c.with(ClusterConfigKeys.LOG_COMPACTION_INTERVAL_MS,
                200L, ConfigSource.STATIC_BROKER_CONFIG)).startAll()) {
            try (Admin admin = Clients.admin(cluster.bootstrap())) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3).configs(Map.of(
                    "cleanup.policy", "compact", "segment.ms", "100", "min.cleanable.dirty.ratio", "0.01",
                    "delete.retention.ms", "0")))).all().get(60, TimeUnit.SECONDS);
            }
            Map<String, Kept> latest = new TreeMap<>();
            try (KafkaProducer<byte[], byte[]> p = Clients.producer(cluster.bootstrap(), Map.of())) {
                for (int round = 0; round < 10; round++) {
                    // A whole round in flight at once: batches of several records, some partly superseded later.
                    List<Future<RecordMetadata>> sent = new ArrayList<>();
                    List<String[]> kv = new ArrayList<>();
                    for (int k = 0; k < 5; k++) {
                        String key = "key-" + k;
                        String value = k == 4 && round == 8 ? null : key + "@" + round;
                        if (k == 4 && round == 9) {
                            continue; // key-4 stays deleted
                        }
                        sent.add(p.send(new ProducerRecord<>(TOPIC, key.getBytes(StandardCharsets.UTF_8),
                            value == null ? null : value.getBytes(StandardCharsets.UTF_8))));
                        kv.add(new String[]{key, value});
                    }
                    for (int i = 0; i < sent.size(); i++) {
                        long offset = sent.get(i).get(60, TimeUnit.SECONDS).offset();
                        String[] e = kv.get(i);
                        if (e[1] == null) {
                            latest.remove(e[0]);
                        } else {
                            latest.put(e[0], new Kept(offset, e[1]));
                        }
                    }
                    Thread.sleep(120); // the next round rolls a new segment on every replica
                }
                long offset = p.send(new ProducerRecord<>(TOPIC, "sentinel".getBytes(StandardCharsets.UTF_8),
                    "last".getBytes(StandardCharsets.UTF_8))).get(60, TimeUnit.SECONDS).offset();
                latest.put("sentinel", new Kept(offset, "last"));
            }
            List<Kept> expected = new ArrayList<>(latest.values());
            expected.sort(Comparator.comparingLong(Kept::offset));

            for (int i = 0; i < cluster.size(); i++) {
                Path data = dir.resolve("broker-" + i);
                int broker = i;
                Await.until("replica on broker " + broker + " compacted", Duration.ofSeconds(90), () -> {
                    try {
                        return held(data).equals(expected);
                    } catch (Exception e) {
                        return false; // a segment swapped while it was being read: look again
                    }
                });
                assertEquals(expected, held(data));
            }

            // Raft goes on over the compacted logs: a new record is replicated and a consumer reads it all.
            try (KafkaProducer<byte[], byte[]> p = Clients.producer(cluster.bootstrap(), Map.of())) {
                long offset = p.send(new ProducerRecord<>(TOPIC, "key-0".getBytes(StandardCharsets.UTF_8),
                    "after".getBytes(StandardCharsets.UTF_8))).get(60, TimeUnit.SECONDS).offset();
                // key-0's previous value stays until this record's segment is sealed and compacted in turn.
                expected.add(new Kept(offset, "after"));
            }
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            List<Kept> read = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : Clients.readFromStart(cluster.bootstrap(), List.of(tp),
                    expected.size(), Duration.ofSeconds(60))) {
                read.add(new Kept(r.offset(), r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8)));
            }
            assertEquals(expected, read);
        }
    }

    /**
     * What one replica's segment files hold (read straight from disk: followers serve no fetches), in log order; it
     * stops at the first entry that is not complete yet. A record of a batch carries its own offset.
     */
    private static List<Kept> held(Path dataDir) throws Exception {
        Path topicDir = dataDir.resolve("kafka").resolve(TOPIC);
        List<Kept> out = new ArrayList<>();
        if (!Files.isDirectory(topicDir)) {
            return out;
        }
        Path logDir;
        try (Stream<Path> dirs = Files.list(topicDir)) {
            logDir = dirs.filter(d -> d.getFileName().toString().startsWith("0_")).findFirst().orElseThrow();
        }
        List<Path> segments;
        try (Stream<Path> files = Files.list(logDir)) {
            segments = files.filter(f -> f.getFileName().toString().matches("\\d{20}\\.log")).sorted().toList();
        }
        for (Path segment : segments) {
            ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(segment));
            int pos = 0;
            while (pos + EntryHeader.SIZE <= file.limit()
                    && EntryHeader.shape(file, pos, Integer.MAX_VALUE) == EntryHeader.Shape.PLAUSIBLE) {
                EntryHeader h = EntryHeader.read(file, pos);
                if (pos + h.totalSize() > file.limit()) {
                    break;
                }
                ByteBuffer payload = file.slice(pos + EntryHeader.SIZE, h.length());
                if (!EntryHeader.crcMatches(file, pos, payload)) {
                    break;
                }
                if (h.type() == EntryType.DATA) {
                    for (RecordBatch b : MemoryRecords.readableRecords(payload).batches()) {
                        for (Record r : b) {
                            out.add(new Kept(r.offset(), r.hasValue() ? StandardCharsets.UTF_8.decode(r.value()).toString() : null));
                        }
                    }
                }
                pos += h.totalSize();
            }
        }
        return out;
    }
}
