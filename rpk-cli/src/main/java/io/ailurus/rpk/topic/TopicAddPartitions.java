package io.ailurus.rpk.topic;

import io.ailurus.rpk.Errors;
import io.ailurus.rpk.KafkaClients;
import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.RpkException;
import io.ailurus.rpk.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.TopicDescription;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rpk topic add-partitions -n N}: adds N partitions to each topic; TOPIC/ERROR. */
@Command(name = "add-partitions", mixinStandardHelpOptions = true, description = "Add partitions to existing topics.")
public final class TopicAddPartitions implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TOPIC")
    List<String> topics;
    @Option(names = {"-n", "--num"}, required = true, description = "Number of partitions to add to each topic.")
    int num;

    @Override
    public Integer call() {
        if (num <= 0) {
            throw new RpkException("--num must be positive, got " + num);
        }
        Rpk rpk = Rpk.of(spec);
        Table table = new Table("TOPIC", "ERROR");
        boolean failed = false;
        try (Admin admin = rpk.kafka().admin()) {
            Map<String, TopicDescription> now = KafkaClients.await(admin.describeTopics(topics).allTopicNames());
            Map<String, NewPartitions> req = new LinkedHashMap<>();
            now.forEach((t, d) -> req.put(t, NewPartitions.increaseTo(d.partitions().size() + num)));
            var r = admin.createPartitions(req).values();
            for (String t : topics) {
                Throwable e = TopicConfigs.failure(r.get(t));
                failed |= e != null;
                table.row(t, Errors.status(e));
            }
        }
        table.print(rpk.out());
        return failed ? 1 : 0;
    }
}
