package io.ailurus.raft;

/**
 * Tuning shared by every jraft group on one broker. The defaults are chosen for many groups per
 * node on few cores (see {@code docs/raft.md}); every value is validated here so a bad setting
 * fails at start-up with its name.
 *
 * @param electionTimeoutMs     follower-to-candidate timeout. 3 s (jraft: 1 s): with hundreds of
 *                              groups sharing two cores, a busy second must not start elections;
 *                              failover measured at 1.2–2.6 s with jraft's default was judged
 *                              acceptable to trade for stability. Heartbeats go out every
 *                              {@code electionTimeoutMs / electionHeartbeatFactor}.
 * @param electionHeartbeatFactor election timeout / heartbeat interval. 4 (jraft: 10): a heartbeat
 *                              every 750 ms per group with the 3 s timeout. Idle heartbeats are most
 *                              of an idle replica's CPU, so this is the lever; 4 still leaves three
 *                              heartbeats inside the leader's 2.7 s lease (90 % of the timeout) and
 *                              four inside a follower's timeout, and failover time is set by the
 *                              timeout, not by this (see docs/raft.md)
 * @param disruptorBufferSize   ring size of each group's jraft queues (apply, log manager,
 *                              state machine, read-only): jraft's 16384 costs ~3 MB heap per group;
 *                              a power of two
 * @param maxInflightProposals  proposals a group accepts before they are applied; at most
 *                              {@code disruptorBufferSize} so jraft never refuses a stamped batch
 * @param raftRpcThreads        threads serving Raft RPCs (votes, snapshots, non-pipelined appends)
 *                              for all groups, and as many single-thread stripes for pipelined
 *                              append entries (see {@code StripedAppendEntriesProcessor})
 * @param cliRpcThreads         threads serving jraft's CLI RPCs (membership changes)
 * @param timerPoolThreads      threads of the one timer pool all groups share
 * @param rpcTimeoutMs          jraft RPC timeout (append entries, votes)
 */
public record RaftHostConfig(int electionTimeoutMs, int electionHeartbeatFactor, int disruptorBufferSize,
        int maxInflightProposals, int raftRpcThreads, int cliRpcThreads, int timerPoolThreads, int rpcTimeoutMs) {

    /** Validates every field; see the record's docs for what each means. */
    public RaftHostConfig {
        requireAtLeast("electionTimeoutMs", electionTimeoutMs, 100);
        requireAtLeast("electionHeartbeatFactor", electionHeartbeatFactor, 2);
        requireAtLeast("disruptorBufferSize", disruptorBufferSize, 16);
        if (Integer.bitCount(disruptorBufferSize) != 1) {
            throw new IllegalArgumentException("disruptorBufferSize must be a power of two, was " + disruptorBufferSize);
        }
        requireAtLeast("maxInflightProposals", maxInflightProposals, 1);
        if (maxInflightProposals > disruptorBufferSize) {
            throw new IllegalArgumentException("maxInflightProposals (" + maxInflightProposals
                    + ") must not exceed disruptorBufferSize (" + disruptorBufferSize + ")");
        }
        requireAtLeast("raftRpcThreads", raftRpcThreads, 1);
        requireAtLeast("cliRpcThreads", cliRpcThreads, 1);
        requireAtLeast("timerPoolThreads", timerPoolThreads, 1);
        requireAtLeast("rpcTimeoutMs", rpcTimeoutMs, 100);
    }

    /** Defaults for a broker: 3 s elections, 512-slot queues, small shared thread pools. */
    public static RaftHostConfig defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new RaftHostConfig(3000, 4, 512, 512, Math.max(4, cores * 2), 1, Math.max(2, cores), 5000);
    }

    /** The same settings with another election timeout (tests use short ones to fail over fast). */
    public RaftHostConfig withElectionTimeoutMs(int ms) {
        return new RaftHostConfig(ms, electionHeartbeatFactor, disruptorBufferSize, maxInflightProposals,
                raftRpcThreads, cliRpcThreads, timerPoolThreads, rpcTimeoutMs);
    }

    private static void requireAtLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
    }
}
