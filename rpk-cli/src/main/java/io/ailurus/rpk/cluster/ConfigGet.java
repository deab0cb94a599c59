package io.ailurus.rpk.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.ailurus.rpk.Rpk;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rpk cluster config get KEY}: prints one property's current value. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Get a cluster configuration property.")
public final class ConfigGet implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "KEY", description = "Property name, e.g. log_retention_ms.")
    String key;

    @Override
    public void run() {
        Rpk rpk = Rpk.of(spec);
        JsonNode v = rpk.adminApi().get("/v1/cluster_config?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8));
        rpk.out().println(ConfigValues.show(v.get(key)));
    }
}
