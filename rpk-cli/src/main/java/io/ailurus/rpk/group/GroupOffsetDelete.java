package io.ailurus.rpk.group;

import io.ailurus.rpk.Errors;
import io.ailurus.rpk.KafkaClients;
import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.RpkException;
import io.ailurus.rpk.Table;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DeleteConsumerGroupOffsetsResult;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rpk group offset-delete GROUP --topic t[:p,p...]}: removes committed offsets (the group
 * must not be consuming those partitions); TOPIC/PARTITION/STATUS.
 */
@Command(name = "offset-delete", mixinStandardHelpOptions = true,
    description = {"Delete offsets for a Kafka group.", "",
        "  rpk group offset-delete billing --topic orders           # every committed partition of orders",
        "  rpk group offset-delete billing --topic orders:0,1"})
public final class GroupOffsetDelete implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "GROUP")
    String group;
    @Option(names = {"-t", "--topic"}, required = true, paramLabel = "TOPIC[:P,P...]", description = "Topic (and partitions), repeatable.")
    List<String> topics;

    @Override
    public Integer call() throws InterruptedException {
        Rpk rpk = Rpk.of(spec);
        Table t = new Table("TOPIC", "PARTITION", "STATUS");
        boolean failed = false;
        try (Admin admin = rpk.kafka().admin()) {
            var committed = KafkaClients.await(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
            Set<TopicPartition> wanted = new LinkedHashSet<>();
            for (String spec : topics) {
                int colon = spec.indexOf(':');
                String topic = colon < 0 ? spec : spec.substring(0, colon);
                if (colon < 0) {
                    committed.keySet().stream().filter(tp -> tp.topic().equals(topic))
                        .sorted((a, b) -> Integer.compare(a.partition(), b.partition())).forEach(wanted::add);
                } else {
                    for (String p : spec.substring(colon + 1).split(",")) {
                        try {
                            wanted.add(new TopicPartition(topic, Integer.parseInt(p.trim())));
                        } catch (NumberFormatException e) {
                            throw new RpkException("invalid partition '" + p + "' in --topic " + spec);
                        }
                    }
                }
            }
            if (wanted.isEmpty()) {
                throw new RpkException("group " + group + " has no committed offsets for " + topics);
            }
            DeleteConsumerGroupOffsetsResult r = admin.deleteConsumerGroupOffsets(group, wanted);
            for (TopicPartition tp : new ArrayList<>(wanted)) {
                Throwable e = null;
                try {
                    r.partitionResult(tp).get(30, TimeUnit.SECONDS);
                } catch (ExecutionException x) {
                    e = x.getCause();
                } catch (java.util.concurrent.TimeoutException x) {
                    e = x;
                }
                failed |= e != null;
                t.row(tp.topic(), tp.partition(), Errors.status(e));
            }
        }
        t.print(rpk.out());
        return failed ? 1 : 0;
    }
}
