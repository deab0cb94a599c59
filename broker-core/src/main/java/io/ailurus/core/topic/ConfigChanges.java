package io.ailurus.core.topic;

import io.ailurus.core.config.ClusterConfig;
import io.ailurus.core.config.ConfigSource;
import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.metadata.MetadataCommand;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.TopicInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.Errors;

/**
 * Validated changes to topic overrides and cluster properties, shared by AlterConfigs,
 * IncrementalAlterConfigs (and the admin API): the new values are checked as a whole before one
 * command goes to the controller.
 */
public final class ConfigChanges {
    /** A requested change: SET/DELETE/APPEND/SUBTRACT (Kafka's AlterConfigOp ids 0..3). */
    public record Change(String name, byte op, String value) {
        public static final byte SET = 0, DELETE = 1, APPEND = 2, SUBTRACT = 3;
    }

    /** The outcome for one resource. */
    public record Result(Errors error, String message) {
        static final Result OK = new Result(Errors.NONE, null);
    }

    private final ClusterView cluster;
    private final TopicConfigs configs;

    public ConfigChanges(ClusterView cluster, TopicConfigs configs) {
        this.cluster = cluster;
        this.configs = configs;
    }

    /** @param replaceAll AlterConfigs semantics: overrides not named are removed */
    public CompletableFuture<Result> alterTopic(String topic, List<Change> changes, boolean replaceAll, boolean validateOnly) {
        MetadataImage image = cluster.image();
        TopicInfo t = image.topic(topic).orElse(null);
        if (t == null) {
            return done(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + topic + "' does not exist.");
        }
        Map<String, String> next = replaceAll ? new HashMap<>() : new HashMap<>(t.configs());
        // APPEND/SUBTRACT start from the effective value, default included, as Kafka does.
        Map<String, String> effective = new HashMap<>();
        configs.describe(t.configs(), image).forEach(d -> {
            if (d.value() != null) {
                effective.put(d.name(), d.value());
            }
        });
        for (Change c : changes) {
            String error = applyTo(next, c, effective);
            if (error != null) {
                return done(Errors.INVALID_CONFIG, error);
            }
        }
        List<String> errors = configs.validate(next);
        if (!errors.isEmpty()) {
            return done(Errors.INVALID_CONFIG, String.join("; ", errors));
        }
        if (validateOnly) {
            return done(Errors.NONE, null);
        }
        Map<String, String> set = new HashMap<>();
        next.forEach((k, v) -> {
            if (!v.equals(t.configs().get(k))) {
                set.put(k, v);
            }
        });
        List<String> remove = t.configs().keySet().stream().filter(k -> !next.containsKey(k)).toList();
        return cluster.submit(new MetadataCommand.AlterTopicConfig(topic, set, remove))
            .thenApply(r -> r.isOk() ? Result.OK : new Result(Errors.UNKNOWN_TOPIC_OR_PARTITION, r.message()));
    }

    public CompletableFuture<Result> alterCluster(List<Change> changes, boolean replaceAll, boolean validateOnly) {
        MetadataImage image = cluster.image();
        Map<String, String> next = replaceAll ? new HashMap<>() : new HashMap<>(image.clusterConfig());
        for (Change c : changes) {
            String error = applyTo(next, c, image.clusterConfig());
            if (error != null) {
                return done(Errors.INVALID_CONFIG, error);
            }
        }
        try {
            ClusterConfig check = ClusterConfig.defaults();
            for (var e : next.entrySet()) {
                check = check.withText(e.getKey(), e.getValue(), ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            }
        } catch (RuntimeException e) {
            return done(Errors.INVALID_CONFIG, e.getMessage());
        }
        if (validateOnly) {
            return done(Errors.NONE, null);
        }
        List<String> remove = image.clusterConfig().keySet().stream().filter(k -> !next.containsKey(k)).toList();
        return cluster.submit(new MetadataCommand.AlterClusterConfig(next, remove)).thenApply(r -> Result.OK);
    }

    private static String applyTo(Map<String, String> values, Change c, Map<String, String> current) {
        switch (c.op()) {
            case Change.SET -> {
                if (c.value() == null) {
                    return "Null value not supported for " + c.name();
                }
                values.put(c.name(), c.value());
            }
            case Change.DELETE -> values.remove(c.name());
            case Change.APPEND, Change.SUBTRACT -> {
                String base = values.getOrDefault(c.name(), current.getOrDefault(c.name(), ""));
                Set<String> items = new LinkedHashSet<>();
                for (String s : base.split(",")) {
                    if (!s.isBlank()) {
                        items.add(s.trim());
                    }
                }
                List<String> given = new ArrayList<>();
                for (String s : (c.value() == null ? "" : c.value()).split(",")) {
                    if (!s.isBlank()) {
                        given.add(s.trim());
                    }
                }
                if (c.op() == Change.APPEND) {
                    items.addAll(given);
                } else {
                    given.forEach(items::remove);
                }
                values.put(c.name(), String.join(",", items));
            }
            default -> {
                return "Unknown config operation " + c.op() + " for " + c.name();
            }
        }
        return null;
    }

    private static CompletableFuture<Result> done(Errors e, String message) {
        return CompletableFuture.completedFuture(new Result(e, message));
    }
}
