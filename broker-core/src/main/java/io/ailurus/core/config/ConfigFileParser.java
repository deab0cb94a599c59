package io.ailurus.core.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a parsed YAML document into typed values: checks every section and key against the
 * {@link ConfigRegistry} and every value against its key's type and rule. Each error is one line
 * pointing at the file position.
 */
public final class ConfigFileParser {

    /**
     * The typed content of one file: node and tuning values, and the cluster properties it sets.
     *
     * @param nodeValues values of node and tuning keys given in the file
     * @param cluster    the cluster properties, those from the file marked {@link ConfigSource#STATIC_BROKER_CONFIG}
     */
    public record Parsed(Map<ConfigKey<?>, Object> nodeValues, ClusterConfig cluster) {}

    private ConfigFileParser() {}

    /**
     * @param root the document
     * @throws ConfigException for an unknown section or key or a bad value
     */
    public static Parsed parse(YamlNode.MapNode root) {
        Map<ConfigKey<?>, Object> node = new LinkedHashMap<>();
        Map<ConfigKey<?>, Object> clusterValues = new LinkedHashMap<>();
        YamlNode.Location clusterAt = null;
        for (YamlNode.Entry sectionEntry : root.entries().values()) {
            ConfigSection section = ConfigSection.byYamlName(sectionEntry.key());
            if (section == null) {
                throw unknownSection(sectionEntry);
            }
            YamlNode body = sectionEntry.value();
            if (body instanceof YamlNode.Scalar s && s.isNull()) {
                continue; // "cluster:" with nothing under it
            }
            if (!(body instanceof YamlNode.MapNode map)) {
                throw new ConfigException(body.location() + ": section '" + section.yamlName()
                        + ":' must be a mapping of keys to values, found " + body.kind());
            }
            for (YamlNode.Entry e : map.entries().values()) {
                ConfigKey<?> key = ConfigRegistry.find(section, e.key()).orElseThrow(() -> new ConfigException(
                        e.keyLocation() + ": unknown key '" + e.key() + "' in section '" + section.yamlName() + ":'"
                                + ConfigRegistry.hintFor(section, e.key())));
                Object value = read(key, e.value());
                if (section == ConfigSection.CLUSTER) {
                    clusterValues.put(key, value);
                    clusterAt = sectionEntry.keyLocation();
                } else {
                    node.put(key, value);
                }
            }
        }
        ClusterConfig cluster;
        try {
            cluster = ClusterConfig.defaults().withAll(clusterValues, ConfigSource.STATIC_BROKER_CONFIG);
        } catch (ConfigException e) {
            // Each value was checked on its own above; this is a clash between values of the section.
            throw new ConfigException(clusterAt + ": " + e.getMessage(), e);
        }
        return new Parsed(node, cluster);
    }

    private static Object read(ConfigKey<?> key, YamlNode value) {
        try {
            return key.fromYaml(value);
        } catch (BadValueException e) {
            YamlNode.Location at = e.location() != null ? e.location() : value.location();
            String text = e.value() != null ? e.value() : render(value);
            throw ConfigException.invalidValue(at.toString(), key.fullName(), text, e.expected());
        }
    }

    private static ConfigException unknownSection(YamlNode.Entry entry) {
        String name = entry.key();
        String hint;
        if (name.equals("redpanda")) {
            hint = " (Ailurus calls Redpanda's 'redpanda:' section 'ailurus:')";
        } else {
            hint = ConfigRegistry.all().stream().filter(k -> k.name().equals(name)).findFirst()
                    .map(k -> " ('" + name + "' is a key: put it under '" + k.section().yamlName() + ":')")
                    .orElseGet(() -> Arrays.stream(ConfigSection.values()).map(ConfigSection::yamlName)
                            .filter(s -> Suggestions.distance(s, name) <= 2).findFirst()
                            .map(s -> " (did you mean '" + s + "'?)").orElse(""));
        }
        String sections = Arrays.stream(ConfigSection.values()).map(ConfigSection::yamlName)
                .collect(Collectors.joining(", "));
        return new ConfigException(entry.keyLocation() + ": unknown section '" + name + "'; expected " + sections + hint);
    }

    /** A compact one-line rendering of a YAML value, for "invalid value" messages. */
    static String render(YamlNode node) {
        if (node instanceof YamlNode.Scalar s) {
            return s.isNull() ? "null" : s.text();
        }
        if (node instanceof YamlNode.ListNode l) {
            return l.items().stream().map(ConfigFileParser::render).collect(Collectors.joining(", ", "[", "]"));
        }
        YamlNode.MapNode m = (YamlNode.MapNode) node;
        return m.entries().values().stream().map(e -> e.key() + ": " + render(e.value()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
