package io.ailurus.rpk.topic;

import io.ailurus.rpk.Errors;
import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.RpkException;
import io.ailurus.rpk.Table;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rpk topic alter-config}: incremental changes ({@code --set}, {@code --delete}); TOPIC/STATUS. */
@Command(name = "alter-config", mixinStandardHelpOptions = true, description = {"Set, delete, add, and remove key/value configs for topics.", "",
    "  rpk topic alter-config orders --set retention.ms=3600000 --delete cleanup.policy"})
public final class TopicAlterConfig implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TOPIC")
    List<String> topics;
    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "Set a config, repeatable.")
    List<String> set = new ArrayList<>();
    @Option(names = {"-d", "--delete"}, paramLabel = "KEY", description = "Remove a config override, repeatable.")
    List<String> delete = new ArrayList<>();
    @Option(names = "--append", paramLabel = "KEY=VALUE", description = "Append to a list config, repeatable.")
    List<String> append = new ArrayList<>();
    @Option(names = "--subtract", paramLabel = "KEY=VALUE", description = "Remove from a list config, repeatable.")
    List<String> subtract = new ArrayList<>();
    @Option(names = "--dry", description = "Validate only.")
    boolean dry;

    @Override
    public Integer call() {
        if (set.isEmpty() && delete.isEmpty() && append.isEmpty() && subtract.isEmpty()) {
            throw new RpkException("nothing to change: use --set, --delete, --append or --subtract");
        }
        List<AlterConfigOp> ops = new ArrayList<>();
        TopicConfigs.parse(set).forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
        delete.forEach(k -> ops.add(new AlterConfigOp(new ConfigEntry(k, ""), AlterConfigOp.OpType.DELETE)));
        TopicConfigs.parse(append).forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.APPEND)));
        TopicConfigs.parse(subtract).forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SUBTRACT)));
        Map<ConfigResource, Collection<AlterConfigOp>> req = new LinkedHashMap<>();
        topics.forEach(t -> req.put(new ConfigResource(ConfigResource.Type.TOPIC, t), ops));
        Rpk rpk = Rpk.of(spec);
        Table table = new Table("TOPIC", "STATUS");
        boolean failed = false;
        try (Admin admin = rpk.kafka().admin()) {
            var r = admin.incrementalAlterConfigs(req, new AlterConfigsOptions().validateOnly(dry)).values();
            for (String t : topics) {
                Throwable e = TopicConfigs.failure(r.get(new ConfigResource(ConfigResource.Type.TOPIC, t)));
                failed |= e != null;
                table.row(t, Errors.status(e));
            }
        }
        table.print(rpk.out());
        return failed ? 1 : 0;
    }
}
