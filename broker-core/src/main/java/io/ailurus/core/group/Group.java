package io.ailurus.core.group;

/**
 * A group as the coordinator holds it in memory: a classic group (JoinGroup/SyncGroup) or a
 * consumer group (KIP-848 ConsumerGroupHeartbeat). Touched only on the coordinator's thread.
 */
sealed interface Group permits ClassicGroup, ConsumerGroup {

    String groupId();

    /** "classic" or "consumer", as ListGroups v5 reports the type. */
    String type();

    /** The state name Kafka reports (Empty, Stable, ...). */
    String stateName();

    String protocolType();

    boolean hasMembers();

    /** When the group last changed state (ms): offsets of an empty group expire counting from it. */
    long stateTimestamp();
}
