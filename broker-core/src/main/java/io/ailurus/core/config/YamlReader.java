package io.ailurus.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a YAML document into a {@link YamlNode} tree that keeps line and column of every node.
 * Jackson's tree model drops positions, so this walks the streaming parser instead. Syntax errors
 * and duplicate keys become one-line {@link ConfigException}s with the position.
 */
public final class YamlReader {
    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private final String source;

    private YamlReader(String source) {
        this.source = source;
    }

    /**
     * Parses {@code text}; an empty document is an empty mapping.
     *
     * @param source the file name used in messages
     * @throws ConfigException on a syntax error, a duplicate key, or a top level that is not a mapping
     */
    public static YamlNode.MapNode read(String text, String source) {
        return new YamlReader(source).readDocument(text);
    }

    private YamlNode.MapNode readDocument(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new YamlNode.MapNode(Map.of(), new YamlNode.Location(source, 1, 1));
            }
            YamlNode root = readValue(parser);
            if (root instanceof YamlNode.Scalar s && s.isNull()) {
                return new YamlNode.MapNode(Map.of(), s.location());
            }
            if (!(root instanceof YamlNode.MapNode map)) {
                throw new ConfigException(root.location() + ": the configuration must be a YAML mapping"
                        + " (sections such as 'ailurus:'), found " + root.kind());
            }
            if (parser.nextToken() != null) {
                throw new ConfigException(here(parser) + ": more than one YAML document; put everything in one");
            }
            return map;
        } catch (JsonProcessingException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot read: " + e.getMessage(), e);
        }
    }

    private YamlNode readValue(JsonParser parser) throws IOException {
        YamlNode.Location at = here(parser);
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    YamlNode.Location keyAt = here(parser);
                    YamlNode.Entry previous = entries.get(key);
                    if (previous != null) {
                        throw new ConfigException(keyAt + ": duplicate key '" + key + "' (first given at line "
                                + previous.keyLocation().line() + ")");
                    }
                    parser.nextToken();
                    entries.put(key, new YamlNode.Entry(key, keyAt, readValue(parser)));
                }
                return new YamlNode.MapNode(entries, at);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(parser));
                }
                return new YamlNode.ListNode(items, at);
            }
            case VALUE_NULL -> {
                return new YamlNode.Scalar(null, at);
            }
            default -> {
                // "key:" with nothing after it arrives as an empty string; YAML means null.
                String text = parser.getText();
                return new YamlNode.Scalar(text == null || text.isEmpty() ? null : text, at);
            }
        }
    }

    private YamlNode.Location here(JsonParser parser) {
        JsonLocation loc = parser.currentTokenLocation();
        return new YamlNode.Location(source, loc.getLineNr(), loc.getColumnNr());
    }

    private ConfigException syntaxError(JsonProcessingException e) {
        // SnakeYAML (under Jackson) knows the precise problem and its position; its full message
        // spans several lines with context and a snippet, which would break the one-line rule.
        if (e.getCause() instanceof MarkedYAMLException m && m.getProblem() != null) {
            Mark mark = m.getProblemMark() != null ? m.getProblemMark() : m.getContextMark();
            String where = mark == null ? source : source + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
            String context = m.getContext() == null ? "" : " (" + ConfigException.oneLine(m.getContext()) + ")";
            return new ConfigException(where + ": YAML syntax error: " + ConfigException.oneLine(m.getProblem()) + context, e);
        }
        JsonLocation loc = e.getLocation();
        String where = loc == null ? source : source + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
        String problem = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage().strip();
        int nl = problem.indexOf('\n');
        if (nl > 0) {
            problem = problem.substring(0, nl).strip();
        }
        return new ConfigException(where + ": YAML syntax error: " + ConfigException.oneLine(problem), e);
    }
}
