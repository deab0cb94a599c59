package io.ailurus.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad configuration gets one line naming where, what was wrong and what is expected. */
class ConfigErrorMessagesTest {
    @TempDir
    Path tmp;

    private String fileError(String yaml) throws IOException {
        Path file = Files.writeString(tmp.resolve("bad.yaml"), yaml);
        ConfigException e = assertThrows(ConfigException.class,
                () -> new BrokerConfigLoader(tmp, tmp).load(file, List.of()));
        assertOneLine(e.getMessage());
        return e.getMessage().replace(file.toString(), "bad.yaml");
    }

    private String flagError(ConfigKey<?> key, String text) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new BrokerConfigLoader(tmp, tmp).load(null, List.of(ConfigOverride.of(key, text))));
        assertOneLine(e.getMessage());
        return e.getMessage();
    }

    private static void assertOneLine(String message) {
        assertFalse(message.contains("\n") || message.contains("\r"), "not one line: " + message);
    }

    @Test
    void unknownKeySuggestsTheClosestKey() throws IOException {
        assertEquals("bad.yaml:3:3: unknown key 'node_idd' in section 'ailurus:' (did you mean 'node_id'?)",
                fileError("ailurus:\n  data_directory: d\n  node_idd: 1\n"));
    }

    @Test
    void unknownKeyWithoutACloseMatchHasNoSuggestion() throws IOException {
        assertEquals("bad.yaml:2:3: unknown key 'completely_different' in section 'cluster:'",
                fileError("cluster:\n  completely_different: 1\n"));
    }

    @Test
    void keyInTheWrongSectionNamesTheRightOne() throws IOException {
        assertEquals("bad.yaml:2:3: unknown key 'log_retention_ms' in section 'ailurus:' ('log_retention_ms' belongs in the 'cluster:' section)",
                fileError("ailurus:\n  log_retention_ms: 1000\n"));
    }

    @Test
    void redpandaSectionNameIsExplained() throws IOException {
        assertEquals("bad.yaml:1:1: unknown section 'redpanda'; expected ailurus, tuning, cluster"
                + " (Ailurus calls Redpanda's 'redpanda:' section 'ailurus:')", fileError("redpanda:\n  node_id: 1\n"));
    }

    @Test
    void badTypeNamesKeyValueAndExpectation() throws IOException {
        assertEquals("bad.yaml:2:12: invalid value 'three' for ailurus.node_id: expected an integer >= 0",
                fileError("ailurus:\n  node_id: three\n"));
        assertEquals("bad.yaml:2:31: invalid value 'yes please' for cluster.auto_create_topics_enabled: expected true or false",
                fileError("cluster:\n  auto_create_topics_enabled: yes please\n"));
        assertEquals("bad.yaml:2:11: invalid value 'lots' for tuning.memory: expected a byte size such as 1048576, 512K, 64M or 1G"
                + " (suffixes are powers of 1024), >= 16777216", fileError("tuning:\n  memory: lots\n"));
    }

    @Test
    void negativeNodeIdIsRejected() throws IOException {
        assertEquals("bad.yaml:2:12: invalid value '-1' for ailurus.node_id: expected an integer >= 0",
                fileError("ailurus:\n  node_id: -1\n"));
        assertEquals("--node-id: invalid value '-1': expected an integer >= 0", flagError(NodeConfigKeys.NODE_ID, "-1"));
    }

    @Test
    void badPortInYamlPointsAtThePort() throws IOException {
        assertEquals("bad.yaml:5:13: invalid value '99999' for ailurus.kafka_api: expected a port, an integer in [0, 65535]",
                fileError("ailurus:\n  kafka_api:\n    - name: internal\n      address: 0.0.0.0\n      port: 99999\n"));
    }

    @Test
    void misspeltListenerFieldIsRejectedWithSuggestion() throws IOException {
        String msg = fileError("ailurus:\n  admin:\n    - {adress: 0.0.0.0, port: 9644}\n");
        assertEquals("bad.yaml:3:8: invalid value 'adress' for ailurus.admin: expected only the fields address, port, name"
                + " (did you mean 'address'?)", msg);
    }

    @Test
    void badHostPortFlags() {
        assertEquals("--kafka-addr: invalid value '127.0.0.1:notaport': expected [NAME://]HOST:PORT[,...] with PORT in [0, 65535]",
                flagError(NodeConfigKeys.KAFKA_API, "127.0.0.1:notaport"));
        assertEquals("--rpc-addr: invalid value 'localhost': expected HOST:PORT with PORT an integer in [0, 65535], e.g. 127.0.0.1:9092",
                flagError(NodeConfigKeys.RPC_SERVER, "localhost"));
    }

    @Test
    void malformedSeeds() throws IOException {
        assertEquals("--seeds: invalid value 'b:': expected HOST:PORT[,HOST:PORT...] with PORT in [0, 65535]",
                flagError(NodeConfigKeys.SEED_SERVERS, "a:33145,b:"));
        String yaml = fileError("ailurus:\n  seed_servers:\n    - host: {address: a}\n");
        assertTrue(yaml.startsWith("bad.yaml:3:13: invalid value '{address: a}' for ailurus.seed_servers: expected"
                + " {address: HOST, port: PORT} (both 'address' and 'port' are required)"), yaml);
    }

    @Test
    void yamlSyntaxErrorHasLineAndColumn() throws IOException {
        String msg = fileError("ailurus:\n  node_id: 1\n  kafka_api: [a\n");
        assertTrue(msg.startsWith("bad.yaml:4:1: YAML syntax error: expected ',' or ']'"), msg);
        String tab = fileError("ailurus:\n\tnode_id: 1\n");
        assertTrue(tab.startsWith("bad.yaml:2:1: YAML syntax error: found character '\\t(TAB)'"), tab);
    }

    @Test
    void duplicateKeyIsAnError() throws IOException {
        assertEquals("bad.yaml:3:3: duplicate key 'node_id' (first given at line 2)",
                fileError("ailurus:\n  node_id: 1\n  node_id: 2\n"));
    }

    @Test
    void evenReplicationFactorIsRejected() throws IOException {
        assertEquals("bad.yaml:2:31: invalid value '2' for cluster.default_topic_replications: expected an odd number"
                + " (a Raft group of N replicas tolerates as many failures as one of N-1)",
                fileError("cluster:\n  default_topic_replications: 2\n"));
    }

    @Test
    void inconsistentClusterValuesAreRejected() throws IOException {
        assertEquals("bad.yaml:1:1: cluster.group_min_session_timeout_ms (10000) must not exceed"
                + " cluster.group_max_session_timeout_ms (5000)",
                fileError("cluster:\n  group_max_session_timeout_ms: 5000\n  group_min_session_timeout_ms: 10000\n"));
    }

    @Test
    void nullForANonNullableKey() throws IOException {
        assertEquals("bad.yaml:2:11: invalid value 'null' for ailurus.node_id: expected an integer >= 0 (this key cannot be null)",
                fileError("ailurus:\n  node_id:\n"));
    }

    @Test
    void advertisingAWildcardOrAnUnknownListenerIsAnError() {
        assertEquals("ailurus.advertised_kafka_api: invalid value '0.0.0.0:9092': expected an address others can connect to,"
                + " not a wildcard such as 0.0.0.0", flagError(NodeConfigKeys.ADVERTISED_KAFKA_API, "0.0.0.0:9092"));
        assertEquals("ailurus.advertised_kafka_api: listener 'outside' has no kafka_api listener of that name; expected one of internal",
                flagError(NodeConfigKeys.ADVERTISED_KAFKA_API, "outside://h:1"));
    }

    @Test
    void missingConfigFile() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new BrokerConfigLoader(tmp, tmp).load(Path.of("nope.yaml"), List.of()));
        assertEquals("--config: file 'nope.yaml' does not exist; expected a readable YAML file", e.getMessage());
    }

    @Test
    void badSizeFlag() {
        assertEquals("--memory: invalid value '1X': expected a byte size such as 1048576, 512K, 64M or 1G"
                + " (suffixes are powers of 1024), >= 16777216", flagError(TuningConfigKeys.MEMORY, "1X"));
    }
}
