package io.ailurus.rpk.group;

import io.ailurus.rpk.KafkaClients;
import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.Table;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rpk group describe}: the summary (GROUP, COORDINATOR, STATE, BALANCER, MEMBERS,
 * TOTAL-LAG) and one row per committed or assigned partition with CURRENT-OFFSET,
 * LOG-START-OFFSET, LOG-END-OFFSET and LAG, as rpk shows them. A partition without a commit shows
 * {@code -} and its lag counts from the log start.
 */
@Command(name = "describe", mixinStandardHelpOptions = true, description = "Describe group offset status & lag.")
public final class GroupDescribe implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "GROUP")
    List<String> groups;
    @Option(names = {"-s", "--print-summary"}, description = "Print only the group summary section.")
    boolean summaryOnly;
    @Option(names = {"-c", "--print-commits"}, description = "Print only the group commits section.")
    boolean commitsOnly;

    private record Row(TopicPartition tp, Long committed, long start, long end, MemberDescription member) {
        long lag() {
            return committed == null ? end - start : Math.max(0, end - committed);
        }
    }

    @Override
    public void run() {
        Rpk rpk = Rpk.of(spec);
        PrintStream out = rpk.out();
        try (Admin admin = rpk.kafka().admin()) {
            Map<String, ConsumerGroupDescription> described = KafkaClients.await(admin.describeConsumerGroups(groups).all());
            boolean first = true;
            for (String id : groups) {
                if (!first) {
                    out.println();
                }
                first = false;
                ConsumerGroupDescription g = described.get(id);
                Map<TopicPartition, OffsetAndMetadata> commits =
                    KafkaClients.await(admin.listConsumerGroupOffsets(id).partitionsToOffsetAndMetadata());
                Map<TopicPartition, MemberDescription> owners = new HashMap<>();
                for (MemberDescription m : g.members()) {
                    m.assignment().topicPartitions().forEach(tp -> owners.put(tp, m));
                }
                Map<TopicPartition, OffsetSpec> all = new HashMap<>();
                commits.keySet().forEach(tp -> all.put(tp, OffsetSpec.latest()));
                owners.keySet().forEach(tp -> all.put(tp, OffsetSpec.latest()));
                Map<TopicPartition, ListOffsetsResultInfo> ends = all.isEmpty() ? Map.of()
                    : KafkaClients.await(admin.listOffsets(all).all());
                Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
                all.keySet().forEach(tp -> earliest.put(tp, OffsetSpec.earliest()));
                Map<TopicPartition, ListOffsetsResultInfo> starts = all.isEmpty() ? Map.of()
                    : KafkaClients.await(admin.listOffsets(earliest).all());
                Map<TopicPartition, Row> rows = new TreeMap<>(Comparator.comparing(TopicPartition::topic)
                    .thenComparingInt(TopicPartition::partition));
                for (TopicPartition tp : all.keySet()) {
                    OffsetAndMetadata c = commits.get(tp);
                    rows.put(tp, new Row(tp, c == null ? null : c.offset(), starts.get(tp).offset(), ends.get(tp).offset(),
                        owners.get(tp)));
                }
                long totalLag = rows.values().stream().mapToLong(Row::lag).sum();
                if (!commitsOnly) {
                    new Table().row("GROUP", id)
                        .row("COORDINATOR", g.coordinator() == null ? -1 : g.coordinator().id())
                        .row("STATE", GroupStates.name(g.groupState()))
                        .row("BALANCER", g.partitionAssignor() == null ? "" : g.partitionAssignor())
                        .row("MEMBERS", g.members().size())
                        .row("TOTAL-LAG", totalLag)
                        .print(out);
                }
                if (summaryOnly || rows.isEmpty()) {
                    continue;
                }
                if (!commitsOnly) {
                    out.println();
                }
                Table t = new Table("TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-START-OFFSET", "LOG-END-OFFSET", "LAG",
                    "MEMBER-ID", "CLIENT-ID", "HOST");
                for (Row r : rows.values()) {
                    MemberDescription m = r.member();
                    t.row(r.tp().topic(), r.tp().partition(), r.committed() == null ? "-" : r.committed(), r.start(), r.end(),
                        r.lag(), m == null ? "" : m.consumerId(), m == null ? "" : m.clientId(), m == null ? "" : m.host());
                }
                t.print(out);
            }
        }
    }
}
