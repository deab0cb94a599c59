package io.ailurus.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.config.ClusterConfigKeys;
import io.ailurus.core.config.ConfigSource;
import io.ailurus.core.testing.Clients;
import io.ailurus.core.testing.EmbeddedBroker;
import io.ailurus.core.testing.RawKafkaConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Topic auto-creation: off by default (a typo in a topic name must fail, not create a topic), and
 * when {@code auto_create_topics_enabled} is on, a producer's metadata request creates the topic
 * with {@code default_topic_partitions}.
 */
class AutoCreateTopicsIntegrationTest {
    @TempDir
    Path dir;

    private static MetadataResponseData.MetadataResponseTopic metadataAllowingCreation(EmbeddedBroker broker, String topic)
            throws Exception {
        short version = 12;
        try (RawKafkaConnection raw = new RawKafkaConnection("127.0.0.1", broker.broker().kafkaAddress().getPort(),
                Duration.ofSeconds(30))) {
            MetadataRequestData request = new MetadataRequestData().setAllowAutoTopicCreation(true);
            request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(topic));
            raw.sendFrame(raw.encode(ApiKeys.METADATA, version, request));
            MetadataResponseData response = new MetadataResponseData(
                new ByteBufferAccessor(raw.receive(ApiKeys.METADATA, version)), version);
            return response.topics().iterator().next();
        }
    }

    @Test
    void offByDefaultAProducerToAMissingTopicTimesOutAndNothingIsCreated() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(dir).start()) {
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), metadataAllowingCreation(broker, "typo").errorCode());
            try (var producer = Clients.producer(broker.bootstrap(), Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3000))) {
                ExecutionException e = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("typo", "v".getBytes())).get(30, TimeUnit.SECONDS));
                assertInstanceOf(TimeoutException.class, e.getCause());
            }
            try (Admin admin = Clients.admin(broker.bootstrap())) {
                assertFalse(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("typo"));
            }
        }
    }

    @Test
    void whenEnabledAProducerCreatesTheTopicWithTheDefaultPartitionCount() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(dir, c -> c.withAll(Map.of(
                ClusterConfigKeys.AUTO_CREATE_TOPICS_ENABLED, true,
                ClusterConfigKeys.DEFAULT_TOPIC_PARTITIONS, 3), ConfigSource.STATIC_BROKER_CONFIG)).start()) {
            // A client that does not allow auto-creation (the consumer's allow.auto.create.topics=false) creates nothing.
            try (var consumer = Clients.consumer(broker.bootstrap(), Map.of(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false))) {
                consumer.partitionsFor("not-wanted", Duration.ofSeconds(5));
            } catch (TimeoutException expected) {
                // the client waits for a topic that does not appear
            }
            try (var producer = Clients.producer(broker.bootstrap(), Map.of())) {
                RecordMetadata md = producer.send(new ProducerRecord<>("auto-made", 2, null, "v".getBytes()))
                    .get(30, TimeUnit.SECONDS);
                assertEquals(0, md.offset());
            }
            try (Admin admin = Clients.admin(broker.bootstrap())) {
                var names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                assertTrue(names.contains("auto-made"));
                assertFalse(names.contains("not-wanted"));
                assertEquals(3, admin.describeTopics(List.of("auto-made")).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get("auto-made").partitions().size());
            }
            var read = Clients.readFromStart(broker.bootstrap(), Clients.partitions("auto-made", 3), 1, Duration.ofSeconds(30));
            assertEquals(1, read.size());
            assertEquals(2, read.get(0).partition());
            // An invalid name is refused even with auto-creation on.
            assertEquals(Errors.INVALID_TOPIC_EXCEPTION.code(), metadataAllowingCreation(broker, "bad/name").errorCode());
        }
    }
}
