package io.ailurus.core.group;

import io.ailurus.core.config.ClusterConfig;
import io.ailurus.core.config.ClusterConfigKeys;
import io.ailurus.core.config.ConfigSource;
import io.ailurus.core.testing.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Brokers and clients set up the way the group tests need them: short timeouts, small delays. */
final class GroupTesting {
    private GroupTesting() {}

    /** A broker whose groups react quickly: 1 s minimum session, {@code initialDelayMs} debounce, 300 ms KIP-848 heartbeats. */
    static EmbeddedBroker broker(Path dir, int initialDelayMs) {
        return new EmbeddedBroker(dir, c -> quick(c, initialDelayMs));
    }

    static ClusterConfig quick(ClusterConfig c, int initialDelayMs) {
        return c.with(ClusterConfigKeys.GROUP_INITIAL_REBALANCE_DELAY, initialDelayMs, ConfigSource.STATIC_BROKER_CONFIG)
            .with(ClusterConfigKeys.GROUP_MIN_SESSION_TIMEOUT_MS, 1000, ConfigSource.STATIC_BROKER_CONFIG)
            .with(ClusterConfigKeys.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, 300, ConfigSource.STATIC_BROKER_CONFIG)
            .with(ClusterConfigKeys.GROUP_CONSUMER_SESSION_TIMEOUT_MS, 6000, ConfigSource.STATIC_BROKER_CONFIG);
    }

    static void createTopic(EmbeddedBroker broker, String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(broker.clientProps())) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(p);
    }

    /** A group consumer with manual commits; {@code protocol} is "classic" or "consumer". */
    static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String group, String protocol, Map<String, Object> extra) {
        Properties p = consumerProps(bootstrap, group, protocol);
        p.putAll(extra);
        return new KafkaConsumer<>(p);
    }

    static Properties consumerProps(String bootstrap, String group, String protocol) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if ("classic".equals(protocol)) {
            p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000);
            p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 300);
        }
        return p;
    }

    /** Waits until {@code condition} holds; false when {@code timeout} passes first. */
    static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
