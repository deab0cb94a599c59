package io.ailurus.core.txn;

import com.alipay.sofa.jraft.entity.PeerId;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.metadata.BrokerInfo;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.PartitionLeader;
import io.ailurus.core.metadata.TopicInfo;
import io.ailurus.core.partition.Partition;
import io.ailurus.core.partition.PartitionException;
import io.ailurus.core.partition.PartitionManager;
import io.ailurus.raft.rpc.InternalRpc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * Writes one transaction marker (a COMMIT or ABORT control batch) to one partition's leader: through
 * {@link Partition#writeTxnMarker} on its owner shard when this broker leads it, else over
 * {@link InternalRpc} (kind {@value #KIND}) to the broker that leads it, which does the same there.
 * The answer is the Kafka error of the attempt ({@link Errors#NONE} once the marker is committed);
 * the caller decides what to retry.
 */
public final class TxnMarkerWriter {
    static final String KIND = "txn.marker";
    private static final long RPC_TIMEOUT_MS = 15_000;
    /** Jackson, created on first use: a broker that only starts and idles needs none of it (idle RSS, docs/benchmarks.md). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** One marker request on the wire (JSON). */
    record MarkerRequest(String topic, int partition, long producerId, short producerEpoch, boolean commit,
                         int coordinatorEpoch) {}

    private final ClusterView cluster;
    private final PartitionManager partitions;
    private final InternalRpc rpc;

    public TxnMarkerWriter(ClusterView cluster, PartitionManager partitions, InternalRpc rpc) {
        this.cluster = cluster;
        this.partitions = partitions;
        this.rpc = rpc;
        rpc.register(KIND, this::serve);
    }

    /** Writes the marker for {@code tp}; never fails exceptionally, the error says what happened. */
    public CompletableFuture<Errors> write(TopicPartition tp, long producerId, short producerEpoch, boolean commit,
                                           int coordinatorEpoch) {
        MetadataImage image = cluster.image();
        TopicInfo topic = image.topic(tp.topic()).orElse(null);
        if (topic == null || tp.partition() >= topic.partitionCount()) {
            return CompletableFuture.completedFuture(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        Partition local = partitions.get(tp);
        if (local != null && local.isLeader()) {
            return writeLocal(local, producerId, producerEpoch, commit, coordinatorEpoch);
        }
        int leader = leaderOf(image, topic, tp, local);
        BrokerInfo broker = leader < 0 || leader == cluster.nodeId() ? null : image.brokers().get(leader);
        if (broker == null || broker.rpcAddress() == null) {
            return CompletableFuture.completedFuture(Errors.NOT_LEADER_OR_FOLLOWER);
        }
        PeerId peer = PeerId.parsePeer(broker.rpcAddress());
        if (peer == null) {
            return CompletableFuture.completedFuture(Errors.NOT_LEADER_OR_FOLLOWER);
        }
        byte[] payload;
        try {
            payload = Json.MAPPER.writeValueAsBytes(new MarkerRequest(tp.topic(), tp.partition(), producerId, producerEpoch,
                commit, coordinatorEpoch));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return rpc.call(peer.getEndpoint(), KIND, payload, RPC_TIMEOUT_MS).handle((bytes, err) -> {
            if (err != null) {
                return Errors.NOT_LEADER_OR_FOLLOWER; // unreachable or gone: find the leader again and retry
            }
            return Errors.forCode(Short.parseShort(new String(bytes, StandardCharsets.UTF_8)));
        });
    }

    /** The leader as this broker knows it: the local replica's jraft view or the controller's reports. */
    private static int leaderOf(MetadataImage image, TopicInfo topic, TopicPartition tp, Partition local) {
        List<Integer> replicas = topic.replicas(tp.partition());
        if (replicas.size() == 1) {
            return replicas.get(0);
        }
        int leader = -1;
        int epoch = -1;
        PartitionLeader reported = image.reportedLeader(tp.topic(), tp.partition());
        if (reported != null) {
            leader = reported.nodeId();
            epoch = reported.epoch();
        }
        if (local != null && local.leaderId() >= 0 && (leader < 0 || local.leaderEpoch() > epoch)) {
            leader = local.leaderId();
        }
        return leader;
    }

    private static CompletableFuture<Errors> writeLocal(Partition p, long producerId, short producerEpoch, boolean commit,
                                                        int coordinatorEpoch) {
        CompletableFuture<Errors> out = new CompletableFuture<>();
        try {
            p.owner().execute(() -> {
                CompletableFuture<Void> written;
                try {
                    written = p.writeTxnMarker(producerId, producerEpoch, commit, coordinatorEpoch);
                } catch (RuntimeException e) {
                    written = CompletableFuture.failedFuture(e);
                }
                written.whenComplete((v, err) -> out.complete(err == null ? Errors.NONE : PartitionException.errorOf(err)));
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            out.complete(Errors.NOT_LEADER_OR_FOLLOWER); // the shard is shutting down
        }
        return out;
    }

    /** On the partition leader: write the marker asked for, answer with the error code. */
    private CompletableFuture<byte[]> serve(byte[] payload) {
        MarkerRequest r;
        try {
            r = Json.MAPPER.readValue(payload, MarkerRequest.class);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("unreadable marker request", e));
        }
        Partition p = partitions.get(new TopicPartition(r.topic(), r.partition()));
        CompletableFuture<Errors> result = p == null || !p.isLeader()
            ? CompletableFuture.completedFuture(Errors.NOT_LEADER_OR_FOLLOWER)
            : writeLocal(p, r.producerId(), r.producerEpoch(), r.commit(), r.coordinatorEpoch());
        return result.thenApply(e -> Short.toString(e.code()).getBytes(StandardCharsets.UTF_8));
    }
}
