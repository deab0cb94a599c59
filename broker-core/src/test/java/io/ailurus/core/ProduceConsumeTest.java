package io.ailurus.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ailurus.core.testing.EmbeddedBroker;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Kafka's own Java producer, consumer and admin client against a real broker on loopback. */
class ProduceConsumeTest {
    @TempDir
    Path dir;
    EmbeddedBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = new EmbeddedBroker(dir).start();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private Admin admin() {
        return Admin.create(broker.clientProps());
    }

    private KafkaProducer<byte[], byte[]> producer(Map<String, Object> extra) {
        Properties p = broker.clientProps();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.putAll(extra);
        return new KafkaProducer<>(p);
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = broker.clientProps();
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p);
    }

    static byte[] value(int partition, int i) {
        return ByteBuffer.allocate(12).putInt(partition).putLong(i).array();
    }

    /** Reads every partition from the start until {@code perPartition} records each, bounded in time. */
    static Map<Integer, List<ConsumerRecord<byte[], byte[]>>> readAll(KafkaConsumer<byte[], byte[]> c, String topic,
                                                                       int partitions, int perPartition) {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        c.assign(tps);
        c.seekToBeginning(tps);
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> got = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        int total = 0;
        while (total < partitions * perPartition && System.nanoTime() < deadline) {
            for (var r : c.poll(Duration.ofMillis(500))) {
                got.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(r);
                total++;
            }
        }
        return got;
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void everyCompressionCodecRoundTrips(String codec) throws Exception {
        String topic = "codec-" + codec;
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        int n = 2000;
        try (var producer = producer(Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec, ProducerConfig.LINGER_MS_CONFIG, 5))) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, i % 2, null, value(i % 2, i))));
            }
            for (var f : acks) {
                f.get();
            }
        }
        try (var consumer = consumer()) {
            var got = readAll(consumer, topic, 2, n / 2);
            for (int p = 0; p < 2; p++) {
                List<ConsumerRecord<byte[], byte[]>> records = got.get(p);
                assertEquals(n / 2, records.size(), "partition " + p);
                for (int k = 0; k < records.size(); k++) {
                    assertEquals(k, records.get(k).offset());
                    assertArrayEquals(value(p, 2 * k + p), records.get(k).value());
                }
            }
        }
    }

    @Test
    void keyedRecordsLandWhereTheClientsPartitionerPutsThem() throws Exception {
        String topic = "keyed";
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
        }
        Map<String, Integer> partitionOfKey = new HashMap<>();
        try (var producer = producer(Map.of())) {
            for (int i = 0; i < 200; i++) {
                String key = "key-" + (i % 20);
                RecordMetadata md = producer.send(new ProducerRecord<>(topic, key.getBytes(), value(0, i))).get();
                Integer before = partitionOfKey.putIfAbsent(key, md.partition());
                if (before != null) {
                    assertEquals(before, md.partition(), "the same key always goes to the same partition");
                }
            }
        }
        try (var consumer = consumer()) {
            List<TopicPartition> tps = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1),
                new TopicPartition(topic, 2), new TopicPartition(topic, 3));
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            int total = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (total < 200 && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    assertEquals(partitionOfKey.get(new String(r.key())), r.partition());
                    total++;
                }
            }
            assertEquals(200, total);
        }
    }
}
