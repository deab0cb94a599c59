package io.ailurus.rpk.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.ailurus.rpk.AdminApiClient;
import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.RpkException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rpk cluster health}: the admin API's health overview in rpk's layout. {@code --watch}
 * repeats it; with {@code --exit-when-healthy} the watch ends (exit 0) once the cluster is healthy.
 */
@Command(name = "health", mixinStandardHelpOptions = true,
    description = {"Query the cluster for general health info.", "",
        "Exit code 0 when the query succeeded (healthy or not); use --exit-when-healthy with --watch to wait."})
public final class ClusterHealth implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-w", "--watch"}, description = "Blocks and writes out all cluster health changes.")
    boolean watch;
    @Option(names = {"-e", "--exit-when-healthy"}, description = "When used with --watch, exits after the cluster is back in a healthy state.")
    boolean exitWhenHealthy;
    @Option(names = "--interval", defaultValue = "2000", paramLabel = "MS", description = "Time between checks with --watch (default ${DEFAULT-VALUE} ms).")
    long intervalMs;
    @Option(names = "--timeout", defaultValue = "0", paramLabel = "MS", description = "With --watch, give up (exit 1) after this long; 0 waits forever.")
    long timeoutMs;

    @Override
    public Integer call() throws InterruptedException {
        Rpk rpk = Rpk.of(spec);
        AdminApiClient api = rpk.adminApi();
        PrintStream out = rpk.out();
        long deadline = timeoutMs > 0 ? System.nanoTime() + timeoutMs * 1_000_000 : Long.MAX_VALUE;
        String last = null;
        while (true) {
            JsonNode h = api.get("/v1/cluster/health_overview");
            String text = render(h);
            if (!watch) {
                out.print(text);
                return 0;
            }
            if (!text.equals(last)) {
                out.print(text);
                out.flush();
                last = text;
            }
            if (exitWhenHealthy && h.path("is_healthy").asBoolean()) {
                return 0;
            }
            if (System.nanoTime() > deadline) {
                throw new RpkException("the cluster was not healthy within " + timeoutMs + " ms");
            }
            Thread.sleep(intervalMs);
        }
    }

    static String render(JsonNode h) {
        StringBuilder sb = new StringBuilder();
        sb.append("CLUSTER HEALTH OVERVIEW\n=======================\n");
        line(sb, "Healthy:", h.path("is_healthy").asText());
        line(sb, "Unhealthy reasons:", list(h.path("unhealthy_reasons")));
        line(sb, "Controller ID:", h.path("controller_id").asText());
        line(sb, "All nodes:", list(h.path("all_nodes")));
        line(sb, "Nodes down:", list(h.path("nodes_down")));
        line(sb, "Leaderless partitions (" + h.path("leaderless_count").asLong() + "):", list(h.path("leaderless_partitions")));
        line(sb, "Under-replicated partitions (" + h.path("under_replicated_count").asLong() + "):",
            list(h.path("under_replicated_partitions")));
        return sb.toString();
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append(String.format("%-34s%s%n", label, value));
    }

    private static String list(JsonNode arr) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < arr.size(); i++) {
            sb.append(i == 0 ? "" : " ").append(arr.get(i).asText());
        }
        return sb.append(']').toString();
    }
}
