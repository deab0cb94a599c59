package io.ailurus.core.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The Ailurus version, from a resource Maven fills in at build time. */
public final class VersionInfo {
    private static final String RESOURCE = "ailurus-version.properties";

    private VersionInfo() {}

    /** E.g. {@code 0.1.0-SNAPSHOT}; "unknown" if the build did not stamp it. */
    public static String version() {
        try (InputStream in = VersionInfo.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "");
                if (!v.isBlank() && !v.contains("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through: a version is nice to show, never worth failing over
        }
        return "unknown";
    }

    /** The JVM running the broker, e.g. "Eclipse Adoptium 25.0.1". */
    public static String jvm() {
        return System.getProperty("java.vendor", "?") + " " + System.getProperty("java.runtime.version",
                System.getProperty("java.version", "?"));
    }
}
