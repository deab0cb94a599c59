package io.ailurus.core.admin;

import io.ailurus.admin.backend.ConfigPropertySchema;
import io.ailurus.core.config.ConfigKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Translates cluster property values between the broker's typed keys and the admin API's JSON: a
 * value goes out as a JSON boolean, number, string or array according to its type, and comes in
 * as whatever JSON the operator sent, turned into the text form the key parses (so the admin API,
 * AlterConfigs and the YAML file share one validation).
 */
final class ClusterConfigValues {
    private ClusterConfigValues() {}

    /** A typed value as JSON: Boolean, Number, String and List pass through; anything else as its text. */
    static Object toJson(ConfigKey<?> key, Object value) {
        if (value == null || value instanceof Boolean || value instanceof Number || value instanceof String) {
            return value;
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return key.format(value);
    }

    /**
     * The text form of a JSON value for {@code key.parse}. Arrays become comma-separated lists (as
     * Kafka writes list properties); null becomes "null", which only nullable keys accept.
     *
     * @throws IllegalArgumentException for a JSON object, which no cluster property takes
     */
    static String fromJson(Object json) {
        if (json == null) {
            return "null";
        }
        if (json instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        if (json instanceof Map<?, ?>) {
            throw new IllegalArgumentException("expected a scalar or an array, found a JSON object");
        }
        return String.valueOf(json);
    }

    /** The schema entry of one key, in Redpanda's {@code cluster_config_property_metadata} shape. */
    static ConfigPropertySchema schema(ConfigKey<?> key) {
        String type = jsonType(key.type().name());
        return new ConfigPropertySchema(
            type,
            key.doc(),
            key.nullable(),
            key.needsRestart(),
            "user",
            false,
            units(key.name()),
            null,
            null,
            toJson(key, key.defaultValue()),
            type.equals("array") ? new ConfigPropertySchema.Items("string") : null,
            List.of());
    }

    /** Our type names (ConfigTypes) mapped to the JSON types Redpanda's schema uses. */
    private static String jsonType(String ours) {
        return switch (ours) {
            case "boolean" -> "boolean";
            case "integer", "long", "size" -> "integer";
            case "double" -> "number";
            case "list" -> "array";
            default -> "string";
        };
    }

    /** Units follow from our naming convention (the suffix), as Redpanda's schema states them. */
    private static String units(String name) {
        if (name.endsWith("_ms")) {
            return "ms";
        }
        if (name.endsWith("_sec")) {
            return "s";
        }
        if (name.endsWith("_bytes") || name.endsWith("_size") || name.endsWith("_step")) {
            return "bytes";
        }
        return null;
    }
}
