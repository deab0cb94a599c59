package io.ailurus.core.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.testing.EmbeddedBroker;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.tools.consumer.group.ConsumerGroupCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka's own kafka-consumer-groups tool, and librdkafka's balanced consumer (kcat -G), against the broker. */
class GroupToolsTest {
    @TempDir
    Path dir;

    @Test
    void kafkaConsumerGroupsDescribesResetsAndDeletes() throws Exception {
        try (EmbeddedBroker broker = GroupTesting.broker(dir, 0).start()) {
            GroupTesting.createTopic(broker, "tools", 2);
            try (KafkaProducer<byte[], byte[]> p = GroupTesting.producer(broker.bootstrap())) {
                for (int i = 0; i < 100; i++) {
                    p.send(new ProducerRecord<>("tools", i % 2, null, new byte[1]));
                }
                p.flush();
            }
            try (KafkaConsumer<byte[], byte[]> c = GroupTesting.consumer(broker.bootstrap(), "g", "classic", Map.of())) {
                c.assign(List.of(new TopicPartition("tools", 0), new TopicPartition("tools", 1)));
                c.commitSync(Map.of(new TopicPartition("tools", 0), new OffsetAndMetadata(30),
                    new TopicPartition("tools", 1), new OffsetAndMetadata(45)));
            }
            String describe = run("--bootstrap-server", broker.bootstrap(), "--describe", "--group", "g");
            // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG ...
            Pattern row = Pattern.compile("(?m)^g\\s+tools\\s+(\\d)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)");
            Matcher m = row.matcher(describe);
            int rows = 0;
            while (m.find()) {
                rows++;
                int partition = Integer.parseInt(m.group(1));
                assertEquals(partition == 0 ? 30 : 45, Integer.parseInt(m.group(2)), describe);
                assertEquals(50, Integer.parseInt(m.group(3)), describe);
                assertEquals(partition == 0 ? 20 : 5, Integer.parseInt(m.group(4)), "lag: " + describe);
            }
            assertEquals(2, rows, describe);

            run("--bootstrap-server", broker.bootstrap(), "--reset-offsets", "--group", "g", "--topic", "tools",
                "--to-earliest", "--execute");
            try (Admin admin = Admin.create(broker.clientProps())) {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("g")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                assertEquals(0, offsets.get(new TopicPartition("tools", 0)).offset());
                assertEquals(0, offsets.get(new TopicPartition("tools", 1)).offset());
            }
            String deleted = run("--bootstrap-server", broker.bootstrap(), "--delete", "--group", "g");
            assertTrue(deleted.contains("successful"), deleted);
            try (Admin admin = Admin.create(broker.clientProps())) {
                assertFalse(admin.listGroups().all().get(30, TimeUnit.SECONDS).stream().anyMatch(l -> l.groupId().equals("g")));
            }
        }
    }

    /** Runs kafka-consumer-groups in this JVM; its exit is turned into an exception, its output returned. */
    private static synchronized String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        Exit.setExitProcedure((status, message) -> {
            if (status != 0) {
                throw new IllegalStateException("kafka-consumer-groups exited " + status + ": " + message + "\n" + out);
            }
            throw new ExitedNormally();
        });
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            ConsumerGroupCommand.main(args);
        } catch (ExitedNormally ok) {
            // the tool calls exit(0) after some commands
        } finally {
            System.setOut(saved);
            Exit.resetExitProcedure();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static final class ExitedNormally extends RuntimeException {
        ExitedNormally() {
            super(null, null, false, false);
        }
    }

    @Test
    void kcatBalancedConsumerSharesAGroupWithJavaConsumers() throws Exception {
        try (EmbeddedBroker broker = GroupTesting.broker(dir, 0).start()) {
            GroupTesting.createTopic(broker, "mixed", 4);
            try (KafkaProducer<byte[], byte[]> p = GroupTesting.producer(broker.bootstrap())) {
                for (int i = 0; i < 400; i++) {
                    p.send(new ProducerRecord<>("mixed", i % 4, null, new byte[1]));
                }
                p.flush();
            }
            Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
            try (TrackedConsumer javaMember = new TrackedConsumer("java-member", GroupTesting.consumerProps(broker.bootstrap(), "mixed-group", "classic"), "mixed")) {
                assertTrue(GroupTesting.await(Duration.ofSeconds(30), () -> javaMember.assignment.size() == 4));
                Process kcat = new ProcessBuilder("kcat", "-b", broker.bootstrap(), "-G", "mixed-group", "mixed",
                    "-X", "auto.offset.reset=earliest", "-X", "session.timeout.ms=6000", "-f", "%p %o\\n", "-q", "-u")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                Thread reader = new Thread(() -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(kcat.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            seen.add(line.trim());
                        }
                    } catch (java.io.IOException ignored) {
                        // process ended
                    }
                });
                reader.start();
                try (Admin admin = Admin.create(broker.clientProps())) {
                    boolean both = GroupTesting.await(Duration.ofSeconds(60), () -> {
                        try {
                            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of("mixed-group")).all()
                                .get(10, TimeUnit.SECONDS).get("mixed-group");
                            return d.members().size() == 2 && d.members().stream().allMatch(mem -> !mem.assignment().topicPartitions().isEmpty())
                                && d.members().stream().anyMatch(mem -> mem.clientId().startsWith("rdkafka"));
                        } catch (Exception e) {
                            return false;
                        }
                    });
                    assertTrue(both, "kcat and the Java consumer share the group's partitions");
                    assertTrue(GroupTesting.await(Duration.ofSeconds(30), () -> javaMember.assignment.size() == 2));
                    // kcat consumes its half from the beginning (the group had no committed offsets).
                    assertTrue(GroupTesting.await(Duration.ofSeconds(30), () -> seen.size() == 200), "kcat read " + seen.size());
                    Set<Integer> kcatPartitions = new HashSet<>();
                    seen.forEach(s -> kcatPartitions.add(Integer.parseInt(s.split(" ")[0])));
                    Set<Integer> javaPartitions = new HashSet<>();
                    javaMember.assignment.forEach(tp -> javaPartitions.add(tp.partition()));
                    assertTrue(java.util.Collections.disjoint(kcatPartitions, javaPartitions), kcatPartitions + " vs " + javaPartitions);
                } finally {
                    kcat.destroy();
                    if (!kcat.waitFor(10, TimeUnit.SECONDS)) {
                        kcat.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                    reader.join(10_000);
                }
            }
        }
    }

}
