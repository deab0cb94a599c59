package io.ailurus.rpk.topic;

import io.ailurus.rpk.Errors;
import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.Table;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DeleteTopicsResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rpk topic delete}: TOPIC/STATUS per topic; exit 1 if any failed. */
@Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true, description = "Delete topics.")
public final class TopicDelete implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TOPIC", description = "Topics to delete.")
    List<String> topics;

    @Override
    public Integer call() {
        Rpk rpk = Rpk.of(spec);
        Table table = new Table("TOPIC", "STATUS");
        boolean failed = false;
        try (Admin admin = rpk.kafka().admin()) {
            DeleteTopicsResult r = admin.deleteTopics(topics);
            for (String t : topics) {
                Throwable e = TopicConfigs.failure(r.topicNameValues().get(t));
                failed |= e != null;
                table.row(t, Errors.status(e));
            }
        }
        table.print(rpk.out());
        return failed ? 1 : 0;
    }
}
