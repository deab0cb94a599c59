package io.ailurus.core.group;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * What a group member does in the membership tests (in the test JVM or in a child JVM that a test
 * kills): poll, report each record processed, commit after each batch and before giving partitions
 * up, and report each successful commit. At-least-once, as real applications consume.
 */
final class MemberLoop implements Runnable {

    /** Where a member reports what it did. */
    interface Reporter {
        void processed(int partition, long offset);

        /** A commit of {@code nextOffset} for {@code partition} succeeded. */
        void committed(int partition, long nextOffset);

        void assigned(int partitions);
    }

    private final Properties props;
    private final String topic;
    private final Reporter reporter;
    private volatile boolean running = true;
    private final Map<TopicPartition, Long> next = new HashMap<>();

    MemberLoop(Properties props, String topic, Reporter reporter) {
        this.props = props;
        this.topic = topic;
        this.reporter = reporter;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    commit(consumer, partitions);
                    partitions.forEach(next::remove);
                    reporter.assigned(consumer.assignment().size() - partitions.size());
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    reporter.assigned(consumer.assignment().size());
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    partitions.forEach(next::remove);
                }
            });
            while (running) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    reporter.processed(r.partition(), r.offset());
                    next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                }
                if (!records.isEmpty()) {
                    commit(consumer, records.partitions());
                }
            }
            commit(consumer, consumer.assignment());
        }
    }

    private void commit(KafkaConsumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long n = next.get(tp);
            if (n != null) {
                offsets.put(tp, new OffsetAndMetadata(n));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(10));
            offsets.forEach((tp, o) -> reporter.committed(tp.partition(), o.offset()));
        } catch (KafkaException e) {
            // A commit refused during a rebalance: those records may be delivered again (at-least-once).
        }
    }

    /** A member in its own JVM: args are bootstrap, group, protocol, topic; reports go to stdout. */
    public static void main(String[] args) {
        Properties p = GroupTesting.consumerProps(args[0], args[1], args[2]);
        MemberLoop loop = new MemberLoop(p, args[3], new Reporter() {
            @Override
            public void processed(int partition, long offset) {
                System.out.println("P " + partition + " " + offset);
            }

            @Override
            public void committed(int partition, long nextOffset) {
                System.out.println("C " + partition + " " + nextOffset);
            }

            @Override
            public void assigned(int partitions) {
                System.out.println("A " + partitions);
            }
        });
        loop.run();
    }
}
