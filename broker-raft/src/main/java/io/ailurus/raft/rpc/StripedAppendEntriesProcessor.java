package io.ailurus.raft.rpc;

import java.util.List;
import java.util.concurrent.Executor;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.NodeManager;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.rpc.RpcRequests.AppendEntriesRequestHeader;
import com.alipay.sofa.jraft.rpc.impl.core.AppendEntriesRequestProcessor;
import com.alipay.sofa.jraft.util.RpcFactoryHelper;

/**
 * jraft's append-entries processor, except where pipelined requests run. jraft gives every
 * leader-follower pair of every group its own single-thread executor, so a follower holds one
 * thread per group it follows; here a pair is hashed onto one of a few shared single-thread
 * executors ("stripes"). A pair still always lands on the same stripe, so its requests are still
 * handled one at a time in arrival order, which is what the pipeline needs (responses are
 * re-sequenced by jraft as before). The price: a request that is slow to handle delays the other
 * pairs of its stripe, where before it delayed only its own.
 */
public final class StripedAppendEntriesProcessor extends AppendEntriesRequestProcessor {

    private final List<Executor> stripes;
    private final ExecutorSelector selector = this::select;

    /**
     * @param executor runs requests of groups that do not pipeline (jraft's rule)
     * @param stripes  single-thread executors, each running the requests of the pairs hashed to it
     */
    public StripedAppendEntriesProcessor(Executor executor, List<Executor> stripes) {
        super(executor);
        if (stripes.isEmpty()) {
            throw new IllegalArgumentException("at least one stripe");
        }
        this.stripes = List.copyOf(stripes);
    }

    @Override
    public ExecutorSelector executorSelector() {
        return selector;
    }

    private Executor select(String requestClass, Object requestHeader) {
        AppendEntriesRequestHeader header = (AppendEntriesRequestHeader) requestHeader;
        PeerId target = new PeerId();
        if (!target.parse(header.getPeerId())) {
            return executor();
        }
        Node node = NodeManager.getInstance().get(header.getGroupId(), target);
        if (node == null || !node.getRaftOptions().isReplicatorPipeline()) {
            return executor();
        }
        RpcFactoryHelper.rpcFactory().ensurePipeline();
        return stripes.get(stripeOf(header.getGroupId(), header.getServerId(), header.getPeerId(), stripes.size()));
    }

    /** The stripe of one leader ({@code serverId}) to follower ({@code peerId}) pair of a group. */
    static int stripeOf(String groupId, String serverId, String peerId, int stripeCount) {
        int h = groupId.hashCode();
        h = 31 * h + serverId.hashCode();
        h = 31 * h + peerId.hashCode();
        return Math.floorMod(h ^ (h >>> 16), stripeCount);
    }
}
