package io.ailurus.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ailurus.admin.metrics.AdminMetrics;
import io.ailurus.admin.metrics.BrokerGauges;
import io.ailurus.admin.metrics.PublicMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps docs/metrics.md and the Grafana dashboard honest: every public metric the code exposes
 * is documented, and every public metric the dashboard queries exists.
 */
class MetricsDocsTest {

    private static final Path DOCS = Path.of("..", "docs");
    private static final Pattern AILURUS_NAME = Pattern.compile("ailurus_[a-z0-9_]+");

    @TempDir
    Path dataDir;

    private Set<String> exposedFamilies() throws Exception {
        try (AdminMetrics metrics = AdminMetrics.create("v", "r")) {
            PublicMetrics pm = metrics.publicMetrics();
            pm.bindBrokerGauges(new BrokerGauges() {
                public long clusterBrokers() { return 1; }
                public long clusterTopics() { return 1; }
                public long clusterPartitions() { return 1; }
                public long clusterUnavailablePartitions() { return 0; }
                public long underReplicatedReplicas() { return 0; }
                public long raftLeaders() { return 1; }
                public long kafkaConnections() { return 1; }
            });
            pm.bindDataDirectory(dataDir);
            pm.updateConsumerGroupLag(List.of(new PublicMetrics.GroupLag("g", 1, 1)));
            pm.updateConsumerGroupPartitionLag(List.of(new PublicMetrics.PartitionLag("g", "t", 0, 1)));
            return new TreeSet<>(PrometheusText.parse(metrics.scrapePublic()).types.keySet());
        }
    }

    @Test
    void everyPublicMetricIsDocumented() throws Exception {
        String doc = Files.readString(DOCS.resolve("metrics.md"));
        Set<String> exposed = exposedFamilies();
        assertTrue(exposed.size() >= 18, exposed.toString());
        List<String> missing = new ArrayList<>();
        for (String family : exposed) {
            if (!doc.contains("`" + family + "`")) {
                missing.add(family);
            }
        }
        assertEquals(List.of(), missing, "public metrics missing from docs/metrics.md");
    }

    @Test
    void dashboardQueriesOnlyExistingPublicMetrics() throws Exception {
        Set<String> exposed = exposedFamilies();
        JsonNode dash = AdminServerFixture.JSON.readTree(DOCS.resolve("grafana/ailurus-dashboard.json").toFile());
        Set<String> used = new TreeSet<>();
        collect(dash, used);
        assertTrue(used.size() >= 15, used.toString());
        List<String> unknown = new ArrayList<>();
        for (String name : used) {
            String base = name.replaceAll("_(bucket|count|sum)$", "");
            if (!exposed.contains(name) && !exposed.contains(base)) {
                unknown.add(name);
            }
        }
        assertEquals(List.of(), unknown, "dashboard queries metrics the broker does not expose");
    }

    private static void collect(JsonNode node, Set<String> out) {
        if (node.isObject() && node.has("expr")) {
            Matcher m = AILURUS_NAME.matcher(node.get("expr").asText());
            while (m.find()) {
                out.add(m.group());
            }
        }
        node.forEach(child -> collect(child, out));
    }
}
