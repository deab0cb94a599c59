package io.ailurus.rpk.group;

import io.ailurus.rpk.KafkaClients;
import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.RpkException;
import io.ailurus.rpk.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rpk group seek GROUP --to start|end|OFFSET|@TIMESTAMP [--topics t,...]}: rewrites the
 * group's committed offsets (the group must have no active members); prints TOPIC, PARTITION,
 * PRIOR-OFFSET, CURRENT-OFFSET.
 */
@Command(name = "seek", mixinStandardHelpOptions = true, description = {"Modify a group's current offsets.", "",
    "  rpk group seek billing --to start",
    "  rpk group seek billing --to 42 --topics orders",
    "  rpk group seek billing --to @1700000000000"})
public final class GroupSeek implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "GROUP")
    String group;
    @Option(names = "--to", required = true, description = "start, end, an offset, or @TIMESTAMP_MS.")
    String to;
    @Option(names = "--topics", split = ",", description = "Only these topics (default: the topics the group has committed).")
    List<String> topics = new ArrayList<>();

    @Override
    public void run() {
        Rpk rpk = Rpk.of(spec);
        try (Admin admin = rpk.kafka().admin()) {
            Map<TopicPartition, OffsetAndMetadata> prior =
                KafkaClients.await(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
            List<String> names = topics.isEmpty()
                ? prior.keySet().stream().map(TopicPartition::topic).distinct().toList() : topics;
            if (names.isEmpty()) {
                throw new RpkException("group " + group + " has no committed offsets; name the topics with --topics");
            }
            Map<String, TopicDescription> d = KafkaClients.await(admin.describeTopics(names).allTopicNames());
            Map<TopicPartition, OffsetSpec> query = new HashMap<>();
            OffsetSpec target = target();
            d.values().forEach(td -> td.partitions().forEach(p -> query.put(new TopicPartition(td.name(), p.partition()),
                target == null ? OffsetSpec.latest() : target)));
            Map<TopicPartition, ListOffsetsResultInfo> found = KafkaClients.await(admin.listOffsets(query).all());
            Map<TopicPartition, OffsetAndMetadata> next = new TreeMap<>(Comparator.comparing(TopicPartition::topic)
                .thenComparingInt(TopicPartition::partition));
            for (var e : found.entrySet()) {
                long offset = target == null ? Math.min(Long.parseLong(to), e.getValue().offset()) : e.getValue().offset();
                if (offset < 0) {
                    offset = e.getValue().offset(); // no record at/after the timestamp: the end
                }
                next.put(e.getKey(), new OffsetAndMetadata(offset));
            }
            KafkaClients.await(admin.alterConsumerGroupOffsets(group, next).all());
            Table t = new Table("TOPIC", "PARTITION", "PRIOR-OFFSET", "CURRENT-OFFSET");
            next.forEach((tp, o) -> t.row(tp.topic(), tp.partition(),
                prior.containsKey(tp) ? prior.get(tp).offset() : -1, o.offset()));
            t.print(rpk.out());
        }
    }

    /** null for an exact offset (bounded by the log end when applied). */
    private OffsetSpec target() {
        if (to.equals("start")) {
            return OffsetSpec.earliest();
        }
        if (to.equals("end")) {
            return OffsetSpec.latest();
        }
        try {
            if (to.startsWith("@")) {
                return OffsetSpec.forTimestamp(Long.parseLong(to.substring(1)));
            }
            if (Long.parseLong(to) < 0) {
                throw new NumberFormatException();
            }
            return null;
        } catch (NumberFormatException e) {
            throw new RpkException("invalid --to '" + to + "': use start, end, a non-negative offset or @TIMESTAMP_MS");
        }
    }
}
