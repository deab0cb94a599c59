package io.ailurus.core.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints byte counts with binary suffixes: {@code 512M}, {@code 1G}, {@code 64KiB},
 * {@code 1048576}. A suffix means powers of 1024, as the JVM's {@code -Xmx} does.
 */
public final class ByteSize {
    /** What {@link #parse} accepts, for error messages. */
    public static final String EXPECTED = "a byte size such as 1048576, 512K, 64M or 1G (suffixes are powers of 1024)";

    private static final Pattern PATTERN = Pattern.compile("(\\d{1,19})\\s*([kmgtKMGT]?)(?:[iI]?[bB])?");
    private static final String[] SUFFIXES = {"", "K", "M", "G", "T"};

    private ByteSize() {}

    public static long parse(String text) throws BadValueException {
        Matcher m = PATTERN.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new BadValueException(EXPECTED);
        }
        int shift = m.group(2).isEmpty() ? 0 : 10 * "KMGT".indexOf(m.group(2).toUpperCase(Locale.ROOT).charAt(0)) + 10;
        try {
            long n = Long.parseLong(m.group(1));
            if (n > (Long.MAX_VALUE >> shift)) {
                throw new BadValueException(EXPECTED);
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new BadValueException(EXPECTED);
        }
    }

    /** The shortest exact form: {@code 1G} rather than {@code 1073741824}; plain bytes otherwise. */
    public static String format(long bytes) {
        if (bytes <= 0) {
            return Long.toString(bytes);
        }
        int i = 0;
        long n = bytes;
        while (i < SUFFIXES.length - 1 && n % 1024 == 0) {
            n /= 1024;
            i++;
        }
        return n + SUFFIXES[i];
    }
}
