package io.ailurus.core.config;

import java.util.List;

/**
 * One entry of a DescribeConfigs answer: a property's effective value, where it came from, and its
 * synonyms (the override, the cluster property, the built-in default) in order of precedence.
 *
 * @param name          the property name
 * @param value         effective value in text form
 * @param source        where the effective value came from
 * @param readOnly      whether AlterConfigs may change it
 * @param sensitive     whether the value must be hidden (passwords); no topic property is
 * @param type          the Kafka config type
 * @param documentation what the property means
 * @param synonyms      every level that has a value for it, most specific first
 */
public record DescribedConfig(String name, String value, ConfigSource source, boolean readOnly, boolean sensitive,
        KafkaConfigType type, String documentation, List<Synonym> synonyms) {

    public DescribedConfig {
        synonyms = List.copyOf(synonyms);
    }

    /**
     * One level's value for a property.
     *
     * @param name   the property's name at that level ({@code retention.ms}, {@code log_retention_ms})
     * @param value  the value there, in text form
     * @param source which level
     */
    public record Synonym(String name, String value, ConfigSource source) {}
}
