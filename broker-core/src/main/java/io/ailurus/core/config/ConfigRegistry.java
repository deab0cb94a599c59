package io.ailurus.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every node, tuning and cluster key the broker knows, looked up by section and name. The docs
 * table, the admin API's config schema and the YAML validation all read this one list.
 */
public final class ConfigRegistry {
    private static final Map<ConfigSection, Map<String, ConfigKey<?>>> BY_SECTION = build();

    private ConfigRegistry() {}

    private static Map<ConfigSection, Map<String, ConfigKey<?>>> build() {
        Map<ConfigSection, Map<String, ConfigKey<?>>> out = new LinkedHashMap<>();
        for (List<ConfigKey<?>> keys : List.of(NodeConfigKeys.ALL, TuningConfigKeys.ALL, ClusterConfigKeys.ALL)) {
            for (ConfigKey<?> k : keys) {
                Map<String, ConfigKey<?>> section = out.computeIfAbsent(k.section(), s -> new LinkedHashMap<>());
                if (section.put(k.name(), k) != null) {
                    throw new IllegalStateException("duplicate config key " + k.fullName());
                }
            }
        }
        out.replaceAll((s, m) -> Collections.unmodifiableMap(m));
        return Collections.unmodifiableMap(out);
    }

    /** All keys, node first, then tuning, then cluster. */
    public static List<ConfigKey<?>> all() {
        List<ConfigKey<?>> out = new ArrayList<>();
        BY_SECTION.values().forEach(m -> out.addAll(m.values()));
        return List.copyOf(out);
    }

    /** The keys of one section, in documentation order. */
    public static List<ConfigKey<?>> section(ConfigSection section) {
        return List.copyOf(BY_SECTION.getOrDefault(section, Map.of()).values());
    }

    /** The key called {@code name} in {@code section}. */
    public static Optional<ConfigKey<?>> find(ConfigSection section, String name) {
        return Optional.ofNullable(BY_SECTION.getOrDefault(section, Map.of()).get(name));
    }

    /** A cluster property by its plain name, as the admin API and rpk use it. */
    public static Optional<ConfigKey<?>> cluster(String name) {
        return find(ConfigSection.CLUSTER, name);
    }

    /**
     * The tail of an "unknown key" message: where the key belongs if it exists in another section,
     * else the closest name in this section, else nothing.
     */
    public static String hintFor(ConfigSection section, String unknown) {
        for (ConfigSection other : ConfigSection.values()) {
            if (other != section && BY_SECTION.getOrDefault(other, Map.of()).containsKey(unknown)) {
                return " ('" + unknown + "' belongs in the '" + other.yamlName() + ":' section)";
            }
        }
        return Suggestions.closest(unknown, BY_SECTION.getOrDefault(section, Map.of()).keySet())
                .map(s -> " (did you mean '" + s + "'?)")
                .orElse("");
    }
}
