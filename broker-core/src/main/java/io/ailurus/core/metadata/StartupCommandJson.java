package io.ailurus.core.metadata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of the metadata commands every broker start proposes and applies (InitializeCluster,
 * RegisterBroker, SetBrokerLiveness, ReportLeaders), written and read without Jackson databind.
 *
 * <p>Why: databind and its annotation introspection are ~500 classes and several MB of start-up garbage,
 * and a broker that only starts (or only runs these commands) never needs them otherwise; those classes
 * and that garbage were a measurable part of the idle RSS (docs/benchmarks.md, "Idle memory"). The bytes
 * are the ones Jackson writes for these records ({@code {"type":"register_broker","nodeId":0,...}},
 * fields in declaration order), so logs and forwarded commands from either side read the same; anything
 * this class does not recognise exactly (another type, a missing or extra field, a number that is not
 * an int) is left to Jackson, which keeps its own errors and defaults for it.
 */
final class StartupCommandJson {
    private StartupCommandJson() {
    }

    /** The command's JSON, or null when it is not one of the start-up commands. */
    static byte[] encode(MetadataCommand command) {
        StringBuilder out = new StringBuilder(96);
        switch (command) {
            case MetadataCommand.InitializeCluster c -> {
                type(out, "initialize_cluster");
                field(out, "clusterId").append(string(c.clusterId()));
            }
            case MetadataCommand.RegisterBroker r -> {
                type(out, "register_broker");
                field(out, "nodeId").append(r.nodeId());
                field(out, "host").append(string(r.host()));
                field(out, "port").append(r.port());
                field(out, "rack").append(string(r.rack()));
                field(out, "rpcAddress").append(string(r.rpcAddress()));
            }
            case MetadataCommand.SetBrokerLiveness s -> {
                type(out, "set_broker_liveness");
                field(out, "nodeId").append(s.nodeId());
                field(out, "alive").append(s.alive());
            }
            case MetadataCommand.ReportLeaders r -> {
                if (r.leaders() == null) {
                    return null;
                }
                type(out, "report_leaders");
                field(out, "nodeId").append(r.nodeId());
                field(out, "leaders").append('[');
                for (int i = 0; i < r.leaders().size(); i++) {
                    MetadataCommand.LeaderReport l = r.leaders().get(i);
                    if (l == null) {
                        return null;
                    }
                    out.append(i == 0 ? "" : ",").append("{\"topic\":").append(string(l.topic()))
                        .append(",\"partition\":").append(l.partition()).append(",\"epoch\":").append(l.epoch()).append('}');
                }
                out.append(']');
            }
            default -> {
                return null;
            }
        }
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The command in {@code json}, or null when it is not exactly one of the start-up commands' forms. */
    static MetadataCommand decode(byte[] json) {
        Object parsed;
        try {
            parsed = new MiniJsonReader(new String(json, StandardCharsets.UTF_8)).readDocument();
        } catch (IllegalArgumentException e) {
            return null;   // Jackson reports the syntax error, with its usual message
        }
        if (!(parsed instanceof Map<?, ?> m) || !(m.get("type") instanceof String type)) {
            return null;
        }
        return switch (type) {
            case "initialize_cluster" -> keys(m, "type", "clusterId") && nullableString(m.get("clusterId"))
                ? new MetadataCommand.InitializeCluster((String) m.get("clusterId")) : null;
            case "register_broker" -> keys(m, "type", "nodeId", "host", "port", "rack", "rpcAddress")
                && isInt(m.get("nodeId")) && nullableString(m.get("host")) && isInt(m.get("port"))
                && nullableString(m.get("rack")) && nullableString(m.get("rpcAddress"))
                ? new MetadataCommand.RegisterBroker(toInt(m.get("nodeId")), (String) m.get("host"), toInt(m.get("port")),
                    (String) m.get("rack"), (String) m.get("rpcAddress")) : null;
            case "set_broker_liveness" -> keys(m, "type", "nodeId", "alive") && isInt(m.get("nodeId"))
                && m.get("alive") instanceof Boolean alive
                ? new MetadataCommand.SetBrokerLiveness(toInt(m.get("nodeId")), alive) : null;
            case "report_leaders" -> keys(m, "type", "nodeId", "leaders") && isInt(m.get("nodeId"))
                ? reportLeaders(toInt(m.get("nodeId")), m.get("leaders")) : null;
            default -> null;
        };
    }

    private static MetadataCommand reportLeaders(int nodeId, Object leaders) {
        if (!(leaders instanceof List<?> list)) {
            return null;
        }
        List<MetadataCommand.LeaderReport> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> l) || !keys(l, "topic", "partition", "epoch") || !nullableString(l.get("topic"))
                || !isInt(l.get("partition")) || !isInt(l.get("epoch"))) {
                return null;
            }
            out.add(new MetadataCommand.LeaderReport((String) l.get("topic"), toInt(l.get("partition")), toInt(l.get("epoch"))));
        }
        return new MetadataCommand.ReportLeaders(nodeId, out);
    }

    private static boolean keys(Map<?, ?> m, String... names) {
        return m.keySet().equals(Set.of((Object[]) names));
    }

    private static boolean nullableString(Object o) {
        return o == null || o instanceof String;
    }

    private static boolean isInt(Object o) {
        return o instanceof Long l && l == (int) (long) l;
    }

    private static int toInt(Object o) {
        return (int) (long) (Long) o;
    }

    private static void type(StringBuilder out, String name) {
        out.append("{\"type\":\"").append(name).append('"');
    }

    private static StringBuilder field(StringBuilder out, String name) {
        return out.append(",\"").append(name).append("\":");
    }

    /** A JSON string literal escaped as Jackson escapes it (control characters, quote, backslash), or null. */
    static String string(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * Just enough JSON for the forms above: objects (keys kept in order, a repeated key rejected),
     * arrays, strings, true/false/null and integers (as Long); anything else (fractions, exponents,
     * integers beyond long) is rejected with IllegalArgumentException, which sends the bytes to Jackson.
     */
    static final class MiniJsonReader {
        private final String s;
        private int pos;

        MiniJsonReader(String s) {
            this.s = s;
        }

        Object readDocument() {
            Object v = value();
            skipSpace();
            if (pos != s.length()) {
                throw new IllegalArgumentException("trailing characters at " + pos);
            }
            return v;
        }

        private Object value() {
            skipSpace();
            if (pos >= s.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> number();
            };
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            pos++;
            skipSpace();
            if (peek() == '}') {
                pos++;
                return m;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    throw new IllegalArgumentException("expected a key at " + pos);
                }
                String key = string();
                skipSpace();
                expect(':');
                if (m.containsKey(key)) {
                    throw new IllegalArgumentException("repeated key " + key);
                }
                m.put(key, value());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else {
                    expect('}');
                    return m;
                }
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            pos++;
            skipSpace();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                list.add(value());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else {
                    expect(']');
                    return list;
                }
            }
        }

        private String string() {
            pos++;
            StringBuilder out = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw new IllegalArgumentException("unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw new IllegalArgumentException("control character in a string at " + (pos - 1));
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (pos >= s.length()) {
                    throw new IllegalArgumentException("unterminated escape");
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw new IllegalArgumentException("short \\u escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException x) {
                            throw new IllegalArgumentException("bad \\u escape at " + pos);
                        }
                        pos += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape at " + (pos - 1));
                }
            }
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, pos)) {
                throw new IllegalArgumentException("unexpected token at " + pos);
            }
            pos += word.length();
            return value;
        }

        private Long number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            String digits = s.substring(start, pos);
            if (digits.isEmpty() || digits.equals("-") || (pos < s.length() && ".eE".indexOf(s.charAt(pos)) >= 0)) {
                throw new IllegalArgumentException("not an integer at " + start);
            }
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("integer out of range at " + start);
            }
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + pos);
            }
            pos++;
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private void skipSpace() {
            while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
        }
    }
}
