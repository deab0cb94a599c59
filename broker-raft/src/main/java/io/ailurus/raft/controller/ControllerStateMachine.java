package io.ailurus.raft.controller;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotReader;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;

import io.ailurus.raft.partition.KafkaBatchStateMachine;

/**
 * The controller's jraft state machine: applies committed commands to a pluggable
 * {@link ReplicatedStateMachineModel} and snapshots that model so restarts replay only the log's
 * tail (and jraft can truncate the log's prefix).
 *
 * <p>Commands travel as Kafka record batches ({@link CommandBatchCodec}), stamped with offsets
 * like any partition's, so the controller log is an ordinary broker-storage log.
 *
 * @param <C> the command type
 * @param <R> the result of applying one
 */
public final class ControllerStateMachine<C, R> extends KafkaBatchStateMachine {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerStateMachine.class);

    private final ReplicatedStateMachineModel<C, R> model;
    private final CommandBatchCodec<C> codec;
    /** Applies take the write lock, readers the read lock: a read sees no half-applied command. */
    private final ReentrantReadWriteLock modelLock = new ReentrantReadWriteLock();
    private final AtomicLong snapshotsLoaded = new AtomicLong();
    private final AtomicLong snapshotsSaved = new AtomicLong();
    private final AtomicLong commandsApplied = new AtomicLong();

    /**
     * @param name        for logs
     * @param model       the model commands are applied to
     * @param maxInflight commands in flight at most (no more than jraft's disruptor size)
     */
    public ControllerStateMachine(String name, ReplicatedStateMachineModel<C, R> model, int maxInflight) {
        super(name, maxInflight);
        this.model = model;
        this.codec = new CommandBatchCodec<>(model);
    }

    /**
     * Proposes a command (leader only).
     *
     * @return the model's result once the command is committed and applied here; fails with
     *         {@link io.ailurus.raft.partition.NotLeaderException} on a follower,
     *         {@link CommandFailedException} when the model threw
     */
    public CompletableFuture<R> submit(C command) {
        ByteBuffer batch;
        try {
            batch = codec.encode(command);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new CommandFailedException("cannot encode " + command, e));
        }
        return submit(batch, (position, value) -> {
            if (value instanceof Failure failure) {
                throw new CommandFailedException("command at index " + position.index() + " failed", failure.cause());
            }
            @SuppressWarnings("unchecked")
            R result = (R) value;
            return result;
        });
    }

    /** Runs {@code reader} on the model with no apply in progress (a local, possibly stale read). */
    public <T> T read(Function<? super ReplicatedStateMachineModel<C, R>, T> reader) {
        modelLock.readLock().lock();
        try {
            return reader.apply(model);
        } finally {
            modelLock.readLock().unlock();
        }
    }

    /** Snapshots loaded since start (at start-up and from a leader). */
    public long snapshotsLoaded() {
        return snapshotsLoaded.get();
    }

    /** Snapshots saved since start. */
    public long snapshotsSaved() {
        return snapshotsSaved.get();
    }

    /** Commands applied from the log since start (not counting those restored by snapshot). */
    public long commandsApplied() {
        return commandsApplied.get();
    }

    /** The Kafka offset the log restarts at after jraft resets it to a snapshot. */
    public long nextOffsetOnReset() {
        return appliedNextOffset();
    }

    @Override
    protected Object applyBatch(long index, long term, ByteBuffer batch) {
        C command;
        try {
            command = codec.decode(batch);
        } catch (IOException e) {
            // Every replica would fail the same way: stop the group rather than skip metadata.
            throw new IllegalStateException("controller entry " + index + " cannot be decoded: " + e.getMessage(), e);
        }
        modelLock.writeLock().lock();
        try {
            commandsApplied.incrementAndGet();
            return model.apply(index, command);
        } catch (RuntimeException e) {
            LOG.error("{}: command {} at index {} failed", name(), command, index, e);
            return new Failure(e);
        } finally {
            modelLock.writeLock().unlock();
        }
    }

    @Override
    public void onSnapshotSave(SnapshotWriter writer, Closure done) {
        Path file = Path.of(writer.getPath(), ControllerSnapshotFile.NAME);
        try {
            modelLock.readLock().lock();
            try {
                ControllerSnapshotFile.write(file, commitIndex(), appliedNextOffset(), model::writeSnapshot);
            } finally {
                modelLock.readLock().unlock();
            }
            if (!writer.addFile(ControllerSnapshotFile.NAME)) {
                done.run(new Status(RaftError.EIO, "cannot register snapshot file %s", file));
                return;
            }
            snapshotsSaved.incrementAndGet();
            LOG.info("{}: snapshot saved at index {}", name(), commitIndex());
            done.run(Status.OK());
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: snapshot save failed", name(), e);
            done.run(new Status(RaftError.EIO, "snapshot save failed: %s", e.getMessage()));
        }
    }

    @Override
    public boolean onSnapshotLoad(SnapshotReader reader) {
        if (isLeader()) {
            LOG.warn("{}: refusing to load a snapshot while leading", name());
            return false;
        }
        if (reader.getFileMeta(ControllerSnapshotFile.NAME) == null) {
            LOG.error("{}: snapshot at {} lacks {}", name(), reader.getPath(), ControllerSnapshotFile.NAME);
            return false;
        }
        Path file = Path.of(reader.getPath(), ControllerSnapshotFile.NAME);
        modelLock.writeLock().lock();
        try {
            ControllerSnapshotFile.Header header = ControllerSnapshotFile.read(file, model::readSnapshot);
            // jraft's meta knows the snapshot's true last index (configuration entries included).
            long lastIncluded = reader.load() == null ? header.appliedIndex() : reader.load().getLastIncludedIndex();
            restoreApplied(lastIncluded, header.nextOffset());
            snapshotsLoaded.incrementAndGet();
            LOG.info("{}: snapshot loaded, applied index {}, next offset {}", name(), lastIncluded,
                    header.nextOffset());
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: snapshot load from {} failed", name(), file, e);
            return false;
        } finally {
            modelLock.writeLock().unlock();
        }
    }

    /** What a model that threw leaves for the proposer. */
    private record Failure(RuntimeException cause) {
    }
}
