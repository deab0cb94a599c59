package io.ailurus.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.protocol.versions.ApiVersionCatalog;
import io.ailurus.protocol.versions.ApiVersionTable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/compatibility.md starts with the table the code advertises; this keeps the two in step. */
class CompatibilityDocTest {
    @Test
    void docTableMatchesTheCatalogue() throws Exception {
        Path doc = Path.of("..", "docs", "compatibility.md");
        String text = Files.readString(doc);
        String table = ApiVersionTable.forApis(ApiVersionCatalog.all().keySet()).toMarkdown();
        assertTrue(text.contains(table), "docs/compatibility.md is out of date; its table must be:\n" + table);
    }
}
