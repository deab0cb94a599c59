package io.ailurus.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ailurus.core.testing.EmbeddedBroker;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stop the broker cleanly, start it on the same data: topics, configs and every record are there. */
class RestartTest {
    @TempDir
    Path dir;

    @Test
    void topicsConfigsAndRecordsSurviveARestart() throws Exception {
        int n = 5000;
        try (EmbeddedBroker broker = new EmbeddedBroker(dir).start()) {
            try (Admin admin = Admin.create(broker.clientProps())) {
                admin.createTopics(List.of(new NewTopic("kept", 3, (short) 1)
                    .configs(Map.of("retention.ms", "123456789")))).all().get();
            }
            try (var producer = producer(broker)) {
                for (int i = 0; i < n; i++) {
                    producer.send(new ProducerRecord<>("kept", i % 3, null, bytes(i)));
                }
                producer.flush();
            }
            broker.stop();
            broker.start();

            try (Admin admin = Admin.create(broker.clientProps())) {
                TopicDescription d = admin.describeTopics(List.of("kept")).allTopicNames().get().get("kept");
                assertEquals(3, d.partitions().size());
                var configs = admin.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "kept"))).all().get();
                assertEquals("123456789", configs.values().iterator().next().get("retention.ms").value());
            }
            List<ConsumerRecord<byte[], byte[]>> read = readAll(broker, "kept", 3, n);
            assertEquals(n, read.size());
            long[] next = new long[3];
            for (var r : read) {
                assertEquals(next[r.partition()]++, r.offset(), "offsets are dense and in order");
                int i = ByteBuffer.wrap(r.value()).getInt();
                assertEquals(r.partition(), i % 3);
                assertArrayEquals(bytes(i), r.value());
            }
        }
    }

    /** The idempotent producer (the client default) retries across a restart without duplicating anything. */
    @Test
    void idempotentProducerSurvivesARestartWithoutDuplicates() throws Exception {
        int n = 4000;
        try (EmbeddedBroker broker = new EmbeddedBroker(dir).start()) {
            try (Admin admin = Admin.create(broker.clientProps())) {
                admin.createTopics(List.of(new NewTopic("idem", 2, (short) 1))).all().get();
            }
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            try (var producer = producer(broker)) {
                for (int i = 0; i < n / 2; i++) {
                    acks.add(producer.send(new ProducerRecord<>("idem", i % 2, null, bytes(i))));
                }
                producer.flush();
                broker.stop();
                broker.start();
                for (int i = n / 2; i < n; i++) {
                    acks.add(producer.send(new ProducerRecord<>("idem", i % 2, null, bytes(i))));
                }
                producer.flush();
                for (var f : acks) {
                    f.get();
                }
            }
            List<ConsumerRecord<byte[], byte[]>> read = readAll(broker, "idem", 2, n);
            assertEquals(n, read.size(), "no record lost, none duplicated");
            java.util.Set<Integer> distinct = new java.util.HashSet<>();
            read.forEach(r -> distinct.add(ByteBuffer.wrap(r.value()).getInt()));
            assertEquals(n, distinct.size());
        }
    }

    static byte[] bytes(int i) {
        return ByteBuffer.allocate(100).putInt(i).array();
    }

    static KafkaProducer<byte[], byte[]> producer(EmbeddedBroker broker) {
        Properties p = broker.clientProps();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p);
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(EmbeddedBroker broker, String topic, int partitions, int expected) {
        Properties p = broker.clientProps();
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                tps.add(new TopicPartition(topic, i));
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            // One more short poll: anything beyond the expected count would be a duplicate.
            c.poll(Duration.ofMillis(300)).forEach(out::add);
        }
        return out;
    }
}
