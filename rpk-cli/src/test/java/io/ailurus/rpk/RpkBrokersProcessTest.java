package io.ailurus.rpk;

import static io.ailurus.rpk.RpkTopicProcessTest.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.Broker;
import io.ailurus.core.config.BrokerConfig;
import io.ailurus.core.config.ClusterConfig;
import io.ailurus.core.config.ClusterConfigKeys;
import io.ailurus.core.config.ConfigSource;
import io.ailurus.core.config.HostPort;
import io.ailurus.core.testing.BrokerProcess;
import io.ailurus.core.testing.Clients;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rpk redpanda admin brokers ...} as real processes against three real brokers (one JVM,
 * formed by seeds): list, a refused decommission, a decommission that moves an RF=2 partition off
 * broker 1 onto broker 2, its status, and recommission.
 */
class RpkBrokersProcessTest {
    @TempDir
    Path dir;
    private final Broker[] brokers = new Broker[3];

    @AfterEach
    void stop() {
        for (Broker b : brokers) {
            if (b != null) {
                b.close();
            }
        }
    }

    private void startCluster() throws Exception {
        int[] rpc = new int[3];
        List<HostPort> seeds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rpc[i] = BrokerProcess.freePort();
            seeds.add(new HostPort("127.0.0.1", rpc[i]));
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Broker>> starts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int id = i;
                starts.add(pool.submit(() -> Broker.start(BrokerConfig.builder()
                    .nodeId(id)
                    .dataDirectory(dir.resolve("broker-" + id))
                    .kafkaApi(new HostPort("127.0.0.1", 0))
                    .admin(new HostPort("127.0.0.1", 0))
                    .rpcServer(new HostPort("127.0.0.1", rpc[id]))
                    .seedServers(seeds)
                    .smp(1)
                    .cluster(ClusterConfig.defaults().with(ClusterConfigKeys.ELECTION_TIMEOUT_MS, 1000,
                        ConfigSource.STATIC_BROKER_CONFIG))
                    .build())));
            }
            for (int i = 0; i < 3; i++) {
                brokers[i] = starts.get(i).get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (brokers[0].controller().image().brokers().size() < 3) {
            assertTrue(System.nanoTime() < deadline, "three brokers registered");
            Thread.sleep(50);
        }
    }

    private RpkProcess.Result rpk(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-X", "brokers=127.0.0.1:" + brokers[0].kafkaAddress().getPort(),
            "-X", "admin.hosts=127.0.0.1:" + brokers[0].adminAddress().getPort()));
        return new RpkProcess(dir.resolve("rpk"), Map.of()).run(null, all.toArray(String[]::new));
    }

    @Test
    void decommissionStatusAndRecommissionThroughTheAdminApi() throws Exception {
        startCluster();
        String bootstrap = "127.0.0.1:" + brokers[0].kafkaAddress().getPort();
        try (Admin admin = Clients.admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic("two", Map.of(0, List.of(0, 1))),
                new NewTopic("one", Map.of(0, List.of(1))))).all().get(60, TimeUnit.SECONDS);

            RpkProcess.Result list = rpk("redpanda", "admin", "brokers", "list");
            assertEquals(0, list.exit(), list.toString());
            List<List<String>> rows = rows(list.out());
            assertEquals(List.of("NODE-ID", "NUM-CORES", "MEMBERSHIP-STATUS", "IS-ALIVE", "BROKER-VERSION"), rows.get(0));
            assertEquals(List.of("0", "1", "2"), rows.subList(1, 4).stream().map(r -> r.get(0)).toList());
            assertTrue(rows.subList(1, 4).stream().allMatch(r -> r.get(2).equals("active") && r.get(3).equals("true")), list.out());

            // A single-replica partition on broker 1 cannot move: refused, exit 1, the partition named.
            RpkProcess.Result refused = rpk("redpanda", "admin", "brokers", "decommission", "1");
            assertEquals(1, refused.exit(), refused.toString());
            assertTrue(refused.err().contains("kafka/one/0"), refused.err());
            RpkProcess.Result notDraining = rpk("redpanda", "admin", "brokers", "decommission-status", "1");
            assertEquals(1, notDraining.exit(), notDraining.toString());
            assertTrue(notDraining.err().contains("not being decommissioned"), notDraining.err());

            admin.deleteTopics(List.of("one")).all().get(60, TimeUnit.SECONDS);
            RpkProcess.Result started = rpk("redpanda", "admin", "brokers", "decommission", "1");
            assertEquals(0, started.exit(), started.toString());
            assertEquals("Success, broker 1 decommission started.  Use 'rpk redpanda admin brokers decommission-status 1'"
                + " to monitor data movement.\n", started.out());

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            RpkProcess.Result status;
            do {
                assertTrue(System.nanoTime() < deadline, "the decommission did not finish");
                status = rpk("redpanda", "admin", "brokers", "decommission-status", "1");
                assertEquals(0, status.exit(), status.toString());
            } while (!status.out().equals("Node 1 is decommissioned successfully.\n"));
            List<Integer> replicas = admin.describeTopics(List.of("two")).allTopicNames().get(30, TimeUnit.SECONDS)
                .get("two").partitions().get(0).replicas().stream().map(Node::id).toList();
            assertEquals(List.of(0, 2), replicas, "broker 2 took broker 1's replica");

            RpkProcess.Result back = rpk("redpanda", "admin", "brokers", "recommission", "1");
            assertEquals(0, back.exit(), back.toString());
            assertEquals("Success, broker 1 has been recommissioned!\n", back.out());
            List<List<String>> after = rows(rpk("redpanda", "admin", "brokers", "list").out());
            assertEquals("active", after.get(2).get(2), "broker 1 is active again");
        }
    }
}
