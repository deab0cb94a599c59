package io.ailurus.core.config;

import java.util.Objects;

/**
 * One topic-level property with its Kafka name ({@code retention.ms}), type, rule and the
 * cluster property its default comes from ({@code log_retention_ms}), as a Kafka broker's
 * DescribeConfigs reports them.
 *
 * @param name           Kafka's name
 * @param type           value type (the range is part of it)
 * @param clusterDefault the cluster property giving the default, or null when the default is fixed
 * @param fixedDefault   the default's text when there is no cluster property, or the text used when
 *                       the cluster property is null (e.g. {@code -1} for "no limit")
 * @param validator      a rule beyond the type
 * @param doc            what it means here
 * @param effective      false for keys accepted for compatibility with Kafka tools but without effect
 * @param <T>            the Java type of the value
 */
public record TopicConfigKey<T>(String name, ConfigType<T> type, ConfigKey<?> clusterDefault, String fixedDefault,
        Validator<T> validator, String doc, boolean effective) {

    public TopicConfigKey {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
        Objects.requireNonNull(validator);
        Objects.requireNonNull(doc);
        if (clusterDefault == null && fixedDefault == null) {
            throw new IllegalArgumentException(name + ": needs a default");
        }
    }

    /** Parses and checks a value in text form. */
    public T parse(String text) throws BadValueException {
        T value = type.parse(text);
        String problem = validator.check(value);
        if (problem != null) {
            throw new BadValueException(problem);
        }
        return value;
    }

    /** The default's text given the cluster's current properties. */
    public String defaultText(ClusterConfig cluster) {
        if (clusterDefault == null) {
            return fixedDefault;
        }
        Object v = cluster.get(clusterDefault);
        return v == null ? fixedDefault : clusterDefault.format(v);
    }

    /** Text form of a value of this key. */
    public String format(Object value) {
        @SuppressWarnings("unchecked")
        T v = (T) value;
        return type.format(v);
    }
}
