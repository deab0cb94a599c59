package io.ailurus.raft.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

import io.ailurus.raft.TestBatches;

class KafkaBatchHeaderTest {

    @Test
    void stampsBaseOffsetAndEpochWithoutBreakingTheCrc() {
        ByteBuffer batch = TestBatches.batch("v", 5);
        KafkaBatchHeader.validateSingleBatch(batch);
        KafkaBatchHeader.stamp(batch, 1234, 7);

        RecordBatch parsed = TestBatches.parse(batch);
        assertEquals(1234, parsed.baseOffset());
        assertEquals(1238, parsed.lastOffset());
        assertEquals(7, parsed.partitionLeaderEpoch());
        assertTrue(parsed.isValid(), "CRC still valid after stamping");
        assertEquals(1239, KafkaBatchHeader.nextOffset(batch));
        assertEquals(0, batch.position(), "absolute access leaves the position alone");
    }

    @Test
    void readsRelativeToThePosition() {
        ByteBuffer batch = TestBatches.batch("v", 3);
        ByteBuffer padded = ByteBuffer.allocate(batch.remaining() + 10);
        padded.position(10);
        padded.put(batch.duplicate());
        padded.position(10);
        KafkaBatchHeader.validateSingleBatch(padded);
        KafkaBatchHeader.stamp(padded, 50, 2);
        assertEquals(50, TestBatches.parse(padded.slice()).baseOffset());
        assertEquals(52, TestBatches.parse(padded.slice()).lastOffset());
    }

    @Test
    void refusesWhatIsNotExactlyOneV2Batch() {
        assertThrows(InvalidBatchException.class,
                () -> KafkaBatchHeader.validateSingleBatch(ByteBuffer.allocate(20)));

        ByteBuffer wrongMagic = TestBatches.batch("v", 1);
        wrongMagic.put(16, (byte) 1);
        InvalidBatchException magic = assertThrows(InvalidBatchException.class,
                () -> KafkaBatchHeader.validateSingleBatch(wrongMagic));
        assertTrue(magic.getMessage().contains("magic"), magic.getMessage());

        ByteBuffer one = TestBatches.batch("a", 1);
        ByteBuffer two = ByteBuffer.allocate(one.remaining() * 2).put(one.duplicate()).put(one.duplicate()).flip();
        InvalidBatchException length = assertThrows(InvalidBatchException.class,
                () -> KafkaBatchHeader.validateSingleBatch(two));
        assertTrue(length.getMessage().contains("exactly one batch"), length.getMessage());
    }
}
