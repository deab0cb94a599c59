package io.ailurus.rpk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ailurus.core.testing.EmbeddedBroker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rpk's topic verbs as real processes against a real broker: columns, records, exit codes. */
class RpkTopicProcessTest {
    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private RpkProcess rpk;

    @BeforeEach
    void start() throws Exception {
        broker = new EmbeddedBroker(dir.resolve("data")).start();
        rpk = new RpkProcess(dir.resolve("rpk"), Map.of(
            "RPK_BROKERS", broker.bootstrap(),
            "RPK_ADMIN_HOSTS", "127.0.0.1:" + broker.broker().adminAddress().getPort()));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void createListDescribeProduceConsumeDeleteRoundTrip() throws Exception {
        RpkProcess.Result created = rpk.run(null, "topic", "create", "rt", "-p", "3", "-r", "1", "-c", "retention.ms=3600000");
        assertEquals(0, created.exit(), created.toString());
        assertEquals(List.of(List.of("TOPIC", "STATUS"), List.of("rt", "OK")), rows(created.out()));

        RpkProcess.Result again = rpk.run(null, "topic", "create", "rt");
        assertEquals(1, again.exit(), again.toString());
        assertTrue(again.out().contains("TOPIC_ALREADY_EXISTS"), again.toString());

        RpkProcess.Result list = rpk.run(null, "topic", "list");
        assertEquals(List.of(List.of("NAME", "PARTITIONS", "REPLICAS"), List.of("rt", "3", "1")), rows(list.out()));

        RpkProcess.Result produced = rpk.run("k1 v1\nk2 v2\nk3 hello world\n", "topic", "produce", "rt", "-p", "1",
            "-f", "%k %v\\n", "-H", "origin=test");
        assertEquals(0, produced.exit(), produced.toString());
        String[] acks = produced.out().split("\n");
        assertEquals(3, acks.length, produced.out());
        for (int i = 0; i < 3; i++) {
            assertTrue(acks[i].startsWith("Produced to partition 1 at offset " + i + " with timestamp "), acks[i]);
        }

        RpkProcess.Result describe = rpk.run(null, "topic", "describe", "rt", "-p");
        List<List<String>> prows = rows(describe.out());
        assertEquals(List.of("PARTITION", "LEADER", "EPOCH", "REPLICAS", "LOG-START-OFFSET", "HIGH-WATERMARK"), prows.get(0));
        assertEquals(List.of("0", "0", "1", "[0]", "0", "0"), prows.get(1));
        assertEquals(List.of("1", "0", "1", "[0]", "0", "3"), prows.get(2));
        assertEquals(4, prows.size());

        RpkProcess.Result summary = rpk.run(null, "topic", "describe", "rt");
        assertTrue(summary.out().startsWith("SUMMARY\n=======\nNAME        rt\nPARTITIONS  3\nREPLICAS    1\n"), summary.out());
        assertTrue(rows(summary.out()).contains(List.of("retention.ms", "3600000", "DYNAMIC_TOPIC_CONFIG")), summary.out());

        RpkProcess.Result formatted = rpk.run(null, "topic", "consume", "rt", "-o", "start:end", "-f", "%k=%v %h\\n");
        assertEquals(0, formatted.exit(), formatted.toString());
        assertEquals("k1=v1 origin=test\nk2=v2 origin=test\nk3=hello world origin=test\n", formatted.out());

        RpkProcess.Result json = rpk.run(null, "topic", "consume", "rt", "-n", "1", "-p", "1", "-o", "2");
        assertEquals(0, json.exit(), json.toString());
        JsonNode record = AdminApiClient.JSON.readTree(json.out().trim());
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = record.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        assertEquals(List.of("topic", "key", "value", "headers", "timestamp", "partition", "offset"), keys);
        assertEquals("k3", record.get("key").asText());
        assertEquals("hello world", record.get("value").asText());
        assertEquals(2, record.get("offset").asLong());
        assertEquals("origin", record.get("headers").get(0).get("key").asText());

        RpkProcess.Result deleted = rpk.run(null, "topic", "delete", "rt");
        assertEquals(List.of(List.of("TOPIC", "STATUS"), List.of("rt", "OK")), rows(deleted.out()));
        assertEquals(List.of(List.of("NAME", "PARTITIONS", "REPLICAS")), rows(rpk.run(null, "topic", "list").out()));
        RpkProcess.Result missing = rpk.run(null, "topic", "delete", "rt");
        assertEquals(1, missing.exit());
        assertTrue(missing.out().contains("UNKNOWN_TOPIC_OR_PARTITION"), missing.toString());
    }

    @Test
    void alterConfigAndAddPartitions() throws Exception {
        assertEquals(0, rpk.run(null, "topic", "create", "cfg").exit());
        RpkProcess.Result alter = rpk.run(null, "topic", "alter-config", "cfg", "--set", "retention.ms=1000", "--set", "cleanup.policy=compact");
        assertEquals(0, alter.exit(), alter.toString());
        List<List<String>> configs = rows(rpk.run(null, "topic", "describe", "cfg", "-c").out());
        assertTrue(configs.contains(List.of("retention.ms", "1000", "DYNAMIC_TOPIC_CONFIG")), configs.toString());
        assertTrue(configs.contains(List.of("cleanup.policy", "compact", "DYNAMIC_TOPIC_CONFIG")), configs.toString());

        RpkProcess.Result bad = rpk.run(null, "topic", "alter-config", "cfg", "--set", "retention.ms=soon");
        assertEquals(1, bad.exit(), bad.toString());
        assertTrue(bad.out().contains("INVALID_CONFIG"), bad.toString());

        assertEquals(0, rpk.run(null, "topic", "alter-config", "cfg", "--delete", "retention.ms").exit());
        configs = rows(rpk.run(null, "topic", "describe", "cfg", "-c").out());
        assertFalse(configs.contains(List.of("retention.ms", "1000", "DYNAMIC_TOPIC_CONFIG")), configs.toString());

        RpkProcess.Result added = rpk.run(null, "topic", "add-partitions", "cfg", "-n", "2");
        assertEquals(0, added.exit(), added.toString());
        assertEquals(List.of(List.of("NAME", "PARTITIONS", "REPLICAS"), List.of("cfg", "3", "1")),
            rows(rpk.run(null, "topic", "list").out()));
    }

    /** Splits tabular output into rows of cells (cells are separated by two or more spaces). */
    static List<List<String>> rows(String out) {
        List<List<String>> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                rows.add(List.of(line.trim().split(" {2,}")));
            }
        }
        return rows;
    }
}
