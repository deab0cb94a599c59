package io.ailurus.core.metadata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start-up commands' own codec writes and reads exactly what Jackson does, and leaves the rest to Jackson. */
class StartupCommandJsonTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    private static final List<MetadataCommand> STARTUP = List.of(
        new MetadataCommand.InitializeCluster("Zq3-_x9AbCdEfGhIjKlMnO"),
        new MetadataCommand.InitializeCluster(null),
        new MetadataCommand.RegisterBroker(0, "127.0.0.1", 9092, null, "127.0.0.1:33145"),
        new MetadataCommand.RegisterBroker(-7, "h\u00e9\"st\\\n\t\u0001", 65535, "rack \u2603", null),
        new MetadataCommand.SetBrokerLiveness(3, false),
        new MetadataCommand.SetBrokerLiveness(Integer.MAX_VALUE, true),
        new MetadataCommand.ReportLeaders(1, List.of()),
        new MetadataCommand.ReportLeaders(2, List.of(new MetadataCommand.LeaderReport("t", 0, 5),
            new MetadataCommand.LeaderReport("other.topic", Integer.MIN_VALUE, 1))));

    private static byte[] jackson(MetadataCommand c) throws Exception {
        return JACKSON.writerFor(MetadataCommand.class).writeValueAsBytes(c);
    }

    @Test
    void writesTheBytesJacksonWrites() throws Exception {
        for (MetadataCommand c : STARTUP) {
            byte[] expected = jackson(c);
            assertArrayEquals(expected, StartupCommandJson.encode(c), new String(expected, StandardCharsets.UTF_8));
        }
    }

    @Test
    void readsWhatJacksonWrites() throws Exception {
        for (MetadataCommand c : STARTUP) {
            assertEquals(c, StartupCommandJson.decode(jackson(c)));
            assertEquals(c, MetadataState.decodeCommand(MetadataState.encodeCommand(c)));
        }
    }

    @Test
    void toleratesWhitespaceAndFieldOrderAsJacksonDoes() {
        String json = " { \"port\" : 9092 , \"type\":\"register_broker\",\"rack\":null,\"nodeId\":4,"
            + "\"host\":\"a\\u0062c\\/\",\"rpcAddress\":\"x:1\" } ";
        assertEquals(new MetadataCommand.RegisterBroker(4, "abc/", 9092, null, "x:1"),
            StartupCommandJson.decode(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void leavesOtherCommandsAndOtherFormsToJackson() throws Exception {
        MetadataCommand topic = new MetadataCommand.CreateTopic("t", "id", List.of(List.of(0)), Map.of());
        assertNull(StartupCommandJson.encode(topic));
        assertNull(StartupCommandJson.decode(jackson(topic)));
        assertEquals(topic, MetadataState.decodeCommand(MetadataState.encodeCommand(topic)));
        assertNull(StartupCommandJson.encode(new MetadataCommand.ReportLeaders(1, null)));
        for (String other : List.of(
                "{\"type\":\"set_broker_liveness\",\"nodeId\":1,\"alive\":true,\"extra\":1}",   // unknown field
                "{\"type\":\"set_broker_liveness\",\"nodeId\":1}",                                // missing field
                "{\"type\":\"set_broker_liveness\",\"nodeId\":\"1\",\"alive\":true}",             // coercion
                "{\"type\":\"set_broker_liveness\",\"nodeId\":4294967296,\"alive\":true}",        // not an int
                "{\"type\":\"set_broker_liveness\",\"nodeId\":1.0,\"alive\":true}",
                "{\"type\":\"set_broker_liveness\",\"nodeId\":1,\"nodeId\":2,\"alive\":true}",    // repeated key
                "{\"type\":\"set_broker_liveness\",\"nodeId\":1,\"alive\":true",                  // truncated
                "[1]", "")) {
            assertNull(StartupCommandJson.decode(other.getBytes(StandardCharsets.UTF_8)), other);
        }
    }
}
