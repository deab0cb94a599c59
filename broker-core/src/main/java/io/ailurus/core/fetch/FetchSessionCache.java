package io.ailurus.core.fetch;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

/**
 * Incremental fetch sessions (KIP-227). A consumer fetching many partitions sends the full list once;
 * later requests carry only the partitions whose fetch position changed, and responses carry only
 * the partitions with something new. The cache is bounded; the least recently used session is evicted
 * (its client gets FETCH_SESSION_ID_NOT_FOUND and starts a new one, as with Kafka).
 *
 * <p>Thread-safe: sessions are used from any connection's event loop.
 */
public final class FetchSessionCache {
    /** KIP-227 epochs: 0 starts a session, -1 is a sessionless (or closing) full fetch. */
    public static final int INITIAL_EPOCH = 0;
    public static final int FINAL_EPOCH = -1;
    public static final int INVALID_SESSION_ID = 0;

    private final int maxSessions;
    private final LinkedHashMap<Integer, FetchSession> sessions = new LinkedHashMap<>(16, 0.75f, true);

    public FetchSessionCache(int maxSessions) {
        this.maxSessions = maxSessions;
    }

    /** A wanted partition: where to read from and how much. */
    public record FetchPosition(Uuid topicId, long fetchOffset, int maxBytes, int currentLeaderEpoch) {}

    /** The outcome of resolving a request against the cache. */
    public record Resolution(Errors error, FetchSession session, Map<TopicPartition, FetchPosition> partitions,
                             boolean incremental) {}

    /**
     * @param updates partitions named in the request (all of them for a full fetch)
     * @param forgotten partitions the client no longer wants (incremental only)
     */
    public synchronized Resolution resolve(int sessionId, int epoch, Map<TopicPartition, FetchPosition> updates,
                                           List<TopicPartition> forgotten) {
        if (sessionId == INVALID_SESSION_ID) {
            if (epoch == FINAL_EPOCH) {
                return new Resolution(Errors.NONE, null, updates, false);
            }
            if (epoch != INITIAL_EPOCH) {
                return new Resolution(Errors.INVALID_FETCH_SESSION_EPOCH, null, Map.of(), false);
            }
            FetchSession session = newSession(updates);
            return new Resolution(Errors.NONE, session, session.positions(), false);
        }
        if (epoch == FINAL_EPOCH) {
            sessions.remove(sessionId);
            return new Resolution(Errors.NONE, null, updates, false);
        }
        if (epoch == INITIAL_EPOCH) {
            // A client restarting its session with the old id: drop the old one, start afresh.
            sessions.remove(sessionId);
            FetchSession session = newSession(updates);
            return new Resolution(Errors.NONE, session, session.positions(), false);
        }
        FetchSession session = sessions.get(sessionId);
        if (session == null) {
            return new Resolution(Errors.FETCH_SESSION_ID_NOT_FOUND, null, Map.of(), false);
        }
        if (session.expectedEpoch() != epoch) {
            return new Resolution(Errors.INVALID_FETCH_SESSION_EPOCH, null, Map.of(), false);
        }
        session.update(updates, forgotten);
        session.advanceEpoch();
        return new Resolution(Errors.NONE, session, session.positions(), true);
    }

    private FetchSession newSession(Map<TopicPartition, FetchPosition> partitions) {
        while (sessions.size() >= maxSessions) {
            Iterator<Integer> eldest = sessions.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        } while (sessions.containsKey(id));
        FetchSession session = new FetchSession(id, partitions);
        sessions.put(id, session);
        return session;
    }

    public synchronized int size() {
        return sessions.size();
    }

    /** One client's session: its partitions in request order and what was last reported for each. */
    public static final class FetchSession {
        private final int id;
        private int expectedEpoch = 1;
        private final LinkedHashMap<TopicPartition, FetchPosition> positions = new LinkedHashMap<>();
        private final Map<TopicPartition, long[]> lastReported = new java.util.HashMap<>();

        FetchSession(int id, Map<TopicPartition, FetchPosition> initial) {
            this.id = id;
            positions.putAll(initial);
        }

        public int id() {
            return id;
        }

        synchronized int expectedEpoch() {
            return expectedEpoch;
        }

        synchronized void update(Map<TopicPartition, FetchPosition> updates, List<TopicPartition> forgotten) {
            forgotten.forEach(tp -> {
                positions.remove(tp);
                lastReported.remove(tp);
            });
            positions.putAll(updates);
        }

        synchronized Map<TopicPartition, FetchPosition> positions() {
            return new LinkedHashMap<>(positions);
        }

        /** The request with the expected epoch was taken: the next one must carry epoch + 1. */
        synchronized void advanceEpoch() {
            expectedEpoch = expectedEpoch == Integer.MAX_VALUE ? 1 : expectedEpoch + 1;
        }

        /**
         * Whether an incremental response must include the partition: it has records or an error, or one
         * of its offsets changed since last reported. Also records what is being reported now.
         */
        public synchronized boolean mustReport(TopicPartition tp, boolean hasRecordsOrError, long highWatermark,
                                               long lastStableOffset, long logStartOffset) {
            long[] now = {highWatermark, lastStableOffset, logStartOffset};
            long[] before = lastReported.put(tp, now);
            return hasRecordsOrError || before == null || before[0] != now[0] || before[1] != now[1] || before[2] != now[2];
        }

        public synchronized List<TopicPartition> partitions() {
            return new ArrayList<>(positions.keySet());
        }
    }
}
