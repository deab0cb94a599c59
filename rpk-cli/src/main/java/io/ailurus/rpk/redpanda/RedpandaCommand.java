package io.ailurus.rpk.redpanda;

import io.ailurus.rpk.Rpk;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rpk redpanda}: Redpanda's name for the node-level commands; here {@code admin} only. */
@Command(name = "redpanda", mixinStandardHelpOptions = true, description = "Interact with a local or remote Ailurus node.",
    subcommands = {RedpandaCommand.Admin.class})
public final class RedpandaCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Rpk.of(spec).out());
    }

    /** {@code rpk redpanda admin}: talks to the admin API. */
    @Command(name = "admin", mixinStandardHelpOptions = true, description = "Talk to the admin API.",
        subcommands = {Admin.Brokers.class})
    public static final class Admin implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(Rpk.of(spec).out());
        }

        /** {@code rpk redpanda admin brokers}: list, decommission, decommission-status, recommission. */
        @Command(name = "brokers", aliases = {"broker"}, mixinStandardHelpOptions = true,
            description = "View and configure brokers through the admin API.",
            subcommands = {BrokersList.class, BrokerDecommission.class, BrokerDecommissionStatus.class,
                BrokerRecommission.class})
        public static final class Brokers implements Runnable {
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public void run() {
                spec.commandLine().usage(Rpk.of(spec).out());
            }
        }
    }
}
