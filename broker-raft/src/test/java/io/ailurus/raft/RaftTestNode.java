package io.ailurus.raft;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

import com.alipay.sofa.jraft.StateMachine;
import com.alipay.sofa.jraft.conf.Configuration;

import io.ailurus.storage.LogConfig;
import io.ailurus.storage.LogManager;
import io.ailurus.storage.PartitionLog;
import io.ailurus.storage.StorageConfig;

/**
 * One broker's worth of real parts for tests: a data directory with a broker-storage log manager,
 * a Raft host on an ephemeral loopback port, and one group. Restartable: {@link #stop()} closes
 * everything, {@link #start} reopens from the same directories.
 */
public final class RaftTestNode implements AutoCloseable {

    /** Short timeouts so elections in tests take a fraction of a second, not 3 s. */
    public static final RaftHostConfig TEST_CONFIG = RaftHostConfig.defaults().withElectionTimeoutMs(600);

    private final Path dir;
    private final String groupId;
    private int port;
    private LogManager logs;
    private PartitionLog log;
    private RaftNodeHost host;
    private RaftGroup group;

    private final RaftHostConfig config;

    public RaftTestNode(Path dir, String groupId) {
        this(dir, groupId, TEST_CONFIG);
    }

    public RaftTestNode(Path dir, String groupId, RaftHostConfig config) {
        this.dir = dir;
        this.groupId = groupId;
        this.config = config;
    }

    /** Binds the host (keeping the port across restarts, so peers' configurations stay valid). */
    public RaftNodeHost host() throws IOException {
        if (host == null) {
            host = RaftNodeHost.start("127.0.0.1", port, config);
            port = host.endpoint().getPort();
        }
        return host;
    }

    /** Opens the log and starts the group with the state machine {@code fsm} supplies. */
    public RaftGroup start(Configuration conf, StateMachine fsm, SnapshotPolicy snapshots,
            java.util.function.LongSupplier nextOffsetOnReset) throws IOException {
        host();
        logs = LogManager.open(dir.resolve("data"), StorageConfig.defaults());
        log = logs.openLog(groupId, LogConfig.defaults().withSegmentBytes(1 << 20).withPreallocateBytes(1 << 16));
        group = host.startGroup(groupId, host.peerId(), conf, fsm, log, dir.resolve("raft").resolve(groupId),
                snapshots, nextOffsetOnReset);
        return group;
    }

    public RaftGroup start(Configuration conf, StateMachine fsm) throws IOException {
        return start(conf, fsm, SnapshotPolicy.NONE, () -> 0L);
    }

    public PartitionLog log() {
        return log;
    }

    public RaftGroup group() {
        return group;
    }

    public boolean running() {
        return group != null;
    }

    /** Stops the group, the host and the storage (a clean shutdown). */
    public void stop() {
        if (group != null) {
            group.stop();
            group = null;
        }
        if (host != null) {
            host.close();
            host = null;
        }
        if (logs != null) {
            logs.close();
            logs = null;
            log = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Waits until {@code condition} holds. */
    public static void await(String what, Supplier<Boolean> condition) {
        Await.until(Duration.ofSeconds(30), what, condition::get);
    }
}
