package io.ailurus.core.config;

/**
 * Where a config value came from. The Kafka-facing names and wire ids follow Kafka's
 * DescribeConfigs {@code ConfigSource}, so a DescribeConfigs handler can put {@link #kafkaId()}
 * straight on the wire.
 */
public enum ConfigSource {
    /** A topic-level override (Kafka {@code DYNAMIC_TOPIC_CONFIG}). */
    DYNAMIC_TOPIC_CONFIG(1),
    /** A cluster property changed at run time through the admin API or AlterConfigs (Kafka {@code DYNAMIC_DEFAULT_BROKER_CONFIG}). */
    DYNAMIC_DEFAULT_BROKER_CONFIG(3),
    /** A value from the YAML file or a start flag (Kafka {@code STATIC_BROKER_CONFIG}). */
    STATIC_BROKER_CONFIG(4),
    /** The built-in default (Kafka {@code DEFAULT_CONFIG}). */
    DEFAULT_CONFIG(5);

    private final byte kafkaId;

    ConfigSource(int kafkaId) {
        this.kafkaId = (byte) kafkaId;
    }

    /** The id DescribeConfigs puts on the wire. */
    public byte kafkaId() {
        return kafkaId;
    }
}
