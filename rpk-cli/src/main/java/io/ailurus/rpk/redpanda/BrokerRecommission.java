package io.ailurus.rpk.redpanda;

import io.ailurus.rpk.Rpk;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rpk redpanda admin brokers recommission <id>}: cancels a decommission; moves still taking replicas off go back. */
@Command(name = "recommission", mixinStandardHelpOptions = true,
    description = "Recommission the given broker if it is still being decommissioned.")
public final class BrokerRecommission implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BROKER-ID", description = "The node id of the broker to recommission.")
    int broker;

    @Override
    public Integer call() {
        Rpk rpk = Rpk.of(spec);
        rpk.adminApi().put("/v1/brokers/" + broker + "/recommission", null);
        rpk.out().printf("Success, broker %d has been recommissioned!%n", broker);
        return 0;
    }
}
