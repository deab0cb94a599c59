package io.ailurus.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.admin.PrometheusScrape;
import io.ailurus.core.testing.Clients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Raft and lag metrics of three real brokers with a replicated (RF=3) partition: the leader's
 * commit-latency histogram counts each acks=all produce, partition groups report their elections,
 * the group's lag on the partition is reported by exactly one broker, its leader, with the exact
 * value (high watermark minus committed offset), and a stopped follower shows as under-replicated.
 */
class ClusterMetricsIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, String> PARTITION_GROUPS = Map.of("group", "partition");

    @TempDir
    Path dir;

    @Test
    void replicatedPartitionCommitLatencyElectionsAndLagAreReported() throws Exception {
        try (InJvmCluster cluster = new InJvmCluster(dir, 3).startAll()) {
            String topic = "replicated";
            TopicPartition tp = new TopicPartition(topic, 0);
            try (Admin admin = Clients.admin(cluster.bootstrap())) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 3))).all().get(60, TimeUnit.SECONDS);
            }
            double commitsBefore = sum(cluster, "ailurus_raft_commit_latency_seconds_count", PARTITION_GROUPS);

            int sends = 10;
            Properties pp = new Properties();
            pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
            pp.put(ProducerConfig.ACKS_CONFIG, "all");
            pp.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            pp.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < sends; i++) {
                    producer.send(new ProducerRecord<>(topic, 0, null, new byte[100])).get(60, TimeUnit.SECONDS);
                }
            }
            // Each acks=all batch was proposed on the leader and applied after a majority had it.
            assertTrue(sum(cluster, "ailurus_raft_commit_latency_seconds_count", PARTITION_GROUPS) - commitsBefore >= sends);
            assertTrue(sum(cluster, "ailurus_raft_leader_elected_total", PARTITION_GROUPS) >= 1, "the partition group elected a leader");
            assertTrue(sum(cluster, "ailurus_raft_leader_elected_total", Map.of("group", "controller")) >= 1);

            Properties cp = new Properties();
            cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
            cp.put(ConsumerConfig.GROUP_ID_CONFIG, "watchers");
            cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.assign(List.of(tp));
                consumer.commitSync(Map.of(tp, new OffsetAndMetadata(4)), Duration.ofSeconds(60));
            }
            // Followers apply the commit a little later; only the partition's leader reports its lag.
            Map<String, String> row = Map.of("group", "watchers", "topic", topic, "partition", "0");
            Await.until("exactly one broker reports lag 6", WAIT, () -> {
                int reporters = 0;
                double lag = 0;
                for (int i = 0; i < 3; i++) {
                    cluster.broker(i).admin().refreshGroupLag();
                    PrometheusScrape s = PrometheusScrape.parse(cluster.broker(i).admin().metrics().scrapePublic());
                    if (s.has("ailurus_kafka_consumer_group_partition_lag")) {
                        reporters++;
                        lag += s.value("ailurus_kafka_consumer_group_partition_lag", row);
                    }
                }
                return reporters == 1 && lag == sends - 4;
            });

            // Every follower is alive: nothing under-replicated. Stop one follower: the leader counts it.
            assertEquals(0, publicSum(cluster, "ailurus_kafka_under_replicated_replicas"));
            int leader = -1;
            for (int i = 0; i < 3; i++) {
                if (cluster.broker(i).partitions().get(tp).isLeader()) {
                    leader = i;
                }
            }
            assertTrue(leader >= 0, "one broker leads the partition");
            int follower = (leader + 1) % 3;
            cluster.stop(follower);
            Await.until("the leader reports the stopped follower as under-replicated", WAIT,
                () -> publicSum(cluster, "ailurus_kafka_under_replicated_replicas") == 1);
        }
    }

    /** The public gauge summed over the running brokers. */
    private static double publicSum(InJvmCluster cluster, String name) {
        double total = 0;
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.broker(i) != null) {
                total += PrometheusScrape.parse(cluster.broker(i).admin().metrics().scrapePublic()).value(name);
            }
        }
        return total;
    }

    private static double sum(InJvmCluster cluster, String name, Map<String, String> labels) {
        double total = 0;
        for (int i = 0; i < cluster.size(); i++) {
            total += PrometheusScrape.parse(cluster.broker(i).admin().metrics().scrapeInternal()).valueOrZero(name, labels);
        }
        return total;
    }
}
