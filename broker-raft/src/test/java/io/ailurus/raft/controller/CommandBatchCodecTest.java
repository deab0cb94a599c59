package io.ailurus.raft.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

import io.ailurus.raft.TestBatches;
import io.ailurus.raft.partition.KafkaBatchHeader;

class CommandBatchCodecTest {

    private final CommandBatchCodec<KvModel.Put> codec = new CommandBatchCodec<>(new KvModel());

    @Test
    void aCommandIsOneKafkaRecordKeyedByItsType() throws IOException {
        ByteBuffer batch = codec.encode(new KvModel.Put("topic", "orders"));
        KafkaBatchHeader.validateSingleBatch(batch);
        RecordBatch parsed = TestBatches.parse(batch);
        assertEquals(RecordBatch.MAGIC_VALUE_V2, parsed.magic());
        assertTrue(parsed.isValid());
        Record record = parsed.iterator().next();
        assertEquals("put", StandardCharsets.UTF_8.decode(record.key()).toString());
        assertEquals("topic=orders", StandardCharsets.UTF_8.decode(record.value()).toString());

        assertEquals(new KvModel.Put("topic", "orders"), codec.decode(batch));
    }

    @Test
    void aCorruptBatchIsRefused() {
        ByteBuffer batch = codec.encode(new KvModel.Put("a", "b"));
        int last = batch.limit() - 1;
        batch.put(last, (byte) (batch.get(last) ^ 0x55));
        IOException e = assertThrows(IOException.class, () -> codec.decode(batch));
        assertTrue(e.getMessage().contains("CRC"), e.getMessage());
    }
}
