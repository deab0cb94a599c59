package io.ailurus.bench.jmh;

import io.ailurus.protocol.KafkaRequest;
import io.ailurus.protocol.ProtocolMetrics;
import io.ailurus.protocol.codec.KafkaRequestDecoder;
import io.ailurus.protocol.versions.ApiVersionCatalog;
import io.ailurus.protocol.versions.ApiVersionTable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Request decode: a Produce request frame (as the frame decoder hands it on: size prefix stripped) in a
 * pooled direct {@link ByteBuf} through our {@link KafkaRequestDecoder} in a Netty pipeline, at the
 * highest Produce version we serve. {@code partitions} partitions of one topic, each one ~16 KiB batch of
 * 16 x 1 KiB records (what a producer with the default batch.size sends).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ProduceRequestDecodeBenchmark {
    @Param({"1", "16"})
    public int partitions;

    private EmbeddedChannel channel;
    private ByteBuf frame;

    @Setup
    public void setUp() {
        short version = ApiVersionCatalog.rangeOf(ApiKeys.PRODUCE).orElseThrow().maxVersion();
        ProduceRequestData body = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("bench-topic");
        for (int p = 0; p < partitions; p++) {
            ByteBuffer batch = ProducerBatches.batch(16, 1024, CompressionType.NONE, 1000L, p * 16);
            topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(p)
                .setRecords(MemoryRecords.readableRecords(batch)));
        }
        body.topicData().add(topic);
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(ApiKeys.PRODUCE.id)
            .setRequestApiVersion(version).setCorrelationId(42).setClientId("producer-1");
        ByteBuffer bytes = serialize(header, ApiKeys.PRODUCE.requestHeaderVersion(version), body, version);
        frame = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.remaining());
        frame.writeBytes(bytes);
        channel = new EmbeddedChannel(new KafkaRequestDecoder(ApiVersionTable.of(ApiVersionCatalog.all().values()),
            ProtocolMetrics.NONE));
    }

    private static ByteBuffer serialize(RequestHeaderData header, short headerVersion, ApiMessage body, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer out = ByteBuffer.allocate(size);
        ByteBufferAccessor w = new ByteBufferAccessor(out);
        header.write(w, cache, headerVersion);
        body.write(w, cache, version);
        out.flip();
        return out;
    }

    @Benchmark
    public Object decode() {
        channel.writeInbound(frame.retainedDuplicate());
        KafkaRequest request = channel.readInbound();
        request.release();
        return request.body();
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
        frame.release();
    }
}
