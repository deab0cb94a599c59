package io.ailurus.core.admin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Prometheus text exposition (0.0.4) into samples, refusing malformed lines: each sample
 * must belong to a family declared by {@code # TYPE} (histogram and summary samples by their
 * {@code _bucket/_count/_sum} suffix), labels must be quoted {@code name="value"} pairs, values
 * must be numbers. Tests read values by name and labels rather than searching the text.
 */
public final class PrometheusScrape {
    private static final Pattern SAMPLE = Pattern.compile(
        "([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+-?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"\\s*(,|$)");

    record Sample(String name, Map<String, String> labels, double value) {}

    private final Map<String, String> types = new HashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    public static PrometheusScrape parse(String text) {
        PrometheusScrape s = new PrometheusScrape();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("# HELP")) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] p = line.substring(7).trim().split(" ");
                if (p.length != 2) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": bad TYPE line: " + line);
                }
                s.types.put(p[0], p[1]);
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("line " + (i + 1) + ": not a sample: " + line);
            }
            String name = m.group(1);
            if (s.familyOf(name) == null) {
                throw new IllegalArgumentException("line " + (i + 1) + ": no TYPE for " + name);
            }
            s.samples.add(new Sample(name, labels(m.group(2), line), number(m.group(3), line)));
        }
        return s;
    }

    private static Map<String, String> labels(String body, String line) {
        Map<String, String> out = new HashMap<>();
        if (body == null || body.isEmpty()) {
            return out;
        }
        Matcher m = LABEL.matcher(body);
        int at = 0;
        while (at < body.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("bad labels: " + line);
            }
            out.put(m.group(1), m.group(2));
            at = m.end();
        }
        return out;
    }

    private static double number(String text, String line) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad value: " + line);
                }
            }
        };
    }

    private String familyOf(String sample) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum", "_total", "_created")) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                if (types.containsKey(base)) {
                    return base;
                }
            }
        }
        return null;
    }

    /** Every family declared by a {@code # TYPE} line. */
    public java.util.Set<String> families() {
        return new java.util.TreeSet<>(types.keySet());
    }

    /** The TYPE of a family, or null. */
    public String type(String family) {
        return types.get(family);
    }

    /** The one sample with this name whose labels include {@code labels}; fails if none or several. */
    public double value(String name, Map<String, String> labels) {
        List<Sample> hits = samples.stream()
            .filter(x -> x.name().equals(name) && x.labels().entrySet().containsAll(labels.entrySet()))
            .toList();
        if (hits.size() != 1) {
            throw new AssertionError(hits.size() + " samples of " + name + labels);
        }
        return hits.get(0).value();
    }

    public double value(String name) {
        return value(name, Map.of());
    }

    /** The value, or 0 when the series does not exist yet (a labelled counter before its first use). */
    public double valueOrZero(String name, Map<String, String> labels) {
        return samples.stream().anyMatch(x -> x.name().equals(name) && x.labels().entrySet().containsAll(labels.entrySet()))
            ? value(name, labels) : 0;
    }

    public boolean has(String name) {
        return samples.stream().anyMatch(x -> x.name().equals(name));
    }
}
