package io.ailurus.admin.metrics;

/** The {@code request} label of the Kafka request meters (Redpanda's {@code redpanda_request}). */
public enum KafkaRequestKind {
    PRODUCE("produce"),
    CONSUME("consume");

    private final String label;

    KafkaRequestKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
