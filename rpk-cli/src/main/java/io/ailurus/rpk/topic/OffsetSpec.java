package io.ailurus.rpk.topic;

import io.ailurus.rpk.RpkException;

/**
 * Where {@code rpk topic consume -o} starts and whether it stops at the end: {@code start}
 * ({@code oldest}), {@code end} ({@code newest}), an exact offset {@code N}, {@code +N} (N after
 * the start), {@code -N} (N before the end), {@code @TIMESTAMP} (milliseconds); any of them may
 * end in {@code :end} to stop at the partitions' ends as of the start (or be just {@code :end},
 * from the start).
 */
record OffsetSpec(Kind kind, long value, boolean stopAtEnd) {
    enum Kind { START, END, EXACT, AFTER_START, BEFORE_END, TIMESTAMP }

    static OffsetSpec parse(String text) {
        String s = text.trim();
        boolean stop = false;
        if (s.endsWith(":end")) {
            stop = true;
            s = s.substring(0, s.length() - 4);
        }
        try {
            if (s.isEmpty() || s.equals("start") || s.equals("oldest")) {
                return new OffsetSpec(Kind.START, 0, stop);
            }
            if (s.equals("end") || s.equals("newest")) {
                return new OffsetSpec(Kind.END, 0, stop);
            }
            if (s.startsWith("@")) {
                return new OffsetSpec(Kind.TIMESTAMP, Long.parseLong(s.substring(1)), stop);
            }
            if (s.startsWith("+")) {
                return new OffsetSpec(Kind.AFTER_START, Long.parseLong(s.substring(1)), stop);
            }
            if (s.startsWith("-")) {
                return new OffsetSpec(Kind.BEFORE_END, Long.parseLong(s.substring(1)), stop);
            }
            long v = Long.parseLong(s);
            return new OffsetSpec(Kind.EXACT, v, stop);
        } catch (NumberFormatException e) {
            throw new RpkException("invalid offset '" + text + "': use start, end, N, +N, -N or @TIMESTAMP_MS, optionally ending in :end");
        }
    }
}
