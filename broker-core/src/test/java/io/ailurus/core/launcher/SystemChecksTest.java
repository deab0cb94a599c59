package io.ailurus.core.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The --check environment checks read the real environment; each must tell pass from fail. */
class SystemChecksTest {
    @TempDir
    Path tmp;

    private Path limits(String openFilesLine) throws IOException {
        return Files.writeString(tmp.resolve("limits"), """
                Limit                     Soft Limit           Hard Limit           Units
                Max cpu time              unlimited            unlimited            seconds
                %s
                Max processes             63413                63413                processes
                """.formatted(openFilesLine));
    }

    @Test
    void openFilesLimit() throws IOException {
        assertFalse(SystemChecks.openFiles(limits("Max open files            1024                 1048576              files")).ok());
        assertTrue(SystemChecks.openFiles(limits("Max open files            1048576              1048576              files")).ok());
        assertTrue(SystemChecks.openFiles(limits("Max open files            unlimited            unlimited            files")).ok());
        assertTrue(SystemChecks.openFiles(limits("Max open files            1024                 1048576              files")).detail()
                .contains("ulimit -n 65536"));
    }

    @Test
    void memoryBudgetBeyondTheJvmLimitWarns() {
        long heap = Runtime.getRuntime().maxMemory();
        assertTrue(SystemChecks.memory(heap / 4).ok());
        SystemChecks.Result tooBig = SystemChecks.memory(Long.MAX_VALUE / 2);
        assertFalse(tooBig.ok());
        assertTrue(tooBig.detail().contains("exceeds the JVM's direct memory limit"), tooBig.detail());
    }

    @Test
    void moreShardsThanCpusWarns() {
        assertTrue(SystemChecks.cpus(2, 2).ok());
        assertFalse(SystemChecks.cpus(4, 2).ok());
    }

    @Test
    void directIoProbeLeavesNothingBehind() throws IOException {
        SystemChecks.Result r = SystemChecks.directIo(tmp);
        assertEquals("direct I/O", r.name());
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void directIoFailsWhereTheFileCannotBeCreated() throws IOException {
        Path notADir = Files.writeString(tmp.resolve("file"), "x");
        assertFalse(SystemChecks.directIo(notADir).ok());
    }
}
