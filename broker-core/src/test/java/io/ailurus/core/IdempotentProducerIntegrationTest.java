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
 * once, in the order it was sent. A consumer reading along through the restarts sees each record
 * exactly once, in order.
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
            // A consumer reads along through the same restarts: its fetch sessions die with the broker,
            // and it must carry on from its position with no record missed or repeated.
            Map<Integer, java.util.List<Long>> live = new ConcurrentHashMap<>();
            AtomicBoolean stopReading = new AtomicBoolean();
            Thread reader = new Thread(() -> {
                try (var c = Clients.consumer(bootstrap, Map.of())) {
                    var tps = Clients.partitions(TOPIC, PARTITIONS);
                    c.assign(tps);
                    c.seekToBeginning(tps);
                    while (!stopReading.get()) {
                        for (var r : c.poll(Duration.ofMillis(100))) {
                            live.computeIfAbsent(r.partition(), k -> java.util.Collections.synchronizedList(new java.util.ArrayList<>()))
                                .add(ByteBuffer.wrap(r.value()).getLong());
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "idempotent-reader");
            reader.start();
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
            long readDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (live.values().stream().mapToInt(java.util.List::size).sum() < sent.get() && System.nanoTime() < readDeadline) {
                Thread.sleep(20);
            }
            stopReading.set(true);
            reader.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(reader.isAlive(), "the reader finished");
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
            for (int p = 0; p < PARTITIONS; p++) {
                java.util.List<Long> seen = live.getOrDefault(p, java.util.List.of());
                for (int i = 0; i < seen.size(); i++) {
                    assertEquals(p + (long) PARTITIONS * i, seen.get(i), "the live reader's record " + i + " of partition " + p);
                }
            }
            assertEquals(sent.get(), live.values().stream().mapToInt(java.util.List::size).sum(),
                "the live reader saw every record once");
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
