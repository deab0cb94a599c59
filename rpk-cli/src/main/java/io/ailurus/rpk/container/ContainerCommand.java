package io.ailurus.rpk.container;

import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.RpkException;
import io.ailurus.rpk.Table;
import io.ailurus.rpk.profile.ProfileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rpk container}: Redpanda's local-cluster verbs without Docker. Each "container" is a
 * broker process on this machine ({@code bin/ailurus start}) with its own data directory and
 * ports; {@code start} forms the cluster through {@code --seeds} and points an rpk profile at it.
 */
@Command(name = "container", mixinStandardHelpOptions = true,
    description = {"Manage a local Ailurus cluster: broker processes on this machine, each with its own",
        "data directory and ports (Redpanda's 'rpk container', without Docker)."},
    footer = {"", "Base directory: --base-dir, else $RPK_CONTAINER_DIR, else var/cluster in the installation.",
        "Example: rpk container start -n 3 && rpk topic create demo -r 3 && rpk container purge"},
    subcommands = {ContainerStart.class, ContainerStatus.class, ContainerStop.class, ContainerPurge.class})
public final class ContainerCommand implements Runnable {
    /** The rpk profile {@code start} creates and {@code purge} removes, as Redpanda's rpk does. */
    static final String PROFILE = "rpk-container";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Rpk.of(spec).out());
    }

    /** The {@code --base-dir} option shared by the subcommands. */
    static final class BaseDir {
        @Option(names = "--base-dir", paramLabel = "DIR",
            description = "Where the nodes' directories are (default $RPK_CONTAINER_DIR, else var/cluster in the installation).")
        Path baseDir;

        LocalCluster cluster(Rpk rpk) {
            if (baseDir != null) {
                return new LocalCluster(baseDir);
            }
            String fromEnv = rpk.env().get("RPK_CONTAINER_DIR");
            if (fromEnv != null && !fromEnv.isBlank()) {
                return new LocalCluster(Path.of(fromEnv));
            }
            return new LocalCluster(installation(rpk).resolve("var").resolve("cluster"));
        }
    }

    /** The Ailurus installation: $AILURUS_HOME, else the directory bin/rpk was started from. */
    static Path installation(Rpk rpk) {
        String home = rpk.env().get("AILURUS_HOME");
        if (home == null || home.isBlank()) {
            home = System.getProperty("ailurus.home");
        }
        if (home == null || home.isBlank()) {
            throw new RpkException("cannot find the Ailurus installation: run rpk as bin/rpk, or set AILURUS_HOME");
        }
        return Path.of(home).toAbsolutePath().normalize();
    }

    /** The broker launcher of the installation. */
    static Path launcher(Rpk rpk) {
        Path launcher = installation(rpk).resolve("bin").resolve("ailurus");
        if (!Files.isExecutable(launcher)) {
            throw new RpkException(launcher + " is missing or not executable; set AILURUS_HOME to an Ailurus installation");
        }
        return launcher;
    }

    /** The status table printed by {@code start} and {@code status}. */
    static void printNodes(Rpk rpk, LocalCluster cluster, List<LocalNode> nodes) {
        Table t = new Table("NODE-ID", "STATUS", "PID", "KAFKA-ADDRESS", "ADMIN-ADDRESS", "RPC-ADDRESS");
        for (LocalNode n : nodes) {
            var process = cluster.process(n);
            t.row(n.id(), process.isPresent() ? "running" : "stopped",
                process.map(p -> Long.toString(p.pid())).orElse("-"),
                n.kafkaAddress(), n.adminAddress(), n.rpcAddress());
        }
        t.print(rpk.out());
    }

    /** Removes the {@value #PROFILE} profile (and un-selects it) if it exists. */
    static boolean removeProfile(Rpk rpk) {
        ProfileStore store = rpk.profiles();
        ProfileStore.File f = store.load();
        boolean removed = f.profiles.removeIf(p -> PROFILE.equals(p.name));
        if (removed) {
            if (PROFILE.equals(f.currentProfile)) {
                f.currentProfile = null;
            }
            store.save(f);
        }
        return removed;
    }
}
