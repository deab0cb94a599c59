package io.ailurus.core.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The value types configuration keys use. Ranges are part of the type so that messages state them. */
public final class ConfigTypes {
    private ConfigTypes() {}

    /** {@code true} or {@code false}, as Kafka accepts them. */
    public static final ConfigType<Boolean> BOOLEAN = new Scalar<>("boolean", "true or false", KafkaConfigType.BOOLEAN) {
        @Override
        public Boolean parse(String text) throws BadValueException {
            String s = text.strip().toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("false")) {
                return Boolean.valueOf(s);
            }
            throw new BadValueException(expected());
        }
    };

    /** Any non-empty text. */
    public static final ConfigType<String> STRING = new Scalar<>("string", "a non-empty string", KafkaConfigType.STRING) {
        @Override
        public String parse(String text) throws BadValueException {
            if (text.isBlank()) {
                throw new BadValueException(expected());
            }
            return text.strip();
        }
    };

    /** A file-system path; relative paths are resolved by whoever reads the key. */
    public static final ConfigType<Path> PATH = new Scalar<>("path", "a file-system path", KafkaConfigType.STRING) {
        @Override
        public Path parse(String text) throws BadValueException {
            try {
                if (!text.isBlank()) {
                    return Path.of(text.strip());
                }
            } catch (InvalidPathException e) {
                // fall through
            }
            throw new BadValueException(expected());
        }
    };

    /** One address: {@code host:port} or, in YAML, {@code {address: HOST, port: PORT}}. */
    public static final ConfigType<HostPort> HOST_PORT = new HostPortType();

    /** The seed servers: the RPC addresses of the founding members. */
    public static final ConfigType<List<HostPort>> SEEDS = new SeedsType();

    /** An integer in {@code [min, max]}. */
    public static ConfigType<Integer> integer(int min, int max) {
        String expected = "an integer " + range(min, max, Integer.MAX_VALUE);
        return new Scalar<>("integer", expected, KafkaConfigType.INT) {
            @Override
            public Integer parse(String text) throws BadValueException {
                try {
                    int v = Integer.parseInt(text.strip());
                    if (v >= min && v <= max) {
                        return v;
                    }
                } catch (NumberFormatException e) {
                    // fall through
                }
                throw new BadValueException(expected());
            }
        };
    }

    /** A 64-bit integer in {@code [min, max]}. */
    public static ConfigType<Long> longInteger(long min, long max) {
        String expected = "an integer " + range(min, max, Long.MAX_VALUE);
        return new Scalar<>("long", expected, KafkaConfigType.LONG) {
            @Override
            public Long parse(String text) throws BadValueException {
                try {
                    long v = Long.parseLong(text.strip());
                    if (v >= min && v <= max) {
                        return v;
                    }
                } catch (NumberFormatException e) {
                    // fall through
                }
                throw new BadValueException(expected());
            }
        };
    }

    /** A decimal number in {@code [min, max]}. */
    public static ConfigType<Double> decimal(double min, double max) {
        String expected = "a number in [" + min + ", " + max + "]";
        return new Scalar<>("double", expected, KafkaConfigType.DOUBLE) {
            @Override
            public Double parse(String text) throws BadValueException {
                try {
                    double v = Double.parseDouble(text.strip());
                    if (v >= min && v <= max) {
                        return v;
                    }
                } catch (NumberFormatException e) {
                    // fall through
                }
                throw new BadValueException(expected());
            }

            @Override
            public String format(Double value) {
                return value.toString();
            }
        };
    }

    /** A byte count in {@code [min, max]}, written plainly or with a binary suffix ({@code 64M}). */
    public static ConfigType<Long> size(long min, long max) {
        String expected = ByteSize.EXPECTED + ", " + range(min, max, Long.MAX_VALUE).replace("in [", "within [");
        return new Scalar<>("size", expected, KafkaConfigType.LONG) {
            @Override
            public Long parse(String text) throws BadValueException {
                long v;
                try {
                    v = ByteSize.parse(text);
                } catch (BadValueException e) {
                    throw new BadValueException(expected());
                }
                if (v < min || v > max) {
                    throw new BadValueException(expected());
                }
                return v;
            }
        };
    }

    /** One of a fixed set of words, matched without regard to case and stored in the listed spelling. */
    public static ConfigType<String> oneOf(String... values) {
        String expected = "one of " + String.join(", ", values);
        return new Scalar<>("string", expected, KafkaConfigType.STRING) {
            @Override
            public String parse(String text) throws BadValueException {
                for (String v : values) {
                    if (v.equalsIgnoreCase(text.strip())) {
                        return v;
                    }
                }
                throw new BadValueException(expected());
            }
        };
    }

    /** A non-empty comma-separated subset of {@code values}, as Kafka's {@code cleanup.policy}. */
    public static ConfigType<List<String>> subsetOf(String... values) {
        String expected = "a comma-separated list of " + String.join(", ", values);
        ConfigType<String> item = oneOf(values);
        return new ConfigType<>() {
            @Override
            public String name() {
                return "list";
            }

            @Override
            public String expected() {
                return expected;
            }

            @Override
            public List<String> parse(String text) throws BadValueException {
                Set<String> out = new LinkedHashSet<>();
                for (String part : text.split(",", -1)) {
                    try {
                        out.add(item.parse(part));
                    } catch (BadValueException e) {
                        throw new BadValueException(expected);
                    }
                }
                return List.copyOf(out);
            }

            @Override
            public List<String> fromYaml(YamlNode node) throws BadValueException {
                if (node instanceof YamlNode.ListNode list) {
                    List<String> parts = new ArrayList<>();
                    for (YamlNode n : list.items()) {
                        if (!(n instanceof YamlNode.Scalar s) || s.isNull()) {
                            throw new BadValueException(expected, n.location(), null);
                        }
                        parts.add(s.text());
                    }
                    return parse(String.join(",", parts));
                }
                return ConfigType.super.fromYaml(node);
            }

            @Override
            public String format(List<String> value) {
                return String.join(",", value);
            }

            @Override
            public KafkaConfigType kafkaType() {
                return KafkaConfigType.LIST;
            }
        };
    }

    /**
     * Named listeners. Text form (flags): {@code [NAME://]HOST:PORT[,...]}. YAML: a list of
     * {@code {address, port, name}} mappings or of such strings. An entry without a name takes
     * {@code defaultName} (the first) or {@code defaultName + index}.
     */
    public static ConfigType<List<Listener>> listeners(String defaultName) {
        return new ListenersType(defaultName);
    }

    static String range(long min, long max, long top) {
        if (max == top) {
            return ">= " + min;
        }
        return "in [" + min + ", " + max + "]";
    }

    /** A type whose YAML form is a single scalar; formatting is {@code toString}. */
    private abstract static class Scalar<T> implements ConfigType<T> {
        private final String name;
        private final String expected;
        private final KafkaConfigType kafkaType;

        Scalar(String name, String expected, KafkaConfigType kafkaType) {
            this.name = name;
            this.expected = expected;
            this.kafkaType = kafkaType;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String expected() {
            return expected;
        }

        @Override
        public String format(T value) {
            return String.valueOf(value);
        }

        @Override
        public KafkaConfigType kafkaType() {
            return kafkaType;
        }
    }

    /** Reads {@code {address: A, port: P}} mappings, rejecting unknown fields so typos surface. */
    static HostPort addressFromMap(YamlNode.MapNode map, Set<String> allowed, String expected) throws BadValueException {
        for (YamlNode.Entry e : map.entries().values()) {
            if (!allowed.contains(e.key())) {
                String suggestion = Suggestions.closest(e.key(), allowed).map(s -> " (did you mean '" + s + "'?)").orElse("");
                throw new BadValueException("only the fields " + String.join(", ", allowed) + suggestion,
                        e.keyLocation(), e.key());
            }
        }
        YamlNode.Entry address = map.entries().get("address");
        YamlNode.Entry port = map.entries().get("port");
        if (address == null || port == null) {
            throw new BadValueException(expected + " (both 'address' and 'port' are required)", map.location(),
                    ConfigFileParser.render(map));
        }
        String host = scalarText(address.value(), "a host name or IP address");
        String portText = scalarText(port.value(), "a port in [0, 65535]");
        if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
            throw new BadValueException("a host name or IP address", address.value().location(), host);
        }
        try {
            return new HostPort(host, HostPort.parsePort(portText));
        } catch (BadValueException e) {
            throw new BadValueException("a port, an integer in [0, 65535]", port.value().location(), portText);
        }
    }

    private static String scalarText(YamlNode node, String expected) throws BadValueException {
        if (node instanceof YamlNode.Scalar s && !s.isNull()) {
            return s.text();
        }
        throw new BadValueException(expected + ", found " + node.kind(), node.location(), null);
    }

    private static final class HostPortType implements ConfigType<HostPort> {
        @Override
        public String name() {
            return "host:port";
        }

        @Override
        public String expected() {
            return HostPort.EXPECTED;
        }

        @Override
        public HostPort parse(String text) throws BadValueException {
            return HostPort.parse(text);
        }

        @Override
        public HostPort fromYaml(YamlNode node) throws BadValueException {
            if (node instanceof YamlNode.MapNode map) {
                return addressFromMap(map, Set.of("address", "port"), "{address: HOST, port: PORT}");
            }
            return ConfigType.super.fromYaml(node);
        }

        @Override
        public String format(HostPort value) {
            return value.toString();
        }

        @Override
        public KafkaConfigType kafkaType() {
            return KafkaConfigType.STRING;
        }
    }

    private static final class SeedsType implements ConfigType<List<HostPort>> {
        private static final String EXPECTED =
                "a list of HOST:PORT (comma-separated on the command line), or YAML entries {host: {address: HOST, port: PORT}}";

        @Override
        public String name() {
            return "list of host:port";
        }

        @Override
        public String expected() {
            return EXPECTED;
        }

        @Override
        public List<HostPort> parse(String text) throws BadValueException {
            if (text.isBlank()) {
                return List.of();
            }
            List<HostPort> out = new ArrayList<>();
            for (String part : text.split(",", -1)) {
                try {
                    out.add(HostPort.parse(part));
                } catch (BadValueException e) {
                    throw new BadValueException("HOST:PORT[,HOST:PORT...] with PORT in [0, 65535]", null, part.strip());
                }
            }
            return List.copyOf(out);
        }

        @Override
        public List<HostPort> fromYaml(YamlNode node) throws BadValueException {
            if (!(node instanceof YamlNode.ListNode list)) {
                return ConfigType.super.fromYaml(node);
            }
            List<HostPort> out = new ArrayList<>();
            for (YamlNode item : list.items()) {
                if (item instanceof YamlNode.MapNode map && map.entries().containsKey("host")) {
                    // Redpanda's shape: - host: {address: ..., port: ...}
                    if (map.entries().size() != 1) {
                        throw new BadValueException("a seed entry with only the field 'host'", map.location(), null);
                    }
                    YamlNode host = map.entries().get("host").value();
                    out.add(HOST_PORT.fromYaml(host));
                } else if (item instanceof YamlNode.Scalar s && !s.isNull()) {
                    try {
                        out.add(HostPort.parse(s.text()));
                    } catch (BadValueException e) {
                        throw new BadValueException(EXPECTED, s.location(), s.text());
                    }
                } else if (item instanceof YamlNode.MapNode map) {
                    out.add(addressFromMap(map, Set.of("address", "port"), "{address: HOST, port: PORT}"));
                } else {
                    throw new BadValueException(EXPECTED + ", found " + item.kind(), item.location(), null);
                }
            }
            return List.copyOf(out);
        }

        @Override
        public String format(List<HostPort> value) {
            return value.stream().map(HostPort::toString).collect(Collectors.joining(","));
        }

        @Override
        public KafkaConfigType kafkaType() {
            return KafkaConfigType.LIST;
        }
    }

    private static final class ListenersType implements ConfigType<List<Listener>> {
        private static final Set<String> FIELDS = new LinkedHashSet<>(Arrays.asList("address", "port", "name"));
        private static final String FLAG_FORM = "[NAME://]HOST:PORT[,...] with PORT in [0, 65535]";
        private final String defaultName;
        private final String expected;

        ListenersType(String defaultName) {
            this.defaultName = defaultName;
            this.expected = FLAG_FORM + ", or YAML entries {address: HOST, port: PORT, name: NAME}";
        }

        @Override
        public String name() {
            return "list of listeners";
        }

        @Override
        public String expected() {
            return expected;
        }

        @Override
        public List<Listener> parse(String text) throws BadValueException {
            List<Listener> out = new ArrayList<>();
            String[] parts = text.split(",", -1);
            for (int i = 0; i < parts.length; i++) {
                out.add(parseOne(parts[i].strip(), i, null));
            }
            return checkNames(out, null);
        }

        private Listener parseOne(String text, int index, YamlNode.Location at) throws BadValueException {
            String name = null;
            String address = text;
            int sep = text.indexOf("://");
            if (sep >= 0) {
                name = text.substring(0, sep).strip();
                address = text.substring(sep + 3);
                if (name.isEmpty()) {
                    throw new BadValueException(at == null ? FLAG_FORM : expected, at, text);
                }
            }
            try {
                return new Listener(name == null ? defaultName(index) : name, HostPort.parse(address));
            } catch (BadValueException e) {
                throw new BadValueException(at == null ? FLAG_FORM : expected, at, text);
            }
        }

        private String defaultName(int index) {
            // An empty default name marks entries the loader pairs with other listeners by position.
            return index == 0 || defaultName.isEmpty() ? defaultName : defaultName + index;
        }

        @Override
        public List<Listener> fromYaml(YamlNode node) throws BadValueException {
            List<YamlNode> items;
            if (node instanceof YamlNode.ListNode list) {
                items = list.items();
            } else if (node instanceof YamlNode.MapNode) {
                items = List.of(node); // a single listener without the list dash: accept it
            } else {
                return ConfigType.super.fromYaml(node);
            }
            List<Listener> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                YamlNode item = items.get(i);
                if (item instanceof YamlNode.MapNode map) {
                    HostPort hp = addressFromMap(map, FIELDS, "{address: HOST, port: PORT, name: NAME}");
                    YamlNode.Entry nameEntry = map.entries().get("name");
                    String name = nameEntry == null ? defaultName(i) : scalarText(nameEntry.value(), "a listener name");
                    out.add(new Listener(name.strip(), hp));
                } else if (item instanceof YamlNode.Scalar s && !s.isNull()) {
                    out.add(parseOne(s.text().strip(), i, s.location()));
                } else {
                    throw new BadValueException(expected + ", found " + item.kind(), item.location(), null);
                }
            }
            return checkNames(out, node.location());
        }

        private List<Listener> checkNames(List<Listener> listeners, YamlNode.Location at) throws BadValueException {
            Set<String> seen = new LinkedHashSet<>();
            for (Listener l : listeners) {
                if (!l.name().isEmpty() && !seen.add(l.name())) {
                    throw new BadValueException("listener names to be unique, but '" + l.name() + "' is used twice", at,
                            format(listeners));
                }
            }
            return List.copyOf(listeners);
        }

        @Override
        public String format(List<Listener> value) {
            return value.stream().map(Listener::toString).collect(Collectors.joining(","));
        }

        @Override
        public KafkaConfigType kafkaType() {
            return KafkaConfigType.LIST;
        }
    }
}
