package io.ailurus.core.admin;

import io.ailurus.admin.backend.AdminApiException;
import io.ailurus.admin.backend.ClusterConfigPatch;
import io.ailurus.admin.backend.ConfigNodeStatus;
import io.ailurus.admin.backend.ConfigPropertySchema;
import io.ailurus.admin.backend.ConfigValidationException;
import io.ailurus.core.config.BadValueException;
import io.ailurus.core.config.ClusterConfig;
import io.ailurus.core.config.ConfigKey;
import io.ailurus.core.config.ConfigRegistry;
import io.ailurus.core.config.ConfigSection;
import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.topic.ConfigChanges;
import io.ailurus.core.topic.TopicConfigs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.protocol.Errors;

/**
 * The admin API's view of cluster properties ({@code /v1/cluster_config*}): reads the properties
 * in force (file values overlaid by run-time changes), validates patches property by property,
 * and applies them through {@link ConfigChanges}, i.e. as one controller command, the same path
 * Kafka's AlterConfigs takes.
 *
 * <p>{@code remove} drops a run-time change: the property goes back to the node's config file
 * value, or the built-in default when the file does not set it.
 */
final class ClusterConfigAdmin {
    private static final long WRITE_TIMEOUT_SECONDS = 30;

    private final int nodeId;
    private final ClusterView cluster;
    private final TopicConfigs topicConfigs;
    private final ConfigChanges changes;
    private final ClusterConfigVersion version;
    private final ClusterConfig startedWith;

    ClusterConfigAdmin(int nodeId, ClusterView cluster, TopicConfigs topicConfigs, ClusterConfigVersion version) {
        this.nodeId = nodeId;
        this.cluster = cluster;
        this.topicConfigs = topicConfigs;
        this.changes = new ConfigChanges(cluster, topicConfigs);
        this.version = version;
        // What the broker's restart-only properties were read as; a later change to one of them
        // shows up as "restart needed" in /v1/cluster_config/status.
        this.startedWith = topicConfigs.cluster(cluster.image());
    }

    Map<String, Object> values(boolean includeDefaults) {
        ClusterConfig in = topicConfigs.cluster(cluster.image());
        Map<String, Object> out = new TreeMap<>();
        for (ConfigKey<?> key : ConfigRegistry.section(ConfigSection.CLUSTER)) {
            if (includeDefaults || in.isSet(key)) {
                out.put(key.name(), ClusterConfigValues.toJson(key, in.get(key)));
            }
        }
        return out;
    }

    Map<String, ConfigPropertySchema> schema() {
        Map<String, ConfigPropertySchema> out = new TreeMap<>();
        for (ConfigKey<?> key : ConfigRegistry.section(ConfigSection.CLUSTER)) {
            out.put(key.name(), ClusterConfigValues.schema(key));
        }
        return out;
    }

    List<ConfigNodeStatus> status() {
        ClusterConfig now = topicConfigs.cluster(cluster.image());
        boolean restart = false;
        for (ConfigKey<?> key : ConfigRegistry.section(ConfigSection.CLUSTER)) {
            if (key.needsRestart() && !String.valueOf(now.get(key)).equals(String.valueOf(startedWith.get(key)))) {
                restart = true;
            }
        }
        // Only this node's own state is known here; other nodes report theirs on their own admin port.
        return List.of(new ConfigNodeStatus(nodeId, restart, version.current(), List.of(), List.of()));
    }

    /** Validates the whole patch, then (unless a dry run) applies it as one controller command. */
    long apply(ClusterConfigPatch patch) {
        Map<String, String> errors = new TreeMap<>();
        List<ConfigChanges.Change> list = new ArrayList<>();
        Map<String, String> texts = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : patch.upsert().entrySet()) {
            String name = e.getKey();
            ConfigKey<?> key = ConfigRegistry.cluster(name).orElse(null);
            if (key == null) {
                errors.put(name, unknown(name));
                continue;
            }
            String text;
            try {
                text = ClusterConfigValues.fromJson(e.getValue());
                key.parse(text);
            } catch (IllegalArgumentException bad) {
                errors.put(name, bad.getMessage());
                continue;
            } catch (BadValueException bad) {
                errors.put(name, "expected " + bad.expected() + ", got " + e.getValue());
                continue;
            }
            texts.put(name, text);
            list.add(new ConfigChanges.Change(name, ConfigChanges.Change.SET, text));
        }
        for (String name : patch.remove()) {
            if (ConfigRegistry.cluster(name).isEmpty()) {
                errors.put(name, unknown(name));
            } else {
                list.add(new ConfigChanges.Change(name, ConfigChanges.Change.DELETE, null));
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigValidationException(errors);
        }
        // Each value is fine alone; the properties must also agree with each other (min <= max...).
        ConfigChanges.Result check = await(changes.alterCluster(list, false, true));
        if (check.error() != Errors.NONE) {
            Map<String, String> whole = new TreeMap<>();
            for (String name : texts.isEmpty() ? patch.remove() : texts.keySet()) {
                whole.put(name, check.message());
            }
            throw new ConfigValidationException(whole);
        }
        if (patch.dryRun() || list.isEmpty()) {
            return version.current();
        }
        ConfigChanges.Result done = await(changes.alterCluster(list, false, false));
        if (done.error() != Errors.NONE) {
            throw AdminApiException.badRequest(done.message());
        }
        // The controller applies (and our version tracker observes) before the proposer hears back.
        return version.current();
    }

    private static String unknown(String name) {
        return "unknown property" + ConfigRegistry.hintFor(ConfigSection.CLUSTER, name);
    }

    private static ConfigChanges.Result await(java.util.concurrent.CompletableFuture<ConfigChanges.Result> f) {
        try {
            return f.get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AdminApiException.unavailable("interrupted while waiting for the controller");
        } catch (TimeoutException e) {
            throw AdminApiException.unavailable("the controller did not apply the change within "
                + WRITE_TIMEOUT_SECONDS + " s; retry");
        } catch (ExecutionException e) {
            throw AdminApiException.unavailable("the controller refused the change: " + e.getCause().getMessage());
        }
    }
}
