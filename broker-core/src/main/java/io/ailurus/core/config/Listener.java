package io.ailurus.core.config;

import java.util.Objects;

/**
 * A named network endpoint, as in Redpanda's {@code kafka_api} list: the name ties a listen
 * address to its advertised address (the entry of the same name in {@code advertised_kafka_api}).
 */
public record Listener(String name, HostPort address) {
    public Listener {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
    }

    @Override
    public String toString() {
        return name + "://" + address;
    }
}
