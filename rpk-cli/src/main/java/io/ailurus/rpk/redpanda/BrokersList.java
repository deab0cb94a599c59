package io.ailurus.rpk.redpanda;

import com.fasterxml.jackson.databind.JsonNode;
import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.Table;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rpk redpanda admin brokers list}: every broker with its membership status and liveness. */
@Command(name = "list", aliases = {"ls"}, mixinStandardHelpOptions = true, description = "List the brokers in your cluster.")
public final class BrokersList implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Rpk rpk = Rpk.of(spec);
        JsonNode brokers = rpk.adminApi().get("/v1/brokers");
        Table table = new Table("NODE-ID", "NUM-CORES", "MEMBERSHIP-STATUS", "IS-ALIVE", "BROKER-VERSION");
        for (JsonNode b : brokers) {
            table.row(b.path("node_id").asText(), b.path("num_cores").asText(), b.path("membership_status").asText(),
                b.path("is_alive").asText(), b.path("version").asText());
        }
        table.print(rpk.out());
        return 0;
    }
}
