package io.ailurus.rpk.topic;

import io.ailurus.rpk.KafkaClients;
import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.Table;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rpk topic list} (alias {@code ls}): NAME, PARTITIONS, REPLICAS. */
@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List topics.")
public final class TopicList implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-i", "--internal"}, description = "Print internal topics.")
    boolean internal;
    @Option(names = {"-r", "--regex"}, description = "Parse topics as regular expressions.")
    boolean regex;
    @Parameters(arity = "0..*", paramLabel = "TOPIC", description = "Only these topics (or patterns with -r).")
    List<String> filter = List.of();

    @Override
    public void run() {
        Rpk rpk = Rpk.of(spec);
        try (Admin admin = rpk.kafka().admin()) {
            List<String> names = KafkaClients.await(admin.listTopics(new ListTopicsOptions().listInternal(internal)).names())
                .stream().filter(this::matches).sorted().toList();
            Map<String, TopicDescription> d = new TreeMap<>(names.isEmpty() ? Map.of()
                : KafkaClients.await(admin.describeTopics(names).allTopicNames()));
            Table t = new Table("NAME", "PARTITIONS", "REPLICAS");
            d.values().forEach(x -> t.row(x.name(), x.partitions().size(),
                x.partitions().isEmpty() ? 0 : x.partitions().get(0).replicas().size()));
            t.print(rpk.out());
        }
    }

    private boolean matches(String name) {
        if (filter.isEmpty()) {
            return true;
        }
        return filter.stream().anyMatch(f -> regex ? Pattern.compile(f).matcher(name).matches() : f.equals(name));
    }
}
