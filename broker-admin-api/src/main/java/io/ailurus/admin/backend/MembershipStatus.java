package io.ailurus.admin.backend;

import com.fasterxml.jackson.annotation.JsonValue;

/** A broker's place in the cluster, spelled as Redpanda spells {@code membership_status}. */
public enum MembershipStatus {
    ACTIVE("active"),
    DRAINING("draining"),
    REMOVED("removed");

    private final String wireName;

    MembershipStatus(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
