package io.ailurus.rpk.cluster;

import io.ailurus.rpk.Rpk;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rpk cluster config}: cluster-wide properties through the admin API. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = {"Interact with cluster configuration properties.", "",
        "Cluster properties apply to every broker and are stored by the controller: a change is",
        "validated, replicated and kept across restarts."},
    subcommands = {ConfigGet.class, ConfigSet.class, ConfigEdit.class, ConfigStatus.class, ConfigExport.class,
        ConfigImport.class})
public final class ClusterConfigCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Rpk.of(spec).out());
    }
}
