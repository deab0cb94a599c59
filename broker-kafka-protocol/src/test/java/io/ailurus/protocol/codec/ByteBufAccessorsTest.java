package io.ailurus.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

/** Our ByteBuf Readable/Writable agree with kafka-clients' ByteBufferAccessor, byte for byte. */
class ByteBufAccessorsTest {
    @Test
    void varintsMatchKafkasEncodingBothWays() {
        Random random = new Random(1);
        long[] edge = {0, 1, -1, 63, 64, -64, -65, 127, 128, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE,
                Long.MIN_VALUE};
        for (int i = 0; i < 2000 + edge.length; i++) {
            long l = i < edge.length ? edge[i] : random.nextLong() >> random.nextInt(64);
            int n = (int) l;
            ByteBuffer kafka = ByteBuffer.allocate(64);
            ByteBufferAccessor k = new ByteBufferAccessor(kafka);
            k.writeVarint(n);
            k.writeUnsignedVarint(n);
            k.writeVarlong(l);
            kafka.flip();
            ResponseFrameWriter ours = new ResponseFrameWriter(UnpooledByteBufAllocator.DEFAULT, 64);
            ours.writeVarint(n);
            ours.writeUnsignedVarint(n);
            ours.writeVarlong(l);
            ByteBuf written = ours.buffer();
            assertEquals(kafka, written.nioBuffer(), "value " + l);
            ByteBufReadable r = new ByteBufReadable(written);
            assertEquals(n, r.readVarint());
            assertEquals(n, r.readUnsignedVarint());
            assertEquals(l, r.readVarlong());
            ours.finish().forEach(ReferenceCountUtil::release);
        }
    }

    @Test
    void overlongVarintIsRejectedNotLooped() {
        ByteBuf b = Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1});
        assertThrows(IllegalArgumentException.class, () -> new ByteBufReadable(b).readUnsignedVarint());
    }

    @Test
    void requestParsedFromByteBufEqualsKafkasParse() {
        MetadataRequestData md = new MetadataRequestData().setAllowAutoTopicCreation(false);
        md.topics().add(new MetadataRequestData.MetadataRequestTopic().setName("a-topic"));
        for (short v : new short[] {4, 9, 12}) {
            ByteBuffer bytes = MessageUtil.toByteBufferAccessor(md, v).buffer();
            MetadataRequestData ours = new MetadataRequestData(new ByteBufReadable(Unpooled.wrappedBuffer(bytes.duplicate())), v);
            MetadataRequestData theirs = new MetadataRequestData(new ByteBufferAccessor(bytes.duplicate()), v);
            assertEquals(theirs, ours, "v" + v);
        }
    }

    @Test
    void produceRecordsAreAViewOfTheFrameNotACopy() {
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes()));
        ProduceRequestData req = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(5);
        ProduceRequestData.TopicProduceData t = new ProduceRequestData.TopicProduceData().setName("t");
        t.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records));
        req.topicData().add(t);
        short v = 11;
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuf frame = Unpooled.directBuffer(req.size(cache, v));
        ResponseFrameWriter w = new ResponseFrameWriter(UnpooledByteBufAllocator.DEFAULT, req.size(cache, v));
        req.write(w, cache, v);
        List<Object> parts = w.finish();
        for (Object p : parts) {
            frame.writeBytes((ByteBuf) p);
            ReferenceCountUtil.release(p);
        }
        ProduceRequestData parsed = new ProduceRequestData(new ByteBufReadable(frame), v);
        MemoryRecords view = (MemoryRecords) parsed.topicData().iterator().next().partitionData().get(0).records();
        assertEquals(records.buffer(), view.buffer());
        // The view's memory lies inside the frame's: nothing was copied.
        assertTrue(view.buffer().isDirect());
        long viewAddress = io.netty.util.internal.PlatformDependent.directBufferAddress(view.buffer());
        assertTrue(viewAddress >= frame.memoryAddress()
                && viewAddress + view.sizeInBytes() <= frame.memoryAddress() + frame.capacity());
        frame.release();
    }

    @Test
    void lengthBeyondTheFrameFailsBeforeAllocating() {
        ByteBuf b = Unpooled.wrappedBuffer(new byte[10]);
        assertThrows(IndexOutOfBoundsException.class, () -> new ByteBufReadable(b).readArray(Integer.MAX_VALUE));
        assertThrows(IndexOutOfBoundsException.class, () -> new ByteBufReadable(b).readString(11));
        assertArrayEquals(new byte[10], new ByteBufReadable(b).readArray(10));
    }
}
