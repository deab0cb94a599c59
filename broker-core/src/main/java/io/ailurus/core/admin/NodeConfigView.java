package io.ailurus.core.admin;

import io.ailurus.core.config.BrokerConfig;
import io.ailurus.core.config.HostPort;
import io.ailurus.core.config.Listener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/node_config}: this node's own properties in the shape of Redpanda's
 * {@code redpanda.yaml} node section (addresses as {@code {"address":..., "port":...}} objects,
 * listeners with their {@code name}), as the broker resolved them at start-up.
 */
final class NodeConfigView {
    private NodeConfigView() {}

    static Map<String, Object> of(BrokerConfig c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node_id", c.nodeId());
        out.put("data_directory", Map.of("path", c.dataDirectory().toString()));
        out.put("rpc_server", address(c.rpcServer()));
        out.put("advertised_rpc_api", address(c.advertisedRpcApi()));
        out.put("seed_servers", c.seedServers().stream().map(s -> Map.of("host", address(s))).toList());
        out.put("kafka_api", listeners(c.kafkaApi()));
        out.put("advertised_kafka_api", listeners(c.advertisedKafkaApi()));
        out.put("admin", listeners(c.admin()));
        out.put("smp", c.smp());
        out.put("memory", c.memoryBytes());
        out.put("overprovisioned", c.overprovisioned());
        c.configFile().ifPresent(f -> out.put("config_file", f.toString()));
        return out;
    }

    private static Map<String, Object> address(HostPort hp) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", hp.host());
        m.put("port", hp.port());
        return m;
    }

    private static List<Map<String, Object>> listeners(List<Listener> ls) {
        return ls.stream().map(l -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", l.name());
            m.putAll(address(l.address()));
            return m;
        }).toList();
    }
}
