package io.ailurus.rpk.cluster;

import io.ailurus.rpk.Rpk;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rpk cluster}: cluster metadata, health and configuration. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Interact with an Ailurus cluster.",
    subcommands = {ClusterInfo.class, ClusterHealth.class, ClusterConfigCommand.class})
public final class ClusterCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Rpk.of(spec).out());
    }
}
