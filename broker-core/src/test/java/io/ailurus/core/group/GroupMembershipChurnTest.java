package io.ailurus.core.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.testing.EmbeddedBroker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A group of 4 consumers on a 12-partition topic while records are produced; members are added,
 * closed cleanly and killed with {@code kill -9} (no LeaveGroup) one by one. At the end every
 * produced record was processed, and none was processed again after a member committed past it.
 * Run for the classic protocol (eager by default: range assignor; cooperative-sticky variant
 * below) and for KIP-848's consumer protocol.
 */
class GroupMembershipChurnTest {
    private static final String TOPIC = "work";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"classic", "classic-cooperative", "consumer"})
    void everyRecordIsProcessedThroughAddsClosesAndKills(String mode) throws Exception {
        String protocol = mode.startsWith("classic") ? "classic" : "consumer";
        String group = "churn-" + mode;
        Ledger ledger = new Ledger();
        Set<Long> produced = ConcurrentHashMap.newKeySet();
        List<InProcessMember> inProcess = new ArrayList<>();
        List<ChildMember> children = new ArrayList<>();
        AtomicBoolean producing = new AtomicBoolean(true);
        try (EmbeddedBroker broker = GroupTesting.broker(dir, 0).start()) {
            GroupTesting.createTopic(broker, TOPIC, 12);
            String bootstrap = broker.bootstrap();
            Thread producer = new Thread(() -> produce(bootstrap, producing, produced), "producer");
            producer.start();
            try {
                java.util.function.Function<String, InProcessMember> local = id -> {
                    var p = GroupTesting.consumerProps(bootstrap, group, protocol);
                    if (mode.equals("classic-cooperative")) {
                        p.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
                    }
                    InProcessMember m = new InProcessMember(id, new MemberLoop(p, TOPIC, ledger.reporter(id)));
                    inProcess.add(m);
                    return m;
                };
                local.apply("local-1");
                local.apply("local-2");
                children.add(ChildMember.start("child-1", bootstrap, group, protocol, ledger));
                children.add(ChildMember.start("child-2", bootstrap, group, protocol, ledger));
                awaitAssigned(ledger, List.of("local-1", "local-2", "child-1", "child-2"));

                local.apply("local-3");
                awaitAssigned(ledger, List.of("local-3"));
                inProcess.get(0).close();                       // a clean close: LeaveGroup
                Thread.sleep(1500);
                children.get(0).kill9();                          // no LeaveGroup: the session times out
                Thread.sleep(1500);
                local.apply("local-4");
                awaitAssigned(ledger, List.of("local-4"));
                children.get(1).kill9();
                Thread.sleep(1500);
            } finally {
                producing.set(false);
                producer.join(30_000);
            }
            assertTrue(produced.size() > 1000, "the producer ran: " + produced.size());
            boolean all = GroupTesting.await(Duration.ofSeconds(90), () -> ledger.covers(produced));
            assertTrue(all, "unprocessed records, e.g. " + ledger.missing(produced).stream().limit(10)
                .map(k -> "p" + (k >> 40) + "@" + (k & ((1L << 40) - 1))).toList());
        } finally {
            for (InProcessMember m : inProcess) {
                m.close();
            }
            for (ChildMember c : children) {
                c.kill9();
            }
        }
        assertEquals(List.of(), ledger.processedAgainAfterCommit());
    }

    private static void produce(String bootstrap, AtomicBoolean producing, Set<Long> produced) {
        try (KafkaProducer<byte[], byte[]> p = GroupTesting.producer(bootstrap)) {
            int i = 0;
            while (producing.get()) {
                for (int k = 0; k < 50; k++, i++) {
                    p.send(new ProducerRecord<>(TOPIC, i % 12, null, ("r" + i).getBytes(StandardCharsets.UTF_8)), (md, e) -> {
                        if (e == null) {
                            produced.add(Ledger.key(md.partition(), md.offset()));
                        }
                    });
                }
                Thread.sleep(20);
            }
            p.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitAssigned(Ledger ledger, List<String> members) throws InterruptedException {
        assertTrue(GroupTesting.await(Duration.ofSeconds(60), () -> members.stream().allMatch(m -> ledger.assignedTo(m) > 0)),
            "members without partitions: " + members.stream().filter(m -> ledger.assignedTo(m) == 0).toList());
    }

    /** A member in a thread of the test JVM; close() is a clean close (LeaveGroup). */
    static final class InProcessMember {
        final MemberLoop loop;
        final Thread thread;

        InProcessMember(String id, MemberLoop loop) {
            this.loop = loop;
            this.thread = new Thread(loop, id);
            thread.start();
        }

        void close() throws InterruptedException {
            loop.stop();
            thread.join(30_000);
        }
    }

    /** A member in its own JVM, so the test can kill -9 it. */
    static final class ChildMember {
        final Process process;

        private ChildMember(Process process) {
            this.process = process;
        }

        static ChildMember start(String id, String bootstrap, String group, String protocol, Ledger ledger) throws Exception {
            Path quietLogs = java.nio.file.Files.createTempFile("member-logback", ".xml");
            java.nio.file.Files.writeString(quietLogs, "<configuration><appender name=\"E\" class=\"ch.qos.logback.core.ConsoleAppender\">"
                + "<target>System.err</target><encoder><pattern>%msg%n</pattern></encoder></appender>"
                + "<root level=\"WARN\"><appender-ref ref=\"E\"/></root></configuration>");
            quietLogs.toFile().deleteOnExit();
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Dlogback.configurationFile=" + quietLogs,
                "-cp", System.getProperty("java.class.path"), MemberLoop.class.getName(), bootstrap, group, protocol, TOPIC));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        ledger.line(id, line);
                    }
                } catch (java.io.IOException ignored) {
                    // killed
                }
            }, id + "-output");
            reader.setDaemon(true);
            reader.start();
            return new ChildMember(p);
        }

        void kill9() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
