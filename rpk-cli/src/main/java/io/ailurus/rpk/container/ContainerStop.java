package io.ailurus.rpk.container;

import io.ailurus.rpk.Rpk;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rpk container stop}: stops every node (SIGTERM, SIGKILL after the grace period); data is kept. */
@Command(name = "stop", mixinStandardHelpOptions = true,
    description = "Stop the local cluster's nodes; their data stays for 'rpk container start'.")
final class ContainerStop implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    ContainerCommand.BaseDir base;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "30",
        description = "How long a node may take to stop cleanly before it is killed (default ${DEFAULT-VALUE}).")
    int graceSeconds;

    @Override
    public void run() {
        stopAll(Rpk.of(spec), base.cluster(Rpk.of(spec)), Duration.ofSeconds(graceSeconds));
    }

    static void stopAll(Rpk rpk, LocalCluster cluster, Duration grace) {
        var nodes = cluster.nodes();
        if (nodes.isEmpty()) {
            rpk.out().println("No local cluster in " + cluster.baseDir() + ".");
            return;
        }
        for (LocalNode n : nodes) {
            var pid = cluster.stop(n, grace);
            rpk.out().println(pid.map(p -> "node " + n.id() + " stopped (pid " + p + ")")
                .orElse("node " + n.id() + " was not running"));
        }
    }
}
