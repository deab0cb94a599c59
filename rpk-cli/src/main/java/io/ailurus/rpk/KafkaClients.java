package io.ailurus.rpk;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka's Java clients configured for rpk: bounded timeouts so a dead broker gives an error in
 * seconds instead of a minute of retries, and a TCP probe first so that error can say plainly
 * that nothing is listening.
 */
public final class KafkaClients {
    static final int CONNECT_PROBE_MILLIS = 3000;
    static final long CALL_TIMEOUT_SECONDS = 30;

    private final List<String> brokers;
    private final boolean verbose;

    KafkaClients(List<String> brokers, boolean verbose) {
        this.brokers = brokers;
        this.verbose = verbose;
        if (verbose) {
            // Quiet by default (logback.xml); -v shows what the Kafka clients do, on stderr.
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
                .setLevel(ch.qos.logback.classic.Level.INFO);
        }
    }

    public List<String> brokers() {
        return brokers;
    }

    /** Fails with a clear message unless at least one broker accepts a TCP connection. */
    public void requireReachable() {
        IOException last = null;
        for (String b : brokers) {
            int colon = b.lastIndexOf(':');
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(b.substring(0, colon), Integer.parseInt(b.substring(colon + 1))),
                    CONNECT_PROBE_MILLIS);
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        throw new RpkException("cannot connect to " + String.join(",", brokers) + " (" + last.getMessage()
            + "): is the broker running? set -X brokers=HOST:PORT or RPK_BROKERS");
    }

    private Properties base() {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", brokers));
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, "rpk");
        p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        return p;
    }

    public Admin admin() {
        requireReachable();
        Properties p = base();
        p.put(AdminClientConfig.RETRIES_CONFIG, "3");
        return Admin.create(p);
    }

    public KafkaProducer<byte[], byte[]> producer(Properties extra) {
        requireReachable();
        Properties p = base();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.putAll(extra);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public KafkaConsumer<byte[], byte[]> consumer(Properties extra) {
        requireReachable();
        Properties p = base();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.putAll(extra);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Waits for an admin call, bounded; failures surface as the Kafka error an operator can read. */
    public static <T> T await(Future<T> f) {
        try {
            return f.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpkException("interrupted");
        } catch (TimeoutException e) {
            throw new RpkException("no answer from the brokers within " + CALL_TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            throw new RpkException(Errors.describe(e), e);
        }
    }
}
