package io.ailurus.rpk.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ailurus.rpk.AdminApiClient;
import io.ailurus.rpk.RpkException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cluster property values between the command line, YAML files and the admin API: text typed on
 * the command line is read according to the property's schema type, export writes one documented
 * YAML line per property, import diffs a file against the cluster.
 */
final class ConfigValues {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigValues() {}

    /** How rpk prints a value: scalars bare, lists as {@code [a, b]}, null as {@code null}. */
    static String show(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(i -> items.add(i.asText()));
            return "[" + String.join(", ", items) + "]";
        }
        return v.asText();
    }

    /** Reads command-line text as the JSON value the property's schema type calls for. */
    static Object parse(String key, String text, JsonNode schema) {
        JsonNode prop = schema.path("properties").path(key);
        if (prop.isMissingNode()) {
            // Let the broker reject it with its own reason (and suggestion).
            return text;
        }
        if (text.equalsIgnoreCase("null") && prop.path("nullable").asBoolean()) {
            return null;
        }
        String type = prop.path("type").asText("string");
        try {
            return switch (type) {
                case "integer" -> Long.parseLong(text.trim());
                case "number" -> Double.parseDouble(text.trim());
                case "boolean" -> {
                    if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                        throw new NumberFormatException();
                    }
                    yield Boolean.parseBoolean(text);
                }
                case "array" -> {
                    String body = text.trim();
                    if (body.startsWith("[") && body.endsWith("]")) {
                        body = body.substring(1, body.length() - 1);
                    }
                    yield Arrays.stream(body.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
                }
                default -> text;
            };
        } catch (NumberFormatException e) {
            throw new RpkException("invalid value '" + text + "' for " + key + ": expected " + type);
        }
    }

    /** One property per line, each under a comment with its description; JSON values are valid YAML. */
    static String toYaml(JsonNode values, JsonNode schema) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Ailurus cluster configuration. Edit values and apply with: rpk cluster config import --filename FILE\n");
        sb.append("# Removing a line resets that property to its default.\n\n");
        Map<String, JsonNode> sorted = new TreeMap<>();
        values.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
        for (var e : sorted.entrySet()) {
            JsonNode prop = schema.path("properties").path(e.getKey());
            String doc = prop.path("description").asText("");
            if (!doc.isEmpty()) {
                sb.append("# ").append(doc.replace("\n", " ")).append('\n');
            }
            sb.append(e.getKey()).append(": ").append(e.getValue().toString()).append("\n\n");
        }
        return sb.toString();
    }

    static Map<String, JsonNode> readYaml(Path file) {
        try {
            JsonNode root = YAML.readTree(Files.readString(file));
            Map<String, JsonNode> out = new LinkedHashMap<>();
            if (root == null || root.isNull() || root.isMissingNode()) {
                return out;
            }
            if (!root.isObject()) {
                throw new RpkException(file + ": expected a mapping of property names to values");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                var e = it.next();
                out.put(e.getKey(), e.getValue());
            }
            return out;
        } catch (IOException e) {
            throw new RpkException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The patch that makes the cluster match {@code wanted}; properties not in the file go back to defaults. */
    static Map<String, Object> diff(Map<String, JsonNode> wanted, JsonNode current, JsonNode changed) {
        Map<String, Object> upsert = new LinkedHashMap<>();
        for (var e : wanted.entrySet()) {
            JsonNode now = current.get(e.getKey());
            if (now == null || !sameValue(now, e.getValue())) {
                upsert.put(e.getKey(), AdminApiClient.JSON.convertValue(e.getValue(), Object.class));
            }
        }
        List<String> remove = new ArrayList<>();
        changed.fieldNames().forEachRemaining(k -> {
            if (!wanted.containsKey(k)) {
                remove.add(k);
            }
        });
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("upsert", upsert);
        patch.put("remove", remove);
        return patch;
    }

    /** YAML reads 5 as an int and the API may say 5 as a long: compare numbers by value. */
    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    static String applied(JsonNode answer) {
        return "Successfully updated configuration. New configuration version is "
            + answer.path("config_version").asLong() + ".";
    }
}
