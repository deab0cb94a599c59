package io.ailurus.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value together with where it was written, so that every configuration error can point
 * at a file, line and column. Scalars keep their text; the key's {@link ConfigType} decides what
 * the text means.
 */
public sealed interface YamlNode {

    /** Where the node starts, e.g. {@code ailurus.yaml:7:13}. */
    Location location();

    /** A short word for the node's shape, for "expected a list, found a scalar" messages. */
    String kind();

    /** A file position (1-based line and column). */
    record Location(String source, int line, int column) {
        @Override
        public String toString() {
            return line > 0 ? source + ":" + line + ":" + column : source;
        }
    }

    /** A plain or quoted scalar; {@code text} is null for YAML's {@code null}/{@code ~}/empty. */
    record Scalar(String text, Location location) implements YamlNode {
        public boolean isNull() {
            return text == null;
        }

        @Override
        public String kind() {
            return isNull() ? "null" : "a scalar";
        }
    }

    /** A mapping, in file order; each entry also remembers where its key was written. */
    record MapNode(Map<String, Entry> entries, Location location) implements YamlNode {
        public MapNode {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        @Override
        public String kind() {
            return "a mapping";
        }
    }

    /** One key of a {@link MapNode}. */
    record Entry(String key, Location keyLocation, YamlNode value) {}

    /** A sequence. */
    record ListNode(List<YamlNode> items, Location location) implements YamlNode {
        public ListNode {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }
}
