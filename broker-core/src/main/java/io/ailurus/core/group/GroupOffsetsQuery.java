package io.ailurus.core.group;

import java.util.List;
import java.util.Map;

/**
 * One group's part of an OffsetFetch. {@code topics} null means every partition the group has an
 * offset for; {@code memberId}/{@code memberEpoch} (OffsetFetch v9+) are checked for consumer groups.
 */
public record GroupOffsetsQuery(String groupId, String memberId, int memberEpoch, Map<String, List<Integer>> topics) {}
