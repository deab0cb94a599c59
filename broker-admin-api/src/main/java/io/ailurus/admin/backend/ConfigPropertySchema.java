package io.ailurus.admin.backend;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * One property in {@code GET /v1/cluster_config/schema}, following Redpanda's
 * {@code cluster_config_property_metadata}. Null fields are left out of the JSON.
 *
 * @param type value syntax: {@code string, integer, number, boolean, array, object}
 * @param visibility {@code user}, {@code tunable} or {@code deprecated}
 * @param defaultValue the default, shown as {@code default}
 * @param items element type for arrays, else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConfigPropertySchema(
        String type,
        String description,
        boolean nullable,
        boolean needsRestart,
        String visibility,
        boolean isSecret,
        String units,
        String example,
        List<String> enumValues,
        @JsonProperty("default") Object defaultValue,
        Items items,
        List<String> aliases) {

    public ConfigPropertySchema {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(visibility, "visibility");
        enumValues = enumValues == null ? null : List.copyOf(enumValues);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }

    /** The scalar type of array elements. */
    public record Items(String type) {
    }
}
