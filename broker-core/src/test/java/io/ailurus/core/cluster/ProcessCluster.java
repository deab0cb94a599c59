package io.ailurus.core.cluster;

import io.ailurus.core.testing.BrokerProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * N brokers, each its own JVM ({@code AilurusMain start --node-id i --seeds ...}), so tests can
 * {@code kill -9}, SIGSTOP and SIGCONT them by PID. Ports are chosen up front and kept across
 * restarts; each broker has its own data directory.
 */
final class ProcessCluster implements AutoCloseable {
    private final Path dir;
    private final int[] rpcPorts;
    private final int[] kafkaPorts;
    private final BrokerProcess[] brokers;
    private final boolean[] paused;

    ProcessCluster(Path dir, int size) throws Exception {
        this.dir = dir;
        this.rpcPorts = new int[size];
        this.kafkaPorts = new int[size];
        this.brokers = new BrokerProcess[size];
        this.paused = new boolean[size];
        for (int i = 0; i < size; i++) {
            rpcPorts[i] = BrokerProcess.freePort();
            kafkaPorts[i] = BrokerProcess.freePort();
        }
    }

    ProcessCluster startAll() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(brokers.length);
        try {
            List<Future<?>> starts = new ArrayList<>();
            for (int i = 0; i < brokers.length; i++) {
                int id = i;
                starts.add(pool.submit(() -> {
                    start(id);
                    return null;
                }));
            }
            for (Future<?> f : starts) {
                f.get(180, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return this;
    }

    /** Not synchronized as a whole: a broker's start waits for a controller majority, i.e. for the others' starts. */
    void start(int i) throws Exception {
        String seeds = java.util.Arrays.stream(rpcPorts).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        BrokerProcess started = BrokerProcess.start(dir.resolve("broker-" + i), kafkaPorts[i], rpcPorts[i],
            List.of("--node-id", Integer.toString(i), "--seeds", seeds));
        synchronized (this) {
            brokers[i] = started;
            paused[i] = false;
        }
    }

    synchronized void kill9(int i) throws InterruptedException {
        if (brokers[i] != null) {
            brokers[i].kill9();
            brokers[i] = null;
            paused[i] = false;
        }
    }

    synchronized void pause(int i) throws Exception {
        brokers[i].pause();
        paused[i] = true;
    }

    synchronized void resume(int i) throws Exception {
        if (brokers[i] != null && paused[i]) {
            brokers[i].resume();
        }
        paused[i] = false;
    }

    synchronized boolean isUp(int i) {
        return brokers[i] != null && !paused[i];
    }

    synchronized BrokerProcess broker(int i) {
        return brokers[i];
    }

    int size() {
        return brokers.length;
    }

    String bootstrap() {
        return java.util.Arrays.stream(kafkaPorts).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    String bootstrap(int i) {
        return "127.0.0.1:" + kafkaPorts[i];
    }

    /** Brings every broker back (resumes the paused, restarts the killed). */
    void healAll() throws Exception {
        for (int i = 0; i < brokers.length; i++) {
            resume(i);
            if (broker(i) == null) {
                start(i);
            }
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        for (int i = 0; i < brokers.length; i++) {
            if (brokers[i] != null) {
                brokers[i].close(); // SIGKILL works on a stopped process too
                brokers[i] = null;
            }
        }
    }
}
