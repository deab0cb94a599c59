package io.ailurus.raft;

import com.alipay.sofa.jraft.Node;

/**
 * A state machine that proposes through its own jraft node. {@link RaftNodeHost} hands the node
 * over right after creating it (a state machine exists before its node does).
 */
public interface NodeAware {

    /** Gives the state machine the node it runs in. */
    void attach(Node node);
}
