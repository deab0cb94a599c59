package io.ailurus.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.testing.Clients;
import io.ailurus.core.testing.EmbeddedBroker;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One idempotent producer (the client default: acks=all, retries, five requests in flight) keeps
 * sending while the broker is stopped and started again under it, several times. Requests in
 * flight at a stop are retried against the restarted broker, which must recognise the batches it
 * already wrote (producer state survives the restart): every record ends up in the log exactly
 * once, in the order it was sent.
 */
class IdempotentProducerIntegrationTest {
    private static final String TOPIC = "idempotent";
    private static final int PARTITIONS = 3;
    private static final int RESTARTS = 3;

    @TempDir
    Path dir;

    @Test
    void retriesAcrossBrokerRestartsWriteEveryRecordExactlyOnceInOrder() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(dir).start()) {
            String bootstrap = broker.bootstrap();
            Clients.createTopic(bootstrap, TOPIC, PARTITIONS, Map.of());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong sent = new AtomicLong();
            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread sender = new Thread(() -> {
                try (var producer = Clients.producer(bootstrap, Map.of(ProducerConfig.LINGER_MS_CONFIG, 2,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000, ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 50))) {
                    while (!stop.get()) {
                        long id = sent.getAndIncrement();
                        producer.send(new ProducerRecord<>(TOPIC, (int) (id % PARTITIONS), null,
                            ByteBuffer.allocate(8).putLong(id).array()), (md, err) -> {
                                if (err == null) {
                                    acknowledged.add(id);
                                } else {
                                    failure.compareAndSet(null, err);
                                }
                            });
                        if (id % 50 == 0) {
                            Thread.sleep(2);
                        }
                    }
                    producer.flush();
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "idempotent-sender");
            sender.start();
            try {
                for (int i = 0; i < RESTARTS; i++) {
                    awaitAcks(acknowledged, acknowledged.size() + 500);
                    broker.stop();
                    broker.start();
                }
                awaitAcks(acknowledged, acknowledged.size() + 500);
            } finally {
                stop.set(true);
                sender.join(TimeUnit.MINUTES.toMillis(3));
            }
            assertFalse(sender.isAlive(), "the producer finished");
            assertNull(failure.get(), "every send succeeded, retries included");
            assertEquals(sent.get(), acknowledged.size(), "every record sent was acknowledged");

            var read = Clients.readFromStart(bootstrap, Clients.partitions(TOPIC, PARTITIONS), (int) sent.get(),
                Duration.ofMinutes(2));
            Set<Long> distinct = new HashSet<>();
            long[] last = {-1, -1, -1};
            for (var r : read) {
                long id = ByteBuffer.wrap(r.value()).getLong();
                assertTrue(distinct.add(id), "record " + id + " was written twice");
                assertEquals(id % PARTITIONS, r.partition());
                assertTrue(id > last[r.partition()], "partition " + r.partition() + " order: " + last[r.partition()] + " then " + id);
                last[r.partition()] = id;
            }
            assertEquals(acknowledged, distinct, "the log holds exactly the acknowledged records");
        }
    }

    private static void awaitAcks(Set<Long> acknowledged, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acknowledged.size() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(acknowledged.size() >= atLeast, "the producer made progress: " + acknowledged.size() + " < " + atLeast);
    }
}
