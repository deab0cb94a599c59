package io.ailurus.core.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.testing.ChildProcess;
import io.ailurus.core.testing.Clients;
import io.ailurus.core.testing.EmbeddedBroker;
import io.ailurus.core.testing.KafkaTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Kafka's {@code kafka-transactions.sh} (TransactionsCommand) against the broker: it lists and
 * describes an open transaction, and {@code find-hanging} (DescribeProducers on the partition, then
 * the coordinator's DescribeTransactions for every open one) does not call it hanging.
 */
class KafkaTransactionsToolTest {
    private static final String TOOL = "org.apache.kafka.tools.TransactionsCommand";
    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void listDescribeAndFindHangingSeeTheOpenTransaction() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(dir.resolve("b")).start()) {
            Clients.createTopic(broker.bootstrap(), "tool-txn", 1, Map.of());
            KafkaTool tool = new KafkaTool(dir);
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrap(),
                    Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tool-txn-id"))) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("tool-txn", 0, null, "open".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);

                ChildProcess.Result list = tool.run(TOOL, LIMIT, "--bootstrap-server", broker.bootstrap(), "list");
                assertEquals(0, list.exitCode(), list.stderr());
                assertTrue(list.lines().stream().anyMatch(l -> l.contains("tool-txn-id") && l.contains("Ongoing")), list.stdout());

                ChildProcess.Result describe = tool.run(TOOL, LIMIT, "--bootstrap-server", broker.bootstrap(), "describe",
                    "--transactional-id", "tool-txn-id");
                assertEquals(0, describe.exitCode(), describe.stderr());
                assertTrue(describe.stdout().contains("Ongoing") && describe.stdout().contains("tool-txn-0"), describe.stdout());

                // With a 0-minute bound every open transaction on the partition is a candidate; the tool then
                // asks the coordinator (DescribeTransactions), which must own it for it not to be "hanging".
                ChildProcess.Result hanging = tool.run(TOOL, LIMIT, "--bootstrap-server", broker.bootstrap(), "find-hanging",
                    "--broker-id", "0", "--max-transaction-timeout", "0");
                assertEquals(0, hanging.exitCode(), hanging.stderr());
                assertTrue(hanging.lines().stream().noneMatch(l -> l.contains("tool-txn")),
                    "an open transaction its coordinator knows is not hanging: " + hanging.stdout());
                producer.commitTransaction();
            }
        }
    }
}
