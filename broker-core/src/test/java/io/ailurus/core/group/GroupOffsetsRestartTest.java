package io.ailurus.core.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.testing.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Committed offsets live in the controller group: after a restart (from the snapshot and from the
 * log's tail) OffsetFetch returns them exactly, consumers resume where they left off, and a
 * deleted topic's offsets are gone.
 */
class GroupOffsetsRestartTest {
    @TempDir
    Path dir;

    @Test
    void offsetsSurviveARestartAndConsumersResumeWhereTheyLeft() throws Exception {
        try (EmbeddedBroker broker = GroupTesting.broker(dir, 0).start()) {
            GroupTesting.createTopic(broker, "orders", 3);
            GroupTesting.createTopic(broker, "doomed", 1);
            try (KafkaProducer<byte[], byte[]> p = GroupTesting.producer(broker.bootstrap())) {
                for (int i = 0; i < 300; i++) {
                    p.send(new ProducerRecord<>("orders", i % 3, null, new byte[] {(byte) i}));
                }
                p.send(new ProducerRecord<>("doomed", 0, null, new byte[1]));
                p.flush();
            }
            Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
            try (KafkaConsumer<byte[], byte[]> c = GroupTesting.consumer(broker.bootstrap(), "resume", "classic", Map.of())) {
                c.subscribe(List.of("orders", "doomed"));
                Map<TopicPartition, Long> next = new HashMap<>();
                Map<TopicPartition, Optional<Integer>> epochs = new HashMap<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (next.values().stream().mapToLong(Long::longValue).sum() < 150 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                        next.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max);
                        epochs.put(new TopicPartition(r.topic(), r.partition()), r.leaderEpoch());
                    }
                }
                // Commit part-way through, with metadata and the records' leader epoch, as stream processors do.
                next.forEach((tp, o) -> committed.put(tp, new OffsetAndMetadata(Math.min(o, 40 + tp.partition()),
                    epochs.get(tp), "checkpoint-" + tp)));
                c.commitSync(committed);
            }
            broker.broker().controller().snapshot().get(30, TimeUnit.SECONDS);
            // A second group commits after the snapshot: it comes back from the log's tail.
            try (KafkaConsumer<byte[], byte[]> c = GroupTesting.consumer(broker.bootstrap(), "after-snapshot", "classic", Map.of())) {
                c.assign(List.of(new TopicPartition("orders", 0)));
                c.commitSync(Map.of(new TopicPartition("orders", 0), new OffsetAndMetadata(7, "tail")));
            }

            broker.stop();
            broker.start();

            try (Admin admin = Admin.create(broker.clientProps())) {
                Map<TopicPartition, OffsetAndMetadata> fetched = admin.listConsumerGroupOffsets("resume")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                assertEquals(committed, fetched, "offsets, leader epochs and metadata as committed");
                assertEquals(new OffsetAndMetadata(7, "tail"), admin.listConsumerGroupOffsets("after-snapshot")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).get(new TopicPartition("orders", 0)));
            }
            // A consumer of the same group starts exactly at the committed offsets.
            try (KafkaConsumer<byte[], byte[]> c = GroupTesting.consumer(broker.bootstrap(), "resume", "classic", Map.of())) {
                c.subscribe(List.of("orders"));
                Map<Integer, Long> first = new HashMap<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (first.size() < 3 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                        first.putIfAbsent(r.partition(), r.offset());
                    }
                }
                for (int p = 0; p < 3; p++) {
                    OffsetAndMetadata o = committed.get(new TopicPartition("orders", p));
                    if (o != null) {
                        assertEquals(o.offset(), first.get(p), "partition " + p + " resumes at its committed offset");
                    }
                }
            }
            // Deleting a topic deletes its committed offsets.
            assertTrue(committed.containsKey(new TopicPartition("doomed", 0)));
            try (Admin admin = Admin.create(broker.clientProps())) {
                admin.deleteTopics(List.of("doomed")).all().get(30, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetAndMetadata> left = admin.listConsumerGroupOffsets("resume")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                assertFalse(left.containsKey(new TopicPartition("doomed", 0)));
                assertEquals(3, left.size());
            }
        }
    }
}
