package io.ailurus.admin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, enough to prove a scrape is
 * well-formed: every line is a HELP, a TYPE or a sample; every sample belongs to a family
 * declared by a TYPE line (allowing the _bucket/_count/_sum suffixes of histograms and
 * summaries); label values are properly quoted; values parse as floats.
 */
final class PrometheusText {

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");
    private static final List<String> TYPES = List.of("counter", "gauge", "histogram", "summary", "untyped");

    final Map<String, String> types = new LinkedHashMap<>();
    final List<Sample> samples = new ArrayList<>();

    static PrometheusText parse(String text) {
        PrometheusText out = new PrometheusText();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ")) {
                requireName(line.substring(7).split(" ", 2)[0], lineNo, line);
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ");
                if (parts.length != 2 || !TYPES.contains(parts[1])) {
                    throw new IllegalArgumentException("line " + lineNo + ": bad TYPE: " + line);
                }
                requireName(parts[0], lineNo, line);
                if (out.types.put(parts[0], parts[1]) != null) {
                    throw new IllegalArgumentException("line " + lineNo + ": family declared twice: " + line);
                }
            } else if (line.startsWith("#")) {
                continue; // other comments are allowed by the format
            } else {
                out.samples.add(out.sample(line, lineNo));
            }
        }
        return out;
    }

    private Sample sample(String line, int lineNo) {
        Matcher m = NAME.matcher(line);
        if (!m.lookingAt()) {
            throw new IllegalArgumentException("line " + lineNo + ": no metric name: " + line);
        }
        String name = m.group();
        int pos = m.end();
        Map<String, String> labels = new HashMap<>();
        if (pos < line.length() && line.charAt(pos) == '{') {
            int close = findClose(line, pos + 1, lineNo);
            String body = line.substring(pos + 1, close);
            Matcher lm = LABEL.matcher(body);
            int at = 0;
            while (at < body.length()) {
                if (!lm.find(at) || lm.start() != at) {
                    throw new IllegalArgumentException("line " + lineNo + ": bad labels: " + line);
                }
                labels.put(lm.group(1), lm.group(2));
                at = lm.end();
                if (at < body.length()) {
                    if (body.charAt(at) != ',') {
                        throw new IllegalArgumentException("line " + lineNo + ": bad label separator: " + line);
                    }
                    at++;
                }
            }
            pos = close + 1;
        }
        String[] rest = line.substring(pos).trim().split(" ");
        if (rest.length < 1 || rest.length > 2) {
            throw new IllegalArgumentException("line " + lineNo + ": bad value: " + line);
        }
        double value = switch (rest[0]) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(rest[0]);
        };
        if (family(name) == null) {
            throw new IllegalArgumentException("line " + lineNo + ": sample of undeclared family: " + line);
        }
        return new Sample(name, labels, value);
    }

    private static int findClose(String line, int from, int lineNo) {
        boolean quoted = false;
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '}') {
                return i;
            }
        }
        throw new IllegalArgumentException("line " + lineNo + ": unclosed labels: " + line);
    }

    private static void requireName(String name, int lineNo, String line) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("line " + lineNo + ": bad metric name: " + line);
        }
    }

    /** The declared family a sample name belongs to, or null. */
    String family(String sampleName) {
        if (types.containsKey(sampleName)) {
            return sampleName;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum")) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                String t = types.get(base);
                if ("histogram".equals(t) || "summary".equals(t)) {
                    return base;
                }
            }
        }
        return null;
    }

    /** The single sample with this name and these labels (a subset match); fails if none or several. */
    double value(String name, Map<String, String> labels) {
        List<Sample> hits = samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .toList();
        if (hits.size() != 1) {
            throw new AssertionError(hits.size() + " samples of " + name + labels + " in scrape");
        }
        return hits.get(0).value();
    }

    boolean hasFamily(String name) {
        return types.containsKey(name);
    }
}
