package io.ailurus.rpk.cluster;

import io.ailurus.rpk.KafkaClients;
import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.Table;
import java.io.PrintStream;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rpk cluster info} (aliases {@code metadata}, {@code status}): the CLUSTER, BROKERS and
 * TOPICS sections from Kafka metadata, the controller marked with {@code *}, in rpk's layout.
 */
@Command(name = "info", aliases = {"metadata", "status"}, mixinStandardHelpOptions = true,
    description = {"Request broker metadata information.", "",
        "Prints the cluster, the brokers (the controller is suffixed with *) and the topics. "
            + "With no section flag all sections are printed."})
public final class ClusterInfo implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--print-cluster"}, description = "Print cluster section.")
    boolean printCluster;
    @Option(names = {"-b", "--print-brokers"}, description = "Print brokers section.")
    boolean printBrokers;
    @Option(names = {"-t", "--print-topics"}, description = "Print topics section (implied if any topics are given).")
    boolean printTopics;
    @Option(names = {"-d", "--print-detailed-topics"}, description = "Print per-partition information for topics (implies -t).")
    boolean detailed;
    @Option(names = {"-i", "--print-internal-topics"}, description = "Print internal topics (implies -t).")
    boolean internal;
    @Parameters(arity = "0..*", paramLabel = "TOPIC", description = "Topics to describe (default all).")
    List<String> topics = List.of();

    @Override
    public Integer call() {
        Rpk rpk = Rpk.of(spec);
        PrintStream out = rpk.out();
        boolean topicsWanted = printTopics || detailed || internal || !topics.isEmpty();
        boolean all = !printCluster && !printBrokers && !topicsWanted;
        try (Admin admin = rpk.kafka().admin()) {
            DescribeClusterResult cluster = admin.describeCluster();
            String clusterId = KafkaClients.await(cluster.clusterId());
            Node controller = KafkaClients.await(cluster.controller());
            Collection<Node> nodes = KafkaClients.await(cluster.nodes());
            boolean first = true;
            if (all || printCluster) {
                Table.section(out, "CLUSTER");
                out.println(clusterId);
                first = false;
            }
            if (all || printBrokers) {
                if (!first) {
                    out.println();
                }
                Table.section(out, "BROKERS");
                Table t = new Table("ID", "HOST", "PORT");
                nodes.stream().sorted(Comparator.comparingInt(Node::id)).forEach(n ->
                    t.row(n.id() + (controller != null && controller.id() == n.id() ? "*" : ""), n.host(), n.port()));
                t.print(out);
                first = false;
            }
            if (all || topicsWanted) {
                if (!first) {
                    out.println();
                }
                printTopics(admin, out);
            }
        }
        return 0;
    }

    private void printTopics(Admin admin, PrintStream out) {
        List<String> names = topics.isEmpty()
            ? KafkaClients.await(admin.listTopics(new ListTopicsOptions().listInternal(internal)).names()).stream().sorted().toList()
            : topics;
        Map<String, TopicDescription> described = new TreeMap<>(names.isEmpty() ? Map.of()
            : KafkaClients.await(admin.describeTopics(names).allTopicNames()));
        Table.section(out, "TOPICS");
        if (!detailed) {
            Table t = new Table("NAME", "PARTITIONS", "REPLICAS");
            described.values().forEach(d -> t.row(d.name(), d.partitions().size(),
                d.partitions().isEmpty() ? 0 : d.partitions().get(0).replicas().size()));
            t.print(out);
            return;
        }
        boolean firstTopic = true;
        for (TopicDescription d : described.values()) {
            if (!firstTopic) {
                out.println();
            }
            firstTopic = false;
            out.println(d.name() + (d.isInternal() ? " (internal)" : "") + ", " + d.partitions().size() + " partitions, "
                + (d.partitions().isEmpty() ? 0 : d.partitions().get(0).replicas().size()) + " replicas");
            Table t = new Table("", "PARTITION", "LEADER", "REPLICAS", "IN-SYNC-REPLICAS");
            for (TopicPartitionInfo p : d.partitions()) {
                t.row("", p.partition(), p.leader() == null ? -1 : p.leader().id(), ids(p.replicas()), ids(p.isr()));
            }
            t.print(out);
        }
    }

    static String ids(List<Node> nodes) {
        return nodes.stream().map(n -> String.valueOf(n.id())).toList().toString().replace(" ", "");
    }
}
