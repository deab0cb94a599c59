package io.ailurus.rpk.redpanda;

import io.ailurus.rpk.Rpk;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code rpk redpanda admin brokers decommission <id>}: starts moving every replica off the broker
 * (the broker then takes no new replicas). Refused, with the reason, when some replica cannot move.
 */
@Command(name = "decommission", mixinStandardHelpOptions = true,
    description = {"Decommission the given broker.", "",
        "Its replicas move to other brokers; follow with 'rpk redpanda admin brokers decommission-status ID'.",
        "Once finished, the broker can be stopped without losing data."})
public final class BrokerDecommission implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BROKER-ID", description = "The node id of the broker to decommission.")
    int broker;

    @Override
    public Integer call() {
        Rpk rpk = Rpk.of(spec);
        rpk.adminApi().put("/v1/brokers/" + broker + "/decommission", null);
        rpk.out().printf("Success, broker %d decommission started.  Use 'rpk redpanda admin brokers decommission-status"
            + " %d' to monitor data movement.%n", broker, broker);
        return 0;
    }
}
