package io.ailurus.rpk;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Column output as rpk prints it (Go's tabwriter with two spaces of padding): upper-case
 * headers, left-aligned cells, no trailing spaces.
 */
public final class Table {
    private final List<String[]> rows = new ArrayList<>();

    public Table(String... headers) {
        if (headers.length > 0) {
            rows.add(headers);
        }
    }

    public Table row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = String.valueOf(cells[i]);
        }
        rows.add(r);
        return this;
    }

    public void print(PrintStream out) {
        int cols = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) {
                    line.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        out.print(sb);
    }

    /** A section title underlined with '=' as rpk prints CLUSTER, BROKERS, TOPICS. */
    public static void section(PrintStream out, String title) {
        out.println(title);
        out.println("=".repeat(title.length()));
    }
}
