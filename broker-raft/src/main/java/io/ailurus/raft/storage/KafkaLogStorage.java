package io.ailurus.raft.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.PrimitiveIterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import java.util.stream.LongStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.conf.ConfigurationEntry;
import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.entity.LogId;
import com.alipay.sofa.jraft.entity.codec.LogEntryCodecFactory;
import com.alipay.sofa.jraft.entity.codec.v2.LogEntryV2CodecFactory;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import com.alipay.sofa.jraft.storage.LogStorage;

import io.ailurus.storage.AppendResult;
import io.ailurus.storage.EntryType;
import io.ailurus.storage.LogEntry;
import io.ailurus.storage.PartitionLog;

/**
 * jraft's {@link LogStorage} over a broker-storage {@link PartitionLog}: the Raft log is the
 * Kafka log, so each record batch is written once.
 *
 * <p>jraft calls {@link #appendEntries} from its log-manager thread with up to 256 entries /
 * 256 KiB at a time and treats them as durable on return; this waits for the storage's
 * durability future, so one fsync (group-committed with every other log of the data directory)
 * covers the whole call. Reads ({@link #getEntry}) come one entry at a time from replicators and
 * the state-machine caller, mostly for entries still in the storage's tail cache.
 *
 * <p>The storage's {@link PartitionLog} stays owned by whoever opened it: {@link #shutdown()}
 * does not close it.
 */
public final class KafkaLogStorage implements LogStorage {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaLogStorage.class);

    private final String name;
    private final PartitionLog log;
    private final LongSupplier nextOffsetOnReset;
    private final ConfigurationIndex configurationIndex;
    private volatile EntryMapping mapping;

    /**
     * @param name              for logs (the group id)
     * @param log               the partition log the entries live in
     * @param nextOffsetOnReset the Kafka offset the log restarts at when jraft resets it to a
     *                          snapshot (the state machine's next offset)
     * @param metaDir           the group's raft meta directory (holds the configuration index)
     */
    public KafkaLogStorage(String name, PartitionLog log, LongSupplier nextOffsetOnReset, Path metaDir) {
        this.name = name;
        this.log = log;
        this.nextOffsetOnReset = nextOffsetOnReset;
        this.configurationIndex = new ConfigurationIndex(metaDir.resolve("raft-configuration.idx"));
    }

    /** The partition log underneath. */
    public PartitionLog partitionLog() {
        return log;
    }

    @Override
    public boolean init(LogStorageOptions opts) {
        LogEntryCodecFactory codecs = opts.getLogEntryCodecFactory() != null
                ? opts.getLogEntryCodecFactory() : LogEntryV2CodecFactory.getInstance();
        this.mapping = new EntryMapping(codecs.encoder(), codecs.decoder());
        try {
            int loaded = reloadConfigurations(opts.getConfigurationManager());
            LOG.info("{}: raft log [{}, {}] opened, {} configuration entries reloaded", name,
                    log.firstIndex(), log.lastIndex(), loaded);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: cannot open the raft log", name, e);
            return false;
        }
    }

    /**
     * Hands every configuration entry of the log to jraft's configuration manager (jraft keeps no
     * other record of membership: without this a restarted node would forget its peers). The
     * {@link ConfigurationIndex} says where they are; without it the whole log is scanned once.
     */
    private int reloadConfigurations(ConfigurationManager manager) throws IOException {
        long first = log.firstIndex();
        long last = log.lastIndex();
        PrimitiveIterator.OfLong candidates;
        if (configurationIndex.exists()) {
            candidates = configurationIndex.load().stream().mapToLong(Long::longValue).iterator();
        } else {
            LOG.info("{}: no configuration index, scanning raft log [{}, {}] once", name, first, last);
            candidates = LongStream.rangeClosed(first, last).iterator();
        }
        List<Long> found = new ArrayList<>();
        while (candidates.hasNext()) {
            long index = candidates.nextLong();
            if (index < first || index > last) {
                continue;
            }
            LogEntry stored = log.entry(index);
            if (stored == null || stored.type() != EntryType.RAFT_CONFIGURATION) {
                continue;
            }
            found.add(index);
            if (manager == null) {
                continue;
            }
            com.alipay.sofa.jraft.entity.LogEntry entry = mapping.toJraft(stored);
            ConfigurationEntry conf = new ConfigurationEntry();
            conf.setId(new LogId(entry.getId().getIndex(), entry.getId().getTerm()));
            conf.setConf(new Configuration(entry.getPeers(), entry.getLearners()));
            if (entry.getOldPeers() != null) {
                conf.setOldConf(new Configuration(entry.getOldPeers(), entry.getOldLearners()));
            }
            manager.add(conf);
        }
        // Keep the index to what is really there, so it never grows with stale hints.
        configurationIndex.rewrite(found);
        return found.size();
    }

    @Override
    public void shutdown() {
        // The partition log belongs to its opener (the partition manager): nothing to release here.
    }

    @Override
    public long getFirstLogIndex() {
        return log.firstIndex();
    }

    @Override
    public long getLastLogIndex() {
        return log.lastIndex();
    }

    @Override
    public com.alipay.sofa.jraft.entity.LogEntry getEntry(long index) {
        if (index < log.firstIndex() || index > log.lastIndex()) {
            return null;
        }
        LogEntry stored = log.entry(index);
        return stored == null ? null : mapping.toJraft(stored);
    }

    @Deprecated
    @Override
    public long getTerm(long index) {
        if (index < log.firstIndex() || index > log.lastIndex()) {
            return 0;
        }
        return log.termAt(index);
    }

    @Override
    public boolean appendEntry(com.alipay.sofa.jraft.entity.LogEntry entry) {
        return appendEntries(List.of(entry)) == 1;
    }

    @Override
    public int appendEntries(List<com.alipay.sofa.jraft.entity.LogEntry> entries) {
        if (entries == null || entries.isEmpty()) {
            return 0;
        }
        List<LogEntry> converted = new ArrayList<>(entries.size());
        List<Long> configurations = new ArrayList<>(0);
        for (com.alipay.sofa.jraft.entity.LogEntry entry : entries) {
            LogEntry stored = mapping.toStorage(entry);
            converted.add(stored);
            if (stored.type() == EntryType.RAFT_CONFIGURATION) {
                configurations.add(stored.index());
            }
        }
        try {
            // Write-ahead: the index must never miss a configuration entry that reaches the log.
            configurationIndex.record(configurations);
            // Handed over, not copied: jraft's entry data are buffers nobody writes once they are entries (the
            // leader's stamped proposal; on a follower, jraft's own copy of the entry out of the AppendEntries
            // request, NodeImpl.logEntryFromMeta), and the configuration payloads are encoded for this call.
            AppendResult result = log.appendHandedOver(converted);
            // jraft treats returned entries as on disk (it then acknowledges them to the leader).
            result.durable().get();
            return entries.size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.error("{}: interrupted waiting for entries [{}, {}] to be durable", name,
                    converted.get(0).index(), converted.get(converted.size() - 1).index());
            return 0;
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.error("{}: appending entries [{}, {}] failed", name, converted.get(0).index(),
                    converted.get(converted.size() - 1).index(), cause);
            return 0;
        }
    }

    @Override
    public boolean truncatePrefix(long firstIndexKept) {
        try {
            log.truncatePrefix(firstIndexKept);
            return true;
        } catch (RuntimeException e) {
            LOG.error("{}: truncating the prefix before {} failed", name, firstIndexKept, e);
            return false;
        }
    }

    @Override
    public boolean truncateSuffix(long lastIndexKept) {
        try {
            log.truncateSuffix(lastIndexKept);
            return true;
        } catch (RuntimeException e) {
            LOG.error("{}: truncating the suffix after {} failed", name, lastIndexKept, e);
            return false;
        }
    }

    @Override
    public boolean reset(long nextLogIndex) {
        try {
            long nextOffset = nextOffsetOnReset.getAsLong();
            log.reset(nextLogIndex, nextOffset);
            LOG.info("{}: raft log reset to index {}, offset {}", name, nextLogIndex, nextOffset);
            return true;
        } catch (RuntimeException e) {
            LOG.error("{}: resetting the log to index {} failed", name, nextLogIndex, e);
            return false;
        }
    }
}
