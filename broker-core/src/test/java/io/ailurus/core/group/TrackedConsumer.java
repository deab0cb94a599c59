package io.ailurus.core.group;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A group consumer polling in its own thread, recording what the tests ask about: its assignment,
 * its generation, and how many times partitions were revoked from or assigned to it.
 */
final class TrackedConsumer implements AutoCloseable {
    final Set<TopicPartition> assignment = ConcurrentHashMap.newKeySet();
    final AtomicInteger revocations = new AtomicInteger();
    final AtomicInteger assignments = new AtomicInteger();
    volatile int generation = -1;
    /** Polls completed: once it has grown by a few heartbeat intervals' worth, a started rebalance would have been seen. */
    final AtomicLong polls = new AtomicLong();
    private volatile boolean running = true;
    private final Thread thread;

    TrackedConsumer(String name, Properties props, String topic) {
        thread = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props)) {
                c.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        if (!partitions.isEmpty()) {
                            revocations.incrementAndGet();
                        }
                        assignment.removeAll(partitions);
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        if (!partitions.isEmpty()) {
                            assignments.incrementAndGet();
                        }
                        generation = c.groupMetadata().generationId();
                        assignment.addAll(partitions);
                    }
                });
                while (running) {
                    c.poll(Duration.ofMillis(100));
                    generation = c.groupMetadata().generationId();
                    polls.incrementAndGet();
                }
            }
        }, name);
        thread.start();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
    }
}
