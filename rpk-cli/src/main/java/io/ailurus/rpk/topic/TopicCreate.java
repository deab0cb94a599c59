package io.ailurus.rpk.topic;

import io.ailurus.rpk.Errors;
import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.RpkException;
import io.ailurus.rpk.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rpk topic create}: prints TOPIC/STATUS per topic; exit 1 if any failed. */
@Command(name = "create", mixinStandardHelpOptions = true, description = {"Create topics.", "",
    "  rpk topic create orders -p 6 -r 1 -c retention.ms=86400000"})
public final class TopicCreate implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TOPIC", description = "Topics to create.")
    List<String> topics;
    @Option(names = {"-p", "--partitions"}, defaultValue = "-1", description = "Number of partitions (default: cluster default).")
    int partitions;
    @Option(names = {"-r", "--replicas"}, defaultValue = "-1", description = "Replication factor (default: cluster default).")
    short replicas;
    @Option(names = {"-c", "--topic-config"}, paramLabel = "KEY=VALUE", description = "Topic config, repeatable.")
    List<String> configs = new ArrayList<>();
    @Option(names = {"-d", "--dry"}, description = "Validate the request without creating the topics.")
    boolean dry;

    @Override
    public Integer call() {
        Rpk rpk = Rpk.of(spec);
        Map<String, String> cfg = TopicConfigs.parse(configs);
        List<NewTopic> wanted = new ArrayList<>();
        for (String t : topics) {
            wanted.add(new NewTopic(t, partitions > 0 ? Optional.of(partitions) : Optional.empty(),
                replicas > 0 ? Optional.of(replicas) : Optional.empty()).configs(cfg));
        }
        Table table = new Table("TOPIC", "STATUS");
        boolean failed = false;
        try (Admin admin = rpk.kafka().admin()) {
            CreateTopicsResult r = admin.createTopics(wanted, new CreateTopicsOptions().validateOnly(dry));
            for (String t : topics) {
                Throwable error = TopicConfigs.failure(r.values().get(t));
                failed |= error != null;
                table.row(t, Errors.status(error));
            }
        }
        table.print(rpk.out());
        return failed ? 1 : 0;
    }
}
