package io.ailurus.rpk.group;

import io.ailurus.rpk.KafkaClients;
import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.Table;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rpk group list}: BROKER (coordinator), GROUP, STATE. */
@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List all groups.")
public final class GroupList implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        Rpk rpk = Rpk.of(spec);
        try (Admin admin = rpk.kafka().admin()) {
            List<String> ids = KafkaClients.await(admin.listGroups().all()).stream()
                .map(GroupListing::groupId).sorted().toList();
            Map<String, ConsumerGroupDescription> d = ids.isEmpty() ? Map.of()
                : KafkaClients.await(admin.describeConsumerGroups(ids).all());
            Table t = new Table("BROKER", "GROUP", "STATE");
            ids.stream().sorted(Comparator.naturalOrder()).forEach(id -> {
                ConsumerGroupDescription g = d.get(id);
                t.row(g == null || g.coordinator() == null ? -1 : g.coordinator().id(), id,
                    g == null ? "Unknown" : GroupStates.name(g.groupState()));
            });
            t.print(rpk.out());
        }
    }
}
