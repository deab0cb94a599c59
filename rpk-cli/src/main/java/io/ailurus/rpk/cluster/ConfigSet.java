package io.ailurus.rpk.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.ailurus.rpk.AdminApiClient;
import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.RpkException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code rpk cluster config set KEY VALUE} (or {@code KEY=VALUE ...}): validated by the broker and
 * applied through the controller as one change.
 */
@Command(name = "set", mixinStandardHelpOptions = true,
    description = {"Set cluster configuration properties.", "",
        "  rpk cluster config set log_retention_ms 3600000",
        "  rpk cluster config set auto_create_topics_enabled=true default_topic_partitions=3",
        "Lists are comma separated; 'null' clears a nullable property."})
public final class ConfigSet implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "KEY VALUE | KEY=VALUE", description = "What to set.")
    List<String> args;

    @Override
    public void run() {
        Rpk rpk = Rpk.of(spec);
        AdminApiClient api = rpk.adminApi();
        Map<String, String> pairs = new LinkedHashMap<>();
        if (args.size() == 2 && !args.get(0).contains("=")) {
            pairs.put(args.get(0), args.get(1));
        } else {
            for (String a : args) {
                int eq = a.indexOf('=');
                if (eq <= 0) {
                    throw new RpkException("expected KEY VALUE or KEY=VALUE pairs, got '" + a + "'");
                }
                pairs.put(a.substring(0, eq), a.substring(eq + 1));
            }
        }
        JsonNode schema = api.get("/v1/cluster_config/schema");
        Map<String, Object> upsert = new LinkedHashMap<>();
        pairs.forEach((k, v) -> upsert.put(k, ConfigValues.parse(k, v, schema)));
        JsonNode answer = api.put("/v1/cluster_config", Map.of("upsert", upsert, "remove", List.of()));
        rpk.out().println(ConfigValues.applied(answer));
    }
}
