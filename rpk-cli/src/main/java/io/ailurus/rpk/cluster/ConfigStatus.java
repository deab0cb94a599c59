package io.ailurus.rpk.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.Table;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rpk cluster config status}: the configuration version each node has applied. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Get configuration status of brokers in the cluster.")
public final class ConfigStatus implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        Rpk rpk = Rpk.of(spec);
        JsonNode nodes = rpk.adminApi().get("/v1/cluster_config/status");
        Table t = new Table("NODE", "CONFIG-VERSION", "NEEDS-RESTART", "INVALID", "UNKNOWN");
        for (JsonNode n : nodes) {
            t.row(n.path("node_id").asInt(), n.path("config_version").asLong(), n.path("restart").asBoolean(),
                ConfigValues.show(n.path("invalid")), ConfigValues.show(n.path("unknown")));
        }
        t.print(rpk.out());
    }
}
