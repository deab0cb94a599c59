package io.ailurus.rpk;

import java.io.PrintStream;
import java.lang.reflect.Method;

/**
 * Progress of long operations on stderr, shown only when rpk runs on a terminal (a redrawn
 * single line); piped or redirected, it prints nothing, so scripts see clean output.
 */
public final class Progress {
    private final PrintStream err;
    private final boolean enabled;
    private int lastLength;

    private Progress(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /** Progress on {@code err}, enabled only when the process is attached to a terminal. */
    public static Progress on(PrintStream err) {
        return new Progress(err, err == System.err && interactive());
    }

    /** Java 22+ returns a console even when redirected; ask it isTerminal() when that exists. */
    static boolean interactive() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            Method m = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) m.invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    public void show(String text) {
        if (!enabled) {
            return;
        }
        String line = text.length() > 100 ? text.substring(0, 100) : text;
        err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        err.flush();
        lastLength = line.length();
    }

    public void done() {
        if (enabled && lastLength > 0) {
            err.print("\r" + " ".repeat(lastLength) + "\r");
            err.flush();
            lastLength = 0;
        }
    }
}
