package io.ailurus.core.testing;

import io.ailurus.core.Broker;
import io.ailurus.core.config.BrokerConfig;
import io.ailurus.core.config.ClusterConfig;
import io.ailurus.core.config.HostPort;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * A real broker in the test JVM on ephemeral loopback ports, with its data in a directory the test
 * owns (so it can be stopped and started again on the same data).
 */
public final class EmbeddedBroker implements AutoCloseable {
    private final Path dataDir;
    private final UnaryOperator<ClusterConfig> cluster;
    private Broker broker;
    /** Kept across restarts so clients (an idempotent producer, say) reconnect to the same address. */
    private int kafkaPort;
    /** Also kept: the controller group's membership in its log names this address. */
    private int rpcPort;

    public EmbeddedBroker(Path dataDir) {
        this(dataDir, UnaryOperator.identity());
    }

    public EmbeddedBroker(Path dataDir, UnaryOperator<ClusterConfig> cluster) {
        this.dataDir = dataDir;
        this.cluster = cluster;
    }

    public EmbeddedBroker start() throws Exception {
        BrokerConfig config = BrokerConfig.builder()
            .nodeId(0)
            .dataDirectory(dataDir)
            .kafkaApi(new HostPort("127.0.0.1", kafkaPort))
            .admin(new HostPort("127.0.0.1", 0))
            .rpcServer(new HostPort("127.0.0.1", rpcPort))
            .smp(2)
            .cluster(cluster.apply(ClusterConfig.defaults()))
            .build();
        broker = Broker.start(config);
        kafkaPort = broker.kafkaAddress().getPort();
        rpcPort = broker.rpcAddress().getPort();
        return this;
    }

    public String bootstrap() {
        return "127.0.0.1:" + broker.kafkaAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT} of the broker's admin API (bound to an ephemeral port). */
    public String adminUrl() {
        return "http://127.0.0.1:" + broker.adminAddress().getPort();
    }

    public Broker broker() {
        return broker;
    }

    public Properties clientProps() {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        return p;
    }

    public void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
