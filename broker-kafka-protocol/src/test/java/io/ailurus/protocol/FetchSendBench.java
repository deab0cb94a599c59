package io.ailurus.protocol;

import io.ailurus.protocol.records.FileSlice;
import io.ailurus.protocol.records.SlicedRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Not a test: a benchmark of the Fetch send path over loopback. Serves {@code chunk}-byte records from a
 * (page-cached) file either as a {@link FileSlice} (sendfile) or read into a heap buffer first (what a
 * copying encoder costs), and reports MiB/s seen by a raw socket client. Run:
 * {@code java -cp <test classpath> io.ailurus.protocol.FetchSendBench [seconds] [chunkKiB]}.
 */
public final class FetchSendBench {
    private FetchSendBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int chunk = (args.length > 1 ? Integer.parseInt(args[1]) : 1024) * 1024;
        Path file = Files.createTempFile("ailurus-bench", ".log");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer fill = ByteBuffer.allocate(1 << 20);
            for (int i = 0; i < 64; i++) {
                ch.write(fill.clear(), (long) i << 20);
            }
            for (String mode : new String[] {"heap", "zero-copy", "heap", "zero-copy"}) {
                System.out.printf("%-9s chunk=%d KiB: %.0f MiB/s%n", mode, chunk / 1024,
                        run(ch, mode.equals("zero-copy"), chunk, seconds));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static double run(FileChannel ch, boolean zeroCopy, int chunk, int seconds) throws Exception {
        AtomicLong position = new AtomicLong();
        long fileSize = ch.size();
        OneBrokerCluster cluster = new OneBrokerCluster();
        ApiHandlerRegistry registry = cluster.registry().register(ApiKeys.FETCH, request -> {
            long pos = position.getAndAdd(chunk) % (fileSize - chunk);
            BaseRecords records;
            if (zeroCopy) {
                records = SlicedRecords.of(new FileSlice(ch, pos, chunk));
            } else {
                ByteBuffer heap = ByteBuffer.allocate(chunk);
                try {
                    ch.read(heap, pos);
                } catch (IOException e) {
                    return CompletableFuture.failedFuture(e);
                }
                records = MemoryRecords.readableRecords(heap.flip());
            }
            FetchResponseData resp = new FetchResponseData();
            FetchResponseData.FetchableTopicResponse t = new FetchResponseData.FetchableTopicResponse().setTopic("b");
            t.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(0).setHighWatermark(1)
                    .setRecords(records));
            resp.responses().add(t);
            return CompletableFuture.completedFuture(resp);
        }).build();
        try (TestServer server = new TestServer(ProtocolConfig.defaults(), registry);
             RawClient client = new RawClient(server.port())) {
            FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setTopic("b");
            topic.partitions().add(new FetchRequestData.FetchPartition().setPartition(0).setPartitionMaxBytes(chunk));
            FetchRequestData req = new FetchRequestData().setReplicaId(-1).setMaxBytes(chunk)
                    .setTopics(new ArrayList<>(List.of(topic)));
            short v = 12;
            int pipeline = 4;
            long bytes = 0;
            for (int i = 0; i < pipeline; i++) {
                client.send(req, v, i);
            }
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            int correlation = pipeline;
            while (System.nanoTime() < end) {
                bytes += client.readFrame().length;
                client.send(req, v, correlation++);
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            for (int i = 0; i < pipeline; i++) {
                client.readFrame();
            }
            return bytes / elapsed / (1 << 20);
        }
    }
}
