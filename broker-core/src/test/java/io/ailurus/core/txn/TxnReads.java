package io.ailurus.core.txn;

import io.ailurus.core.cluster.Await;
import io.ailurus.core.testing.Clients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reading a topic to its end under an isolation level, for the transaction tests. */
final class TxnReads {
    private TxnReads() {}

    /**
     * Waits until no transaction is open on {@code tps} (the last stable offset has caught up with the
     * high watermark everywhere), then returns every value readable under {@code isolation}
     * ("read_committed" or "read_uncommitted") from the start up to that point.
     */
    static List<String> settledValues(String bootstrap, List<TopicPartition> tps, String isolation, Duration limit)
        throws InterruptedException {
        try (KafkaConsumer<byte[], byte[]> committed = Clients.consumer(bootstrap,
                 Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
             KafkaConsumer<byte[], byte[]> uncommitted = Clients.consumer(bootstrap,
                 Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"))) {
            Await.until("every transaction on " + tps + " to end", limit,
                () -> committed.endOffsets(tps).equals(uncommitted.endOffsets(tps)));
            return values(isolation.equals("read_committed") ? committed : uncommitted, tps, limit);
        }
    }

    /** Every value from the start of {@code tps} to their current end offsets (as this consumer sees them). */
    static List<String> values(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> tps, Duration limit) {
        Map<TopicPartition, Long> end = c.endOffsets(tps);
        c.assign(tps);
        c.seekToBeginning(tps);
        List<String> out = new ArrayList<>();
        long deadline = System.nanoTime() + limit.toNanos();
        while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("could not read " + tps + " up to " + end + " within " + limit);
            }
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                    out.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }
}
