package io.ailurus.raft.controller;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * Turns controller commands into Kafka record batches and back, so the controller's log has the
 * same format as every partition's: one record per command, key = command type (UTF-8), value =
 * the model's encoding of the command.
 *
 * @param <C> the command type
 */
public final class CommandBatchCodec<C> {

    private final ReplicatedStateMachineModel<C, ?> model;

    /** @param model encodes and decodes the commands */
    public CommandBatchCodec(ReplicatedStateMachineModel<C, ?> model) {
        this.model = model;
    }

    /** A magic-v2 batch holding {@code command} (base offset 0: the leader stamps it). */
    public ByteBuffer encode(C command) {
        byte[] key = model.commandType(command).getBytes(StandardCharsets.UTF_8);
        byte[] value = model.encode(command);
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord(System.currentTimeMillis(), key, value));
        return records.buffer();
    }

    /**
     * The command in a batch written by {@link #encode}.
     *
     * @throws IOException when the batch is corrupt, holds no record, or the model cannot decode it
     */
    public C decode(ByteBuffer batch) throws IOException {
        Iterator<? extends RecordBatch> batches = MemoryRecords.readableRecords(batch.duplicate()).batches().iterator();
        if (!batches.hasNext()) {
            throw new IOException("controller entry holds no record batch");
        }
        RecordBatch recordBatch = batches.next();
        if (!recordBatch.isValid()) {
            throw new IOException("controller record batch fails its CRC check");
        }
        Iterator<Record> records = recordBatch.iterator();
        if (!records.hasNext()) {
            throw new IOException("controller record batch holds no record");
        }
        Record record = records.next();
        if (!record.hasKey() || !record.hasValue()) {
            throw new IOException("controller record lacks its key (command type) or value");
        }
        String type = StandardCharsets.UTF_8.decode(record.key()).toString();
        byte[] value = new byte[record.valueSize()];
        record.value().get(value);
        return model.decode(type, value);
    }
}
