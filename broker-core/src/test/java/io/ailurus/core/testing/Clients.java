package io.ailurus.core.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Apache Kafka's Java clients, configured the way the integration tests use them: byte-array
 * serdes, {@code acks=all}, and consumers that {@code assign()} partitions without a group (consumer
 * groups are tested on their own).
 */
public final class Clients {
    private Clients() {}

    public static Properties base(String bootstrap) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    public static Admin admin(String bootstrap) {
        return Admin.create(base(bootstrap));
    }

    public static KafkaProducer<byte[], byte[]> producer(String bootstrap, Map<String, Object> extra) {
        Properties p = base(bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.putAll(extra);
        return new KafkaProducer<>(p);
    }

    public static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, Map<String, Object> extra) {
        Properties p = base(bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.putAll(extra);
        return new KafkaConsumer<>(p);
    }

    public static void createTopic(String bootstrap, String name, int partitions, Map<String, String> configs)
            throws Exception {
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                .all().get(60, TimeUnit.SECONDS);
        }
    }

    public static List<TopicPartition> partitions(String topic, int count) {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        return tps;
    }

    /**
     * Polls an already assigned and positioned consumer until {@code enough} says so or {@code limit}
     * passes; returns what was read, per partition, in the order read.
     */
    public static Map<Integer, List<ConsumerRecord<byte[], byte[]>>> pollUntil(
            KafkaConsumer<byte[], byte[]> c, Duration limit,
            Predicate<Map<Integer, List<ConsumerRecord<byte[], byte[]>>>> enough) {
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> got = new HashMap<>();
        long deadline = System.nanoTime() + limit.toNanos();
        while (!enough.test(got) && System.nanoTime() < deadline) {
            for (var r : c.poll(Duration.ofMillis(200))) {
                got.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(r);
            }
        }
        return got;
    }

    /** Reads {@code expected} records in total from the start of the given partitions (bounded by {@code limit}). */
    public static List<ConsumerRecord<byte[], byte[]>> readFromStart(String bootstrap, List<TopicPartition> tps,
                                                                     int expected, Duration limit) {
        try (var c = consumer(bootstrap, Map.of())) {
            c.assign(tps);
            c.seekToBeginning(tps);
            var got = pollUntil(c, limit, m -> m.values().stream().mapToInt(List::size).sum() >= expected);
            List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
            got.values().forEach(all::addAll);
            return all;
        }
    }
}
