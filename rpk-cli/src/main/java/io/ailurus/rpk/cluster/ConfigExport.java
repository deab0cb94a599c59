package io.ailurus.rpk.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.ailurus.rpk.AdminApiClient;
import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.RpkException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rpk cluster config export}: writes every property, documented, to a YAML file. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export cluster configuration to a YAML file (edit it and apply with 'import').")
public final class ConfigExport implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE", description = "File to write (default: a new file in the temp directory).")
    Path file;

    @Override
    public void run() {
        Rpk rpk = Rpk.of(spec);
        Path target = write(rpk.adminApi(), file);
        rpk.out().println("Wrote cluster config to file " + target + ".");
    }

    static Path write(AdminApiClient api, Path file) {
        JsonNode values = api.get("/v1/cluster_config");
        JsonNode schema = api.get("/v1/cluster_config/schema");
        try {
            Path target = file != null ? file : Files.createTempFile("config_", ".yaml");
            Files.writeString(target, ConfigValues.toYaml(values, schema));
            return target;
        } catch (IOException e) {
            throw new RpkException("cannot write the configuration file: " + e.getMessage());
        }
    }
}
