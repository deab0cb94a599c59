package io.ailurus.rpk.topic;

import io.ailurus.rpk.KafkaClients;
import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.Table;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rpk topic describe}: SUMMARY and CONFIGS sections, or with {@code -p} the partitions:
 * PARTITION, LEADER, EPOCH, REPLICAS, LOG-START-OFFSET, HIGH-WATERMARK.
 */
@Command(name = "describe", aliases = "info", mixinStandardHelpOptions = true,
    description = "Describe topics: summary and configs, or partitions with -p.")
public final class TopicDescribe implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TOPIC")
    List<String> topics;
    @Option(names = {"-s", "--print-summary"}, description = "Print the summary section.")
    boolean summary;
    @Option(names = {"-c", "--print-configs"}, description = "Print the config section.")
    boolean configs;
    @Option(names = {"-p", "--print-partitions"}, description = "Print the partitions section.")
    boolean partitions;
    @Option(names = {"-a", "--print-all"}, description = "Print all sections.")
    boolean all;

    @Override
    public void run() {
        Rpk rpk = Rpk.of(spec);
        PrintStream out = rpk.out();
        boolean showSummary = all || summary || (!configs && !partitions);
        boolean showConfigs = all || configs || (!summary && !partitions);
        boolean showPartitions = all || partitions;
        try (Admin admin = rpk.kafka().admin()) {
            Map<String, TopicDescription> described = KafkaClients.await(admin.describeTopics(topics).allTopicNames());
            boolean firstTopic = true;
            for (String name : topics) {
                if (!firstTopic) {
                    out.println();
                }
                firstTopic = false;
                TopicDescription d = described.get(name);
                boolean needBlank = false;
                if (showSummary) {
                    Table.section(out, "SUMMARY");
                    new Table().row("NAME", d.name())
                        .row("PARTITIONS", d.partitions().size())
                        .row("REPLICAS", d.partitions().isEmpty() ? 0 : d.partitions().get(0).replicas().size())
                        .print(out);
                    needBlank = true;
                }
                if (showConfigs) {
                    if (needBlank) {
                        out.println();
                    }
                    ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, name);
                    Config cfg = KafkaClients.await(admin.describeConfigs(List.of(res)).all()).get(res);
                    Table.section(out, "CONFIGS");
                    Table t = new Table("KEY", "VALUE", "SOURCE");
                    cfg.entries().stream().sorted(Comparator.comparing(e -> e.name()))
                        .forEach(e -> t.row(e.name(), e.value() == null ? "" : e.value(), e.source()));
                    t.print(out);
                    needBlank = true;
                }
                if (showPartitions) {
                    if (needBlank) {
                        out.println();
                    }
                    if (all) {
                        Table.section(out, "PARTITIONS");
                    }
                    printPartitions(admin, d, out);
                }
            }
        }
    }

    private static void printPartitions(Admin admin, TopicDescription d, PrintStream out) {
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicPartitionInfo p : d.partitions()) {
            earliest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.earliest());
            latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResultInfo> start = KafkaClients.await(admin.listOffsets(earliest).all());
        Map<TopicPartition, ListOffsetsResultInfo> end = KafkaClients.await(admin.listOffsets(latest).all());
        Table t = new Table("PARTITION", "LEADER", "EPOCH", "REPLICAS", "LOG-START-OFFSET", "HIGH-WATERMARK");
        for (TopicPartitionInfo p : d.partitions()) {
            TopicPartition tp = new TopicPartition(d.name(), p.partition());
            ListOffsetsResultInfo hw = end.get(tp);
            t.row(p.partition(), p.leader() == null ? -1 : p.leader().id(),
                hw.leaderEpoch().map(String::valueOf).orElse("-1"),
                p.replicas().stream().map(Node::id).toList().toString().replace(" ", ""),
                start.get(tp).offset(), hw.offset());
        }
        t.print(out);
    }
}
