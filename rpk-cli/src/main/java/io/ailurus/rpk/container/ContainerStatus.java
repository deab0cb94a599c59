package io.ailurus.rpk.container;

import io.ailurus.rpk.Rpk;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rpk container status}: the local cluster's nodes, whether each runs, and their addresses. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the local cluster's nodes and their addresses.")
final class ContainerStatus implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    ContainerCommand.BaseDir base;

    @Override
    public void run() {
        Rpk rpk = Rpk.of(spec);
        LocalCluster cluster = base.cluster(rpk);
        var nodes = cluster.nodes();
        if (nodes.isEmpty()) {
            rpk.out().println("No local cluster in " + cluster.baseDir() + "; create one with 'rpk container start -n 3'.");
            return;
        }
        ContainerCommand.printNodes(rpk, cluster, nodes);
    }
}
