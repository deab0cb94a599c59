package io.ailurus.rpk.container;

import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.RpkException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rpk container purge}: stops the nodes, deletes their directories and the rpk-container profile. */
@Command(name = "purge", mixinStandardHelpOptions = true,
    description = "Stop the local cluster and delete its data and the rpk-container profile.")
final class ContainerPurge implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    ContainerCommand.BaseDir base;

    @Override
    public void run() {
        Rpk rpk = Rpk.of(spec);
        LocalCluster cluster = base.cluster(rpk);
        var nodes = cluster.nodes();
        ContainerStop.stopAll(rpk, cluster, Duration.ofSeconds(30));
        for (LocalNode n : nodes) {
            deleteTree(n.dir());
        }
        if (!nodes.isEmpty()) {
            rpk.out().println("Deleted " + nodes.size() + " node director" + (nodes.size() == 1 ? "y" : "ies")
                + " under " + cluster.baseDir() + ".");
        }
        if (ContainerCommand.removeProfile(rpk)) {
            rpk.out().println("Deleted profile \"" + ContainerCommand.PROFILE + "\".");
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new RpkException("cannot delete " + dir + ": " + e.getMessage());
        }
    }
}
