package io.ailurus.core.cluster;

import io.ailurus.core.metadata.MetadataCommand;
import io.ailurus.core.metadata.MetadataImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The controller leader's failure detector: remembers when each broker last heartbeated and
 * decides which liveness changes to propose. Pure logic (the clock is passed in) so it is tested
 * without waiting. A leader that has just taken over gives every broker a full timeout before
 * calling it down: it has not heard anyone yet.
 */
public final class LivenessDetector {
    private final long timeoutMs;
    private final Map<Integer, Long> lastHeard = new ConcurrentHashMap<>();
    private volatile long leaderSinceMs = -1;

    /** @param timeoutMs a broker silent for longer than this is offline */
    public LivenessDetector(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    public void heard(int nodeId, long nowMs) {
        lastHeard.put(nodeId, nowMs);
    }

    /** This node leads the controller from now on (or again). */
    public void becameLeader(long nowMs) {
        lastHeard.clear();
        leaderSinceMs = nowMs;
    }

    /** This node stopped leading: forget everything (the next leader starts afresh). */
    public void lostLeadership() {
        leaderSinceMs = -1;
        lastHeard.clear();
    }

    public boolean leading() {
        return leaderSinceMs >= 0;
    }

    /** The liveness changes the image needs, given what was heard (empty when not leading). */
    public List<MetadataCommand.SetBrokerLiveness> changes(MetadataImage image, long nowMs) {
        long since = leaderSinceMs;
        List<MetadataCommand.SetBrokerLiveness> out = new ArrayList<>();
        if (since < 0) {
            return out;
        }
        for (int id : image.brokers().keySet()) {
            long last = lastHeard.getOrDefault(id, since);
            boolean alive = nowMs - last <= timeoutMs;
            boolean shownAlive = !image.offlineBrokers().contains(id);
            if (alive != shownAlive) {
                out.add(new MetadataCommand.SetBrokerLiveness(id, alive));
            }
        }
        return out;
    }
}
