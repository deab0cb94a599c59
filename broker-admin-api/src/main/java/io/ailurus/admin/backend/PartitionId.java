package io.ailurus.admin.backend;

import java.util.Objects;

/**
 * A partition's name: namespace ({@code kafka} for user topics, as in Redpanda), topic and
 * partition number.
 */
public record PartitionId(String ns, String topic, int partition) {

    /** The namespace of ordinary Kafka topics. */
    public static final String KAFKA_NAMESPACE = "kafka";

    public PartitionId {
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(topic, "topic");
        if (partition < 0) {
            throw new IllegalArgumentException("negative partition: " + partition);
        }
    }

    public static PartitionId kafka(String topic, int partition) {
        return new PartitionId(KAFKA_NAMESPACE, topic, partition);
    }

    /** {@code ns/topic/partition}, the form health lists use. */
    @Override
    public String toString() {
        return ns + "/" + topic + "/" + partition;
    }
}
