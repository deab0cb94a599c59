package io.ailurus.core.group;

import java.util.List;

/**
 * What survives a restart of a group besides its offsets. For a classic group: the stable
 * generation, its protocol, leader and members with their assignments (so static members and a
 * restarted coordinator resume without a rebalance). For a consumer (KIP-848) group: its type and
 * group epoch; members re-join after a coordinator restart.
 *
 * @param type {@link #CLASSIC} or {@link #CONSUMER}
 * @param stateTimestamp when the group last changed state (ms); offset retention of an empty group counts from it
 */
public record PersistedGroup(String groupId, String type, String protocolType, String protocol, int generation,
                             String leader, long stateTimestamp, List<PersistedMember> members) {
    public static final String CLASSIC = "classic";
    public static final String CONSUMER = "consumer";

    public PersistedGroup {
        members = members == null ? List.of() : List.copyOf(members);
    }
}
