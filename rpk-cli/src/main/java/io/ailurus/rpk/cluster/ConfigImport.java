package io.ailurus.rpk.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.ailurus.rpk.AdminApiClient;
import io.ailurus.rpk.Progress;
import io.ailurus.rpk.Rpk;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rpk cluster config import}: makes the cluster match a YAML file (as written by
 * {@code export}): changed values are set, properties missing from the file go back to their
 * defaults, all in one validated change.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Import cluster configuration from a YAML file; properties missing from it are reset to defaults.")
public final class ConfigImport implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = "YAML file to apply.")
    Path file;

    @Override
    public void run() {
        Rpk rpk = Rpk.of(spec);
        rpk.out().println(apply(rpk, rpk.adminApi(), file));
    }

    static String apply(Rpk rpk, AdminApiClient api, Path file) {
        Map<String, JsonNode> wanted = ConfigValues.readYaml(file);
        Progress progress = Progress.on(rpk.err());
        progress.show("reading the cluster configuration");
        JsonNode current = api.get("/v1/cluster_config");
        JsonNode changed = api.get("/v1/cluster_config?include_defaults=false");
        Map<String, Object> patch = ConfigValues.diff(wanted, current, changed);
        int n = ((Map<?, ?>) patch.get("upsert")).size() + ((List<?>) patch.get("remove")).size();
        if (n == 0) {
            progress.done();
            return "No changes were made.";
        }
        progress.show("applying " + n + " change" + (n == 1 ? "" : "s"));
        JsonNode answer = api.put("/v1/cluster_config", patch);
        progress.done();
        return ConfigValues.applied(answer);
    }
}
