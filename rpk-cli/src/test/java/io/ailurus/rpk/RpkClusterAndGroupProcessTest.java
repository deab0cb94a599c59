package io.ailurus.rpk;

import static io.ailurus.rpk.RpkTopicProcessTest.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.testing.EmbeddedBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rpk's cluster and group verbs as real processes against a real broker: Redpanda's layouts,
 * configuration that changes the broker's behaviour and survives its restart, lag, exit codes.
 */
class RpkClusterAndGroupProcessTest {
    @TempDir
    Path dir;
    private EmbeddedBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = new EmbeddedBroker(dir.resolve("data")).start();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    /** Flags rather than the environment, as an operator would type them. */
    private RpkProcess.Result rpk(String stdin, String... args) throws Exception {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "-X";
        all[args.length + 1] = "brokers=" + broker.bootstrap();
        all[args.length + 2] = "-X";
        all[args.length + 3] = "admin.hosts=127.0.0.1:" + broker.broker().adminAddress().getPort();
        return new RpkProcess(dir.resolve("rpk"), Map.of()).run(stdin, all);
    }

    @Test
    void clusterInfoHealthAndConfigThatChangesBehaviourAndSurvivesRestart() throws Exception {
        assertEquals(0, rpk(null, "topic", "create", "a", "-p", "2").exit());
        RpkProcess.Result info = rpk(null, "cluster", "info");
        assertEquals(0, info.exit(), info.toString());
        int port = broker.broker().kafkaAddress().getPort();
        String id = broker.broker().controller().clusterId();
        assertEquals("CLUSTER\n=======\n" + id + "\n\n"
            + "BROKERS\n=======\nID  HOST       PORT\n0*  127.0.0.1  " + port + "\n\n"
            + "TOPICS\n======\nNAME  PARTITIONS  REPLICAS\na     2           1\n", info.out());
        assertEquals(info.out(), rpk(null, "cluster", "metadata").out(), "metadata is an alias of info");

        RpkProcess.Result health = rpk(null, "cluster", "health", "--watch", "--exit-when-healthy", "--timeout", "30000");
        assertEquals(0, health.exit(), health.toString());
        assertTrue(health.out().startsWith("CLUSTER HEALTH OVERVIEW\n=======================\nHealthy:"), health.out());
        assertTrue(health.out().contains("Controller ID:                    0\n"), health.out());

        // Auto-creation is off by default: producing to an unknown topic fails...
        assertEquals("false\n", rpk(null, "cluster", "config", "get", "auto_create_topics_enabled").out());
        RpkProcess.Result set = rpk(null, "cluster", "config", "set", "auto_create_topics_enabled", "true");
        assertEquals(0, set.exit(), set.toString());
        assertTrue(set.out().startsWith("Successfully updated configuration. New configuration version is "), set.out());
        // ...and once it is on, the same produce creates the topic.
        RpkProcess.Result produced = rpk("x\n", "topic", "produce", "born-by-produce");
        assertEquals(0, produced.exit(), produced.toString());
        assertTrue(rows(rpk(null, "topic", "list").out()).contains(List.of("born-by-produce", "1", "1")));

        List<List<String>> status = rows(rpk(null, "cluster", "config", "status").out());
        assertEquals(List.of("NODE", "CONFIG-VERSION", "NEEDS-RESTART", "INVALID", "UNKNOWN"), status.get(0));
        assertEquals("0", status.get(1).get(0));

        RpkProcess.Result unknown = rpk(null, "cluster", "config", "set", "auto_create_topic_enabled", "true");
        assertEquals(1, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().contains("unknown property") && unknown.err().contains("auto_create_topics_enabled"),
            unknown.toString());

        // export, edit the file, import: one change applied, the rest untouched.
        Path file = dir.resolve("cluster.yaml");
        assertEquals(0, rpk(null, "cluster", "config", "export", "--filename", file.toString()).exit());
        String yaml = Files.readString(file);
        assertTrue(yaml.contains("\nlog_retention_ms: 604800000\n"), yaml);
        Files.writeString(file, yaml.replace("\nlog_retention_ms: 604800000\n", "\nlog_retention_ms: 3600000\n"));
        RpkProcess.Result imported = rpk(null, "cluster", "config", "import", "--filename", file.toString());
        assertEquals(0, imported.exit(), imported.toString());
        assertEquals("3600000\n", rpk(null, "cluster", "config", "get", "log_retention_ms").out());
        assertEquals("No changes were made.\n", rpk(null, "cluster", "config", "import", "--filename", file.toString()).out());

        broker.stop();
        broker.start();
        assertEquals("true\n", rpk(null, "cluster", "config", "get", "auto_create_topics_enabled").out());
        assertEquals("3600000\n", rpk(null, "cluster", "config", "get", "log_retention_ms").out());
    }

    @Test
    void groupDescribeShowsLagAndSeekMovesIt() throws Exception {
        assertEquals(0, rpk(null, "topic", "create", "g", "-p", "1").exit());
        assertEquals(0, rpk("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "topic", "produce", "g").exit());
        RpkProcess.Result consumed = rpk(null, "topic", "consume", "g", "-g", "billing", "-n", "4", "-f", "%v\\n");
        assertEquals("1\n2\n3\n4\n", consumed.out(), consumed.toString());

        List<List<String>> groups = rows(rpk(null, "group", "list").out());
        assertEquals(List.of("BROKER", "GROUP", "STATE"), groups.get(0));
        assertEquals("billing", groups.get(1).get(1));

        RpkProcess.Result describe = rpk(null, "group", "describe", "billing");
        assertEquals(0, describe.exit(), describe.toString());
        List<List<String>> d = rows(describe.out());
        assertEquals(List.of("GROUP", "billing"), d.get(0));
        assertEquals(List.of("TOTAL-LAG", "6"), d.get(5));
        assertEquals(List.of("TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-START-OFFSET", "LOG-END-OFFSET", "LAG",
            "MEMBER-ID", "CLIENT-ID", "HOST"), d.get(6));
        assertEquals(List.of("g", "0", "4", "0", "10", "6"), d.get(7));

        RpkProcess.Result seek = rpk(null, "group", "seek", "billing", "--to", "start");
        assertEquals(List.of(List.of("TOPIC", "PARTITION", "PRIOR-OFFSET", "CURRENT-OFFSET"), List.of("g", "0", "4", "0")),
            rows(seek.out()), seek.toString());
        assertEquals(List.of("TOTAL-LAG", "10"), rows(rpk(null, "group", "describe", "billing", "-s").out()).get(5));

        RpkProcess.Result offDel = rpk(null, "group", "offset-delete", "billing", "--topic", "g");
        assertEquals(List.of(List.of("TOPIC", "PARTITION", "STATUS"), List.of("g", "0", "OK")), rows(offDel.out()), offDel.toString());
        RpkProcess.Result deleted = rpk(null, "group", "delete", "billing");
        assertEquals(List.of(List.of("GROUP", "STATUS"), List.of("billing", "OK")), rows(deleted.out()), deleted.toString());
    }

    @Test
    void clearErrorsAndExitCodesWithoutABroker() throws Exception {
        int dead;
        try (var s = new java.net.ServerSocket(0)) {
            dead = s.getLocalPort(); // closed again: nothing listens there
        }
        RpkProcess.Result r = new RpkProcess(dir.resolve("rpk"), Map.of()).run(null, "topic", "list", "-X", "brokers=127.0.0.1:" + dead);
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("error: cannot connect to 127.0.0.1:" + dead), r.err());
        assertTrue(r.err().contains("is the broker running? set -X brokers="), r.err());
        assertEquals("", r.out());

        // In-process from here: parsing and admin API errors need no new JVM.
        assertEquals(1, inProcess("topic", "create").exit(), "a missing argument is an error");
        Run admin = inProcess("cluster", "health", "-X", "admin.hosts=127.0.0.1:" + dead);
        assertEquals(1, admin.exit());
        assertTrue(admin.err().contains("cannot connect to the admin API at 127.0.0.1:" + dead), admin.err());
        assertEquals(1, inProcess("topic", "list", "-X", "nope=1").exit());
    }

    @Test
    void everyCommandHasHelpAndCompletionIsGenerated() {
        var root = new picocli.CommandLine(new Rpk());
        List<List<String>> paths = new java.util.ArrayList<>();
        collect(root, List.of(), paths);
        assertTrue(paths.size() > 30, "commands found: " + paths.size());
        for (List<String> p : paths) {
            String[] args = new java.util.ArrayList<>(p) {{ add("--help"); }}.toArray(String[]::new);
            Run r = inProcess(args);
            assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: rpk"), String.join(" ", args) + ": " + r.out());
        }
        Run completion = inProcess("generate", "shell-completion", "bash");
        assertEquals(0, completion.exit());
        assertTrue(completion.out().contains("complete -F") && completion.out().contains("consume"), "bash completion script");
    }

    private static void collect(picocli.CommandLine cl, List<String> path, List<List<String>> out) {
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals("help") || !e.getValue().getCommandName().equals(e.getKey())) {
                continue; // skip aliases and the help command itself
            }
            List<String> p = new java.util.ArrayList<>(path);
            p.add(e.getKey());
            out.add(p);
            collect(e.getValue(), p, out);
        }
    }

    record Run(int exit, String out, String err) {}

    private Run inProcess(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("RPK_CONFIG", dir.resolve("in-process-rpk.yaml").toString());
        int code = Rpk.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
