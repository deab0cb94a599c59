package io.ailurus.rpk.topic;

import io.ailurus.rpk.RpkException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * rpk's record format strings ({@code -f}): literal text with escapes ({@code \n}, {@code \t},
 * {@code \\}) and percent fields. Producing reads records from a stream by the format
 * ({@code %k} key, {@code %v} value, {@code %t} topic, {@code %p} partition); consuming writes
 * them ({@code %t %k %v %h %p %o %d}, {@code %K %V} key/value lengths).
 */
final class RecordFormat {
    /** One piece of a format: literal bytes, or a field letter. */
    record Token(byte[] literal, char field) {
        boolean isField() {
            return literal == null;
        }
    }

    private final List<Token> tokens;

    private RecordFormat(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** An input format: adjacent fields are refused (nothing would tell where one ends). */
    static RecordFormat parse(String format, String fieldLetters) {
        return parse(format, fieldLetters, true);
    }

    /** An output format: any arrangement of fields. */
    static RecordFormat parseOutput(String format, String fieldLetters) {
        return parse(format, fieldLetters, false);
    }

    private static RecordFormat parse(String format, String fieldLetters, boolean input) {
        List<Token> out = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c == '\\' && i + 1 < format.length()) {
                char n = format.charAt(++i);
                lit.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case '\\' -> '\\';
                    default -> throw new RpkException("unknown escape \\" + n + " in format '" + format + "'");
                });
            } else if (c == '%' && i + 1 < format.length()) {
                char f = format.charAt(++i);
                if (f == '%') {
                    lit.append('%');
                    continue;
                }
                if (fieldLetters.indexOf(f) < 0) {
                    throw new RpkException("unknown field %" + f + " in format '" + format + "'; known: "
                        + fieldLetters.chars().mapToObj(x -> "%" + (char) x).toList());
                }
                if (!lit.isEmpty()) {
                    out.add(new Token(lit.toString().getBytes(StandardCharsets.UTF_8), (char) 0));
                    lit.setLength(0);
                }
                if (input && !out.isEmpty() && out.get(out.size() - 1).isField()) {
                    throw new RpkException("format '" + format + "': two fields need a delimiter between them");
                }
                out.add(new Token(null, f));
            } else {
                lit.append(c);
            }
        }
        if (!lit.isEmpty()) {
            out.add(new Token(lit.toString().getBytes(StandardCharsets.UTF_8), (char) 0));
        }
        return new RecordFormat(out);
    }

    List<Token> tokens() {
        return tokens;
    }

    /** A record read from input: field letter to bytes. */
    record Parsed(byte[][] fields) {
        byte[] get(char f) {
            return fields[f];
        }
    }

    /**
     * Reads the next record from {@code in}, or null at a clean end of input. A field runs up to
     * the next literal of the format (or the end of input when it is last).
     */
    Parsed read(InputStream in) throws IOException {
        byte[][] fields = new byte[128][];
        boolean any = false;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (!t.isField()) {
                int matched = 0;
                while (matched < t.literal().length) {
                    int b = in.read();
                    if (b < 0) {
                        if (!any && matched == 0) {
                            return null;
                        }
                        if (i == tokens.size() - 1 && matched == 0) {
                            return new Parsed(fields); // last record without its trailing delimiter
                        }
                        throw new RpkException("input ended inside a record (expected '"
                            + new String(t.literal(), StandardCharsets.UTF_8).replace("\n", "\\n") + "')");
                    }
                    if (b != (t.literal()[matched] & 0xff)) {
                        throw new RpkException("input does not match the format: expected '"
                            + new String(t.literal(), StandardCharsets.UTF_8).replace("\n", "\\n") + "'");
                    }
                    matched++;
                    any = true;
                }
                continue;
            }
            byte[] delim = i + 1 < tokens.size() ? tokens.get(i + 1).literal() : null;
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int b;
            boolean ended = false;
            while (true) {
                b = in.read();
                if (b < 0) {
                    ended = true;
                    break;
                }
                any = true;
                buf.write(b);
                if (delim != null && endsWith(buf, delim)) {
                    break;
                }
            }
            byte[] all = buf.toByteArray();
            if (delim != null && !ended) {
                fields[t.field()] = Arrays.copyOf(all, all.length - delim.length);
                i++; // the delimiter was consumed with the field
            } else {
                if (!any) {
                    return null;
                }
                fields[t.field()] = all;
                return new Parsed(fields);
            }
        }
        return any ? new Parsed(fields) : null;
    }

    private static boolean endsWith(ByteArrayOutputStream buf, byte[] suffix) {
        if (buf.size() < suffix.length) {
            return false;
        }
        byte[] b = buf.toByteArray();
        for (int i = 0; i < suffix.length; i++) {
            if (b[b.length - suffix.length + i] != suffix[i]) {
                return false;
            }
        }
        return true;
    }
}
