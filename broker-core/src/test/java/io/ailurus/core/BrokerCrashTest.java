package io.ailurus.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.testing.BrokerProcess;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker process is {@code kill -9}ed while an {@code acks=all} producer runs; after a restart on
 * the same data every acknowledged record must be there.
 */
class BrokerCrashTest {
    private static final String TOPIC = "crash";
    private static final int PARTITIONS = 4;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedRecordSurvivesKillDashNine() throws Exception {
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        int port;
        int rpcPort;
        try (BrokerProcess broker = BrokerProcess.start(dir, 0)) {
            port = broker.kafkaPort();
            rpcPort = broker.rpcPort();
            try (Admin admin = Admin.create(props(broker.bootstrap()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            Properties p = props(broker.bootstrap());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5000);
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
                long killAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500 + ThreadLocalRandom.current().nextInt(1500));
                long seq = 0;
                while (System.nanoTime() < killAtNanos) {
                    long id = seq++;
                    producer.send(new ProducerRecord<>(TOPIC, (int) (id % PARTITIONS), null, ByteBuffer.allocate(8).putLong(id).array()),
                        (md, err) -> {
                            if (err == null) {
                                acknowledged.add(id);
                            }
                        });
                    if (id % 1000 == 0) {
                        Thread.sleep(1);
                    }
                }
                broker.kill9();
                producer.close(Duration.ofSeconds(10));
            }
        }
        assertTrue(acknowledged.size() > 100, "the producer got acknowledgements before the kill: " + acknowledged.size());

        try (BrokerProcess restarted = BrokerProcess.start(dir, port, rpcPort)) {
            Set<Long> read = new java.util.HashSet<>();
            Properties c = props(restarted.bootstrap());
            c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
                List<TopicPartition> tps = new ArrayList<>();
                for (int i = 0; i < PARTITIONS; i++) {
                    tps.add(new TopicPartition(TOPIC, i));
                }
                consumer.assign(tps);
                consumer.seekToBeginning(tps);
                var end = consumer.endOffsets(tps);
                long total = end.values().stream().mapToLong(Long::longValue).sum();
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                long polled = 0;
                while (polled < total && System.nanoTime() < deadline) {
                    for (var r : consumer.poll(Duration.ofMillis(500))) {
                        read.add(ByteBuffer.wrap(r.value()).getLong());
                        polled++;
                    }
                }
            }
            Set<Long> lost = new java.util.TreeSet<>(acknowledged);
            lost.removeAll(read);
            System.out.printf("acknowledged=%d read=%d lost=%d%n", acknowledged.size(), read.size(), lost.size());
            assertEquals(Set.of(), lost, "acknowledged records missing after kill -9 and restart");
        }
    }

    private static Properties props(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }
}
