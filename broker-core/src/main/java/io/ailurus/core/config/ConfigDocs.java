package io.ailurus.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates the key tables of {@code docs/configuration.md} from the registries, between marker
 * comments, so the reference cannot drift from the code: a test compares the file with what this
 * class generates, and {@code main} rewrites it.
 */
public final class ConfigDocs {
    private ConfigDocs() {}

    /** The generated tables by block name: {@code node}, {@code tuning}, {@code cluster}, {@code topic}. */
    public static Map<String, String> tables() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("node", table(ConfigRegistry.section(ConfigSection.NODE)));
        out.put("tuning", table(ConfigRegistry.section(ConfigSection.TUNING)));
        out.put("cluster", table(ConfigRegistry.section(ConfigSection.CLUSTER)));
        out.put("topic", topicTable());
        return out;
    }

    static String startMarker(String block) {
        return "<!-- generated:" + block + " (ConfigDocs; do not edit by hand) -->";
    }

    static String endMarker(String block) {
        return "<!-- end generated:" + block + " -->";
    }

    private static String table(List<ConfigKey<?>> keys) {
        StringBuilder sb = new StringBuilder();
        sb.append("| key | type | default | restart | flag | description |\n");
        sb.append("| --- | --- | --- | --- | --- | --- |\n");
        for (ConfigKey<?> k : keys) {
            sb.append("| `").append(k.name()).append("` | ").append(cell(k.type().name()))
                    .append(" | `").append(cell(k.defaultText())).append("` | ")
                    .append(k.needsRestart() ? "yes" : "no").append(" | ")
                    .append(k.flag() == null ? "" : "`" + k.flag() + "`").append(" | ")
                    .append(cell(k.doc())).append(" Accepts ").append(cell(k.type().expected())).append(". |\n");
        }
        return sb.toString();
    }

    private static String topicTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| property | type | default | default from | description |\n");
        sb.append("| --- | --- | --- | --- | --- |\n");
        for (TopicConfigKey<?> k : TopicConfigDef.ALL) {
            sb.append("| `").append(k.name()).append("` | ").append(cell(k.type().name()))
                    .append(" | `").append(cell(k.defaultText(ClusterConfig.defaults()))).append("` | ")
                    .append(k.clusterDefault() == null ? "" : "`" + k.clusterDefault().name() + "`").append(" | ")
                    .append(cell(k.doc())).append(" Accepts ").append(cell(k.type().expected())).append(". |\n");
        }
        return sb.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    /** {@code markdown} with every generated block replaced by the current tables. */
    public static String regenerate(String markdown) {
        String out = markdown;
        for (Map.Entry<String, String> e : tables().entrySet()) {
            String start = startMarker(e.getKey());
            String end = endMarker(e.getKey());
            int s = out.indexOf(start);
            int t = out.indexOf(end);
            if (s < 0 || t < s) {
                throw new IllegalStateException("missing markers for block '" + e.getKey() + "': " + start + " ... " + end);
            }
            out = out.substring(0, s + start.length()) + "\n" + e.getValue() + out.substring(t);
        }
        return out;
    }

    /** Rewrites the tables of the given file (default {@code docs/configuration.md}). */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "docs/configuration.md");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Files.writeString(file, regenerate(text), StandardCharsets.UTF_8);
    }
}
