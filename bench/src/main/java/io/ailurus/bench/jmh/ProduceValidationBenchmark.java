package io.ailurus.bench.jmh;

import io.ailurus.core.partition.PartitionSettings;
import io.ailurus.core.partition.ProduceBatchValidator;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

/**
 * What the owner shard spends checking one produced batch before it is appended:
 * {@link ProduceBatchValidator#validate} on a ~16 KiB batch (16 records of 1 KiB, the producer's default
 * batch.size), read from a direct buffer as it arrives from the socket, with and without compression.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ProduceValidationBenchmark {
    @Param({"none", "lz4", "zstd"})
    public String compression;

    private ByteBuffer request;
    private final PartitionSettings settings = PartitionSettings.defaults();

    @Setup
    public void setUp() {
        request = ProducerBatches.direct(ProducerBatches.batch(16, 1024, CompressionType.forName(compression), 1000L, 0));
    }

    @Benchmark
    public List<ProduceBatchValidator.ValidatedBatch> validate() {
        return ProduceBatchValidator.validate(MemoryRecords.readableRecords(request.duplicate()), settings,
            System.currentTimeMillis());
    }
}
