package io.ailurus.rpk.redpanda;

import com.fasterxml.jackson.databind.JsonNode;
import io.ailurus.rpk.Rpk;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code rpk redpanda admin brokers decommission-status <id>}: whether the broker's replicas have
 * all moved away, how many are left, and the partitions that found no other broker.
 */
@Command(name = "decommission-status", mixinStandardHelpOptions = true,
    description = "Show the progress of a broker's decommissioning.")
public final class BrokerDecommissionStatus implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BROKER-ID", description = "The node id of the broker being decommissioned.")
    int broker;

    @Override
    public Integer call() {
        Rpk rpk = Rpk.of(spec);
        JsonNode status = rpk.adminApi().get("/v1/brokers/" + broker + "/decommission");
        render(rpk.out(), broker, status);
        return 0;
    }

    static void render(PrintStream out, int broker, JsonNode status) {
        if (status.path("finished").asBoolean()) {
            out.printf("Node %d is decommissioned successfully.%n", broker);
            return;
        }
        out.printf("DECOMMISSION PROGRESS%n=====================%n");
        out.printf("%-20s%d%n", "NODE-ID", broker);
        out.printf("%-20s%d%n", "REPLICAS-LEFT", status.path("replicas_left").asLong());
        JsonNode failures = status.path("allocation_failures");
        if (failures.size() > 0) {
            out.printf("%nALLOCATION FAILURES%n===================%n");
            failures.forEach(f -> out.println(f.asText()));
        }
    }
}
