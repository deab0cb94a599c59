package io.ailurus.core.config;

import java.nio.file.Path;
import java.util.List;

/** The keys of the {@code ailurus:} section: who this node is and where it listens. All need a restart. */
public final class NodeConfigKeys {
    private NodeConfigKeys() {}

    private static <T> ConfigKey.Builder<T> key(String name, ConfigType<T> type) {
        return ConfigKey.builder(ConfigSection.NODE, name, type).needsRestart();
    }

    public static final ConfigKey<Path> DATA_DIRECTORY = key("data_directory", ConfigTypes.PATH)
            .defaultValue(Path.of("var", "data"))
            .defaultDoc("var/data (under AILURUS_HOME)")
            .flag("--data-dir")
            .doc("Directory holding all partition logs and the controller's state. A relative path in the"
                    + " YAML file is resolved against the installation directory (AILURUS_HOME, where bin/ lives);"
                    + " a relative --data-dir against the current directory. Created if missing.")
            .build();

    public static final ConfigKey<Integer> NODE_ID = key("node_id", ConfigTypes.integer(0, Integer.MAX_VALUE))
            .defaultValue(0)
            .flag("--node-id")
            .doc("This broker's id, unique in the cluster; Kafka clients see it as the broker id.")
            .build();

    public static final ConfigKey<List<HostPort>> SEED_SERVERS = key("seed_servers", ConfigTypes.SEEDS)
            .defaultValue(List.of())
            .defaultDoc("[] (a new single-node cluster)")
            .flag("--seeds")
            .doc("RPC addresses of the cluster's founding members: the controller group's voters (keep 3 or 5)."
                    + " A broker whose own RPC address is not among them joins the cluster through them as a"
                    + " controller learner. Empty: this node founds a cluster of its own."
                    + " YAML entries are {host: {address: A, port: P}} as in Redpanda, or HOST:PORT strings.")
            .build();

    public static final ConfigKey<HostPort> RPC_SERVER = key("rpc_server", ConfigTypes.HOST_PORT)
            .defaultValue(new HostPort("0.0.0.0", 33145))
            .flag("--rpc-addr")
            .doc("Address the internal RPC server (Raft traffic between brokers) listens on.")
            .build();

    public static final ConfigKey<HostPort> ADVERTISED_RPC_API = key("advertised_rpc_api", ConfigTypes.HOST_PORT)
            .nullable()
            .defaultDoc("rpc_server, a wildcard address replaced by 127.0.0.1")
            .doc("RPC address other brokers use to reach this one. Set it on multi-host clusters.")
            .build();

    public static final ConfigKey<List<Listener>> KAFKA_API = key("kafka_api", ConfigTypes.listeners("internal"))
            .defaultValue(List.of(new Listener("internal", new HostPort("0.0.0.0", 9092))))
            .flag("--kafka-addr")
            .doc("Kafka API listeners: a list of {address, port, name}. On the command line"
                    + " [NAME://]HOST:PORT[,...]. An entry without a name is called 'internal' (the first) or"
                    + " 'internalN'. Port 0 picks a free port (tests).")
            .build();

    public static final ConfigKey<List<Listener>> ADVERTISED_KAFKA_API = key("advertised_kafka_api", ConfigTypes.listeners(""))
            .nullable()
            .defaultDoc("each kafka_api listener, a wildcard address replaced by 127.0.0.1")
            .flag("--advertise-kafka-addr")
            .doc("Addresses clients are told to connect to, matched to kafka_api listeners by name (an entry"
                    + " without a name pairs with the kafka_api listener at the same position). Set it when"
                    + " clients on other hosts connect.")
            .build();

    public static final ConfigKey<List<Listener>> ADMIN = key("admin", ConfigTypes.listeners("admin"))
            .defaultValue(List.of(new Listener("admin", new HostPort("0.0.0.0", 9644))))
            .flag("--admin-addr")
            .doc("Admin HTTP API and Prometheus metrics listeners: a list of {address, port, name}.")
            .build();

    /** All keys of the section, in documentation order. */
    public static final List<ConfigKey<?>> ALL = List.of(DATA_DIRECTORY, NODE_ID, SEED_SERVERS, RPC_SERVER,
            ADVERTISED_RPC_API, KAFKA_API, ADVERTISED_KAFKA_API, ADMIN);
}
