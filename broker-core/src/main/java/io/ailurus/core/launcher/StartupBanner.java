package io.ailurus.core.launcher;

import io.ailurus.core.config.BrokerConfig;
import io.ailurus.core.config.BrokerConfigLoader;
import io.ailurus.core.config.ByteSize;
import io.ailurus.core.config.HostPort;
import io.ailurus.core.config.Listener;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The few lines logged at start-up that tell an operator what this broker is and where it listens. */
public final class StartupBanner {
    private StartupBanner() {}

    public static List<String> lines(BrokerConfig c) {
        List<String> out = new ArrayList<>();
        out.add("Ailurus " + VersionInfo.version() + " starting node " + c.nodeId());
        for (int i = 0; i < c.kafkaApi().size(); i++) {
            Listener l = c.kafkaApi().get(i);
            out.add("  kafka_api      " + l + " (advertised as " + c.advertisedKafkaApi().get(i).address() + ")");
        }
        out.add("  admin          " + c.admin().stream().map(Listener::toString).collect(Collectors.joining(", ")));
        out.add("  rpc_server     " + c.rpcServer() + " (advertised as " + c.advertisedRpcApi() + ")");
        out.add("  seed_servers   " + (c.foundsOwnCluster() ? "none: founding a new cluster"
                : c.seedServers().stream().map(HostPort::toString).collect(Collectors.joining(", "))));
        out.add("  data_directory " + c.dataDirectory());
        out.add("  config         " + c.configFile().map(Object::toString).orElse(BrokerConfigLoader.DEFAULT_RESOURCE + " (built in)"));
        out.add("  shards         " + c.smp() + (c.overprovisioned() ? " (overprovisioned: no pinning, no polling)" : "")
                + ", memory budget " + ByteSize.format(c.memoryBytes()));
        out.add("  JVM            " + VersionInfo.jvm() + ", max heap " + ByteSize.format(Runtime.getRuntime().maxMemory())
                + ", GC " + ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", ")));
        return out;
    }
}
