package io.ailurus.core.group;

/** Finds a group in memory, or rebuilds it from the store (persisted metadata, or offsets alone). */
interface GroupLoader {

    /** The group, or null when nothing is known of it. Coordinator thread only. */
    Group load(String groupId);
}
