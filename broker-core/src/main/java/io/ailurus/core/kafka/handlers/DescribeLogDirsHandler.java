package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.partition.Partition;
import io.ailurus.core.partition.PartitionManager;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DescribeLogDirs: the broker's one data directory with the size of every partition replica it holds
 * (all of them when the request names no topics), and from v4 the file system's total and usable
 * bytes. A single-replica partition has no follower lag, so the offset lag is always 0.
 */
public final class DescribeLogDirsHandler implements KafkaApiHandler<DescribeLogDirsRequestData, DescribeLogDirsResponseData> {
    private static final Logger log = LoggerFactory.getLogger(DescribeLogDirsHandler.class);

    private final PartitionManager partitions;

    public DescribeLogDirsHandler(PartitionManager partitions) {
        this.partitions = partitions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_LOG_DIRS;
    }

    @Override
    public CompletableFuture<DescribeLogDirsResponseData> handle(RequestContext ctx, DescribeLogDirsRequestData request) {
        Map<String, Set<Integer>> wanted = request.topics() == null ? null : request.topics().stream()
            .collect(Collectors.toMap(t -> t.topic(), t -> Set.copyOf(t.partitions()), (a, b) -> a));
        Map<String, DescribeLogDirsTopic> topics = new LinkedHashMap<>();
        List<Partition> hosted = new ArrayList<>(partitions.all());
        hosted.sort(Comparator.comparing((Partition p) -> p.topicPartition().topic())
            .thenComparingInt(p -> p.topicPartition().partition()));
        for (Partition p : hosted) {
            String topic = p.topicPartition().topic();
            int index = p.topicPartition().partition();
            if (wanted != null && !wanted.getOrDefault(topic, Set.of()).contains(index)) {
                continue;
            }
            topics.computeIfAbsent(topic, t -> new DescribeLogDirsTopic().setName(t)).partitions()
                .add(new DescribeLogDirsPartition().setPartitionIndex(index).setPartitionSize(p.sizeBytes())
                    .setOffsetLag(0).setIsFutureKey(false));
        }
        Path dir = partitions.dataDirectory().toAbsolutePath();
        DescribeLogDirsResult result = new DescribeLogDirsResult().setLogDir(dir.toString())
            .setErrorCode(Errors.NONE.code()).setTopics(new ArrayList<>(topics.values()));
        try {
            FileStore store = Files.getFileStore(dir);
            result.setTotalBytes(store.getTotalSpace()).setUsableBytes(store.getUsableSpace());
        } catch (IOException e) {
            // Sizes are informational; the partition list is still right, so answer without them.
            log.warn("cannot read the file system sizes of {}: {}", dir, e.getMessage());
            result.setTotalBytes(-1).setUsableBytes(-1);
        }
        DescribeLogDirsResponseData response = new DescribeLogDirsResponseData().setErrorCode(Errors.NONE.code());
        response.results().add(result);
        return CompletableFuture.completedFuture(response);
    }
}
