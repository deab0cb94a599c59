package io.ailurus.raft.storage;

import com.alipay.sofa.jraft.JRaftServiceFactory;
import com.alipay.sofa.jraft.entity.codec.LogEntryCodecFactory;
import com.alipay.sofa.jraft.entity.codec.v2.LogEntryV2CodecFactory;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import com.alipay.sofa.jraft.storage.RaftMetaStorage;
import com.alipay.sofa.jraft.storage.SnapshotStorage;
import com.alipay.sofa.jraft.storage.impl.LocalRaftMetaStorage;
import com.alipay.sofa.jraft.storage.snapshot.local.LocalSnapshotStorage;

/**
 * The storages of one jraft group: our {@link KafkaLogStorage} for the log, jraft's file-based
 * meta (term and vote) and snapshot storages for the rest.
 *
 * <p>Implemented from scratch rather than by extending jraft's default factory so that nothing on
 * this path can reach a RocksDB class (rocksdbjni is not on the class path at all).
 */
public final class KafkaLogServiceFactory implements JRaftServiceFactory {

    private final KafkaLogStorage logStorage;

    /** @param logStorage the one log storage this group uses (a factory per group) */
    public KafkaLogServiceFactory(KafkaLogStorage logStorage) {
        this.logStorage = logStorage;
    }

    @Override
    public LogStorage createLogStorage(String uri, RaftOptions raftOptions) {
        return logStorage;
    }

    @Override
    public SnapshotStorage createSnapshotStorage(NodeOptions nodeOptions) {
        String uri = nodeOptions.getSnapshotUri();
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("snapshot storage requested without a snapshot directory");
        }
        return new LocalSnapshotStorage(uri, nodeOptions.getSnapshotTempUri(), nodeOptions.getRaftOptions());
    }

    @Override
    public RaftMetaStorage createRaftMetaStorage(String uri, RaftOptions raftOptions) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("raft meta storage needs a directory");
        }
        return new LocalRaftMetaStorage(uri, raftOptions);
    }

    @Override
    public LogEntryCodecFactory createLogEntryCodecFactory() {
        return LogEntryV2CodecFactory.getInstance();
    }
}
