package io.ailurus.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md documents every key exactly as the registry defines it. When this fails,
 * run {@code ConfigDocs} (see its javadoc) to regenerate the tables and review the diff.
 */
class ConfigDocsTest {
    /** Surefire runs in the module directory; the docs are one level up. */
    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    @Test
    void generatedTablesInTheDocsAreCurrent() throws IOException {
        String text = Files.readString(DOC, StandardCharsets.UTF_8);
        assertEquals(ConfigDocs.regenerate(text), text,
                "docs/configuration.md is stale: regenerate with java -cp ... io.ailurus.core.config.ConfigDocs docs/configuration.md");
    }

    @Test
    void everyKeyIsDocumentedWithItsDefault() throws IOException {
        String text = Files.readString(DOC, StandardCharsets.UTF_8);
        for (ConfigKey<?> k : ConfigRegistry.all()) {
            assertTrue(text.contains("| `" + k.name() + "` | " + k.type().name() + " | `" + k.defaultText() + "` | "
                    + (k.needsRestart() ? "yes" : "no")), "undocumented or stale: " + k.fullName());
        }
        for (TopicConfigKey<?> k : TopicConfigDef.ALL) {
            assertTrue(text.contains("| `" + k.name() + "` | "), "undocumented topic property: " + k.name());
        }
        for (ConfigKey<?> k : ConfigRegistry.all()) {
            if (k.flag() != null) {
                assertTrue(text.contains("`" + k.flag()), "undocumented flag: " + k.flag());
            }
        }
    }
}
