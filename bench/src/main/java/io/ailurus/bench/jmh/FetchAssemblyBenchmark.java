package io.ailurus.bench.jmh;

import io.ailurus.core.fetch.FetchRecords;
import io.ailurus.protocol.codec.KafkaResponseEncoder;
import io.ailurus.protocol.codec.OutboundResponse;
import io.ailurus.storage.LogConfig;
import io.ailurus.storage.LogManager;
import io.ailurus.storage.PartitionLog;
import io.ailurus.storage.ReadResult;
import io.ailurus.storage.StorageConfig;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.CompressionType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Fetch assembly: for {@code partitions} partitions of one topic, what the fetch path does between the
 * request and the socket: read the log from the consumer's position ({@link PartitionLog#read}, up to
 * 64 KiB per partition, the last four 16 KiB batches), wrap the slices without copying
 * ({@link FetchRecords#of}), build the {@link FetchResponseData} and encode it into the frame's parts
 * ({@link KafkaResponseEncoder}: header and fields into a pooled buffer, records by reference), then release
 * them as the socket would after sending. {@code source}: {@code cache} reads the tail cache (a consumer
 * keeping up), {@code file} a log whose tail cache is disabled (a consumer behind: file regions).
 * The logs are real segment files under {@code bench/target/jmh-fetch}, removed afterwards.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FetchAssemblyBenchmark {
    private static final int BATCHES_PER_PARTITION = 16;
    private static final int MAX_BYTES_PER_PARTITION = 64 * 1024;

    @Param({"1", "16", "256"})
    public int partitions;

    @Param({"cache", "file"})
    public String source;

    private Path dir;
    private LogManager logs;
    private final List<PartitionLog> partitionLogs = new ArrayList<>();
    private long[] fetchOffsets;
    private final KafkaResponseEncoder encoder = new KafkaResponseEncoder();
    private short version;
    private final Uuid topicId = Uuid.randomUuid();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Files.createDirectories(Path.of("target"));
        dir = Files.createTempDirectory(Path.of("target"), "jmh-fetch");
        StorageConfig cfg = StorageConfig.defaults();
        if (source.equals("file")) {
            cfg = cfg.withTailCacheBytes(0, 0);
        }
        logs = LogManager.open(dir, cfg);
        ByteBuffer batch = ProducerBatches.batch(16, 1024, CompressionType.NONE, 1000L, 0);
        fetchOffsets = new long[partitions];
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            PartitionLog log = logs.openLog("bench-topic-" + p, LogConfig.defaults());
            for (int b = 0; b < BATCHES_PER_PARTITION; b++) {
                ByteBuffer copy = ByteBuffer.allocate(batch.remaining());
                copy.put(batch.duplicate()).flip();
                durable.add(log.appendBatch(1, copy).durable());
            }
            partitionLogs.add(log);
        }
        CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        for (int p = 0; p < partitions; p++) {
            // The last four batches: what a consumer a little behind the producer asks for.
            fetchOffsets[p] = partitionLogs.get(p).logEndOffset() - 4 * 16;
        }
        version = ApiKeys.FETCH.latestVersion();
    }

    @Benchmark
    public long assemble() {
        FetchResponseData response = new FetchResponseData().setSessionId(0);
        FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse()
            .setTopic("bench-topic").setTopicId(topicId);
        for (int p = 0; p < partitions; p++) {
            PartitionLog log = partitionLogs.get(p);
            ReadResult read = log.read(fetchOffsets[p], MAX_BYTES_PER_PARTITION, Long.MAX_VALUE, true);
            topic.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(p)
                .setHighWatermark(read.logEndOffset()).setLastStableOffset(read.logEndOffset())
                .setLogStartOffset(read.logStartOffset()).setRecords(FetchRecords.of(read)));
        }
        response.responses().add(topic);
        List<Object> parts = encoder.encode(PooledByteBufAllocator.DEFAULT,
            new OutboundResponse(ApiKeys.FETCH, version, 7, response, System.nanoTime()));
        long bytes = KafkaResponseEncoder.bytesOf(parts);
        parts.forEach(ReferenceCountUtil::release);
        return bytes;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        logs.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
