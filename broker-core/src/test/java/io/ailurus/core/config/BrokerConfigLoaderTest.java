package io.ailurus.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading real YAML files from disk, and the precedence defaults < file < flags. */
class BrokerConfigLoaderTest {
    @TempDir
    Path tmp;

    private Path home() throws IOException {
        return Files.createDirectories(tmp.resolve("home"));
    }

    private Path cwd() throws IOException {
        return Files.createDirectories(tmp.resolve("cwd"));
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(tmp.resolve("ailurus.yaml"), yaml);
    }

    private BrokerConfig load(Path file, ConfigOverride... flags) throws IOException {
        return new BrokerConfigLoader(home(), cwd()).load(file, List.of(flags));
    }

    @Test
    void readsRedpandaShapedFile() throws IOException {
        Path file = write("""
                ailurus:
                  data_directory: /srv/ailurus
                  node_id: 4
                  seed_servers:
                    - host: {address: 10.0.0.1, port: 33145}
                    - host:
                        address: 10.0.0.2
                        port: 33146
                    - 10.0.0.3:33147
                  rpc_server: {address: 0.0.0.0, port: 34000}
                  advertised_rpc_api: {address: 10.0.0.4, port: 34000}
                  kafka_api:
                    - {address: 0.0.0.0, port: 9092, name: internal}
                    - {address: 0.0.0.0, port: 19092, name: external}
                  advertised_kafka_api:
                    - {address: broker4.example.com, port: 19092, name: external}
                  admin:
                    - {address: 127.0.0.1, port: 9645}
                tuning:
                  smp: 3
                  memory: 256M
                  overprovisioned: true
                cluster:
                  auto_create_topics_enabled: true
                  log_retention_ms: 3600000
                  retention_bytes: 1G
                """);
        BrokerConfig c = load(file);
        assertEquals(4, c.nodeId());
        assertEquals(Path.of("/srv/ailurus"), c.dataDirectory());
        assertEquals(List.of(new HostPort("10.0.0.1", 33145), new HostPort("10.0.0.2", 33146), new HostPort("10.0.0.3", 33147)),
                c.seedServers());
        assertFalse(c.foundsOwnCluster());
        assertEquals(new HostPort("0.0.0.0", 34000), c.rpcServer());
        assertEquals(new HostPort("10.0.0.4", 34000), c.advertisedRpcApi());
        assertEquals(List.of(new Listener("internal", new HostPort("0.0.0.0", 9092)),
                new Listener("external", new HostPort("0.0.0.0", 19092))), c.kafkaApi());
        // "internal" is not advertised explicitly, so it is derived; "external" is as given.
        assertEquals(List.of(new Listener("internal", new HostPort("127.0.0.1", 9092)),
                new Listener("external", new HostPort("broker4.example.com", 19092))), c.advertisedKafkaApi());
        assertEquals(List.of(new Listener("admin", new HostPort("127.0.0.1", 9645))), c.admin());
        assertEquals(3, c.smp());
        assertEquals(256L << 20, c.memoryBytes());
        assertTrue(c.overprovisioned());
        assertTrue(c.cluster().autoCreateTopicsEnabled());
        assertEquals(3_600_000L, c.cluster().logRetentionMs());
        assertEquals(1L << 30, c.cluster().retentionBytes().orElseThrow());
        assertEquals(ConfigSource.STATIC_BROKER_CONFIG, c.cluster().source(ClusterConfigKeys.LOG_RETENTION_MS));
        assertEquals(ConfigSource.DEFAULT_CONFIG, c.cluster().source(ClusterConfigKeys.LOG_SEGMENT_SIZE));
        assertEquals(file, c.configFile().orElseThrow());
    }

    @Test
    void flagsOverrideTheFileWhichOverridesDefaults() throws IOException {
        Path file = write("""
                ailurus:
                  node_id: 3
                  kafka_api:
                    - {address: 127.0.0.1, port: 19092}
                  admin:
                    - {address: 127.0.0.1, port: 19644}
                tuning:
                  smp: 1
                """);
        BrokerConfig c = load(file,
                ConfigOverride.of(NodeConfigKeys.NODE_ID, "5"),
                ConfigOverride.of(NodeConfigKeys.KAFKA_API, "127.0.0.1:29092"),
                ConfigOverride.of(TuningConfigKeys.OVERPROVISIONED, "true"),
                ConfigOverride.of(NodeConfigKeys.SEED_SERVERS, "a:1,b:2"));
        assertEquals(5, c.nodeId(), "flag beats file");
        assertEquals(new HostPort("127.0.0.1", 29092), c.kafkaApi().get(0).address(), "flag beats file");
        assertEquals(new HostPort("127.0.0.1", 29092), c.advertisedKafkaApi().get(0).address(),
                "advertised address follows the listener given by flag");
        assertEquals(new HostPort("127.0.0.1", 19644), c.admin().get(0).address(), "file value kept without a flag");
        assertEquals(1, c.smp(), "file value kept without a flag");
        assertTrue(c.overprovisioned());
        assertEquals(List.of(new HostPort("a", 1), new HostPort("b", 2)), c.seedServers());
        assertEquals(new HostPort("0.0.0.0", 33145), c.rpcServer(), "default when neither file nor flag sets it");
    }

    @Test
    void builtInDefaultFileAgreesWithTheRegistryDefaults() throws IOException {
        // If ailurus-default.yaml and the key defaults ever disagree, one of them is lying.
        BrokerConfig fromBuiltIn = load(null);
        BrokerConfig fromEmptyFile = load(write(""));
        assertEquals(fromEmptyFile.toString(), fromBuiltIn.toString());
        assertEquals(home().resolve("var/data"), fromBuiltIn.dataDirectory());
        assertEquals(new HostPort("0.0.0.0", 9092), fromBuiltIn.kafkaApi().get(0).address());
        assertEquals(new HostPort("127.0.0.1", 9092), fromBuiltIn.advertisedKafkaApi().get(0).address());
        assertEquals(new HostPort("0.0.0.0", 9644), fromBuiltIn.admin().get(0).address());
        assertEquals(new HostPort("0.0.0.0", 33145), fromBuiltIn.rpcServer());
        assertEquals(0, fromBuiltIn.nodeId());
        assertTrue(fromBuiltIn.foundsOwnCluster());
        assertTrue(fromBuiltIn.configFile().isEmpty());
        assertFalse(fromBuiltIn.cluster().autoCreateTopicsEnabled());
    }

    @Test
    void relativeDataDirectoryInFileIsUnderHomeButAsFlagIsUnderTheWorkingDirectory() throws IOException {
        Path file = write("ailurus:\n  data_directory: mydata\n");
        assertEquals(home().resolve("mydata"), load(file).dataDirectory());
        assertEquals(cwd().resolve("flagdata"), load(file, ConfigOverride.of(NodeConfigKeys.DATA_DIRECTORY, "flagdata")).dataDirectory());
    }

    @Test
    void unnamedAdvertisedAddressPairsWithTheListenerAtTheSamePosition() throws IOException {
        Path file = write("""
                ailurus:
                  kafka_api:
                    - {address: 0.0.0.0, port: 9092, name: outside}
                """);
        BrokerConfig c = load(file, ConfigOverride.of(NodeConfigKeys.ADVERTISED_KAFKA_API, "host.example:9092"));
        assertEquals(List.of(new Listener("outside", new HostPort("host.example", 9092))), c.advertisedKafkaApi());
    }

    @Test
    void memoryDefaultsToHalfTheHeap() throws IOException {
        assertEquals(Runtime.getRuntime().maxMemory() / 2, load(null).memoryBytes());
        assertEquals(1L << 30, load(null, ConfigOverride.of(TuningConfigKeys.MEMORY, "1G")).memoryBytes());
    }

    @Test
    void nullableKeyAcceptsExplicitNull() throws IOException {
        BrokerConfig c = load(write("cluster:\n  retention_bytes: null\n  kafka_connections_max: 100\n"));
        assertTrue(c.cluster().retentionBytes().isEmpty());
        assertTrue(c.cluster().isSet(ClusterConfigKeys.RETENTION_BYTES));
        assertEquals(100, c.cluster().kafkaConnectionsMax().orElseThrow());
    }

    @Test
    void builderMakesTestConfigsWithoutFiles(@TempDir Path data) {
        BrokerConfig c = BrokerConfig.builder().nodeId(2).dataDirectory(data)
                .kafkaApi(new HostPort("127.0.0.1", 0)).admin(new HostPort("127.0.0.1", 0))
                .rpcServer(new HostPort("127.0.0.1", 0)).smp(1).build();
        assertEquals(2, c.nodeId());
        assertEquals(data.toAbsolutePath(), c.dataDirectory());
        assertEquals(new HostPort("127.0.0.1", 0), c.advertisedKafkaApi().get(0).address());
        assertEquals(c.toString(), c.toBuilder().build().toString());
    }
}
