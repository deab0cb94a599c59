package io.ailurus.core.config;

/**
 * The config value types of Kafka's DescribeConfigs response (v3+), with their wire ids, so a
 * handler can report each key's type the way Apache Kafka brokers do.
 */
public enum KafkaConfigType {
    UNKNOWN(0), BOOLEAN(1), STRING(2), INT(3), SHORT(4), LONG(5), DOUBLE(6), LIST(7), CLASS(8), PASSWORD(9);

    private final byte id;

    KafkaConfigType(int id) {
        this.id = (byte) id;
    }

    /** The id DescribeConfigs puts on the wire. */
    public byte id() {
        return id;
    }
}
