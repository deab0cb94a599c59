package io.ailurus.rpk.group;

import org.apache.kafka.common.GroupState;

/** Group states spelled as Kafka's wire protocol and rpk print them (Stable, Empty, PreparingRebalance...). */
final class GroupStates {
    private GroupStates() {}

    static String name(GroupState s) {
        return s == null ? "Unknown" : s.toString();
    }
}
