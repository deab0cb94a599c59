package io.ailurus.core.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's AOT cache (JDK 25+): {@code bin/lib/aot-cache.sh} makes one by a training start of the real broker,
 * {@code bin/ailurus} runs the JVM with it while it matches the class path, and stops using it (rather than letting
 * the JVM warn and ignore it) once a class path entry is newer. The cache needs a class path of jars only, so this
 * test jars up the main classes of the modules on its own class path.
 */
class AotCacheLauncherTest {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    private Run run(Map<String, String> env, long timeoutSec, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutSec, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail(String.join(" ", command) + " did not finish within " + timeoutSec + " s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void cacheIsMadeByATrainingStartUsedWhileFreshAndDroppedOnceAJarChanges() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "AOT caches need JDK 25");
        String classPath = jarClassPath();
        Path cache = tmp.resolve("broker.aot");
        Map<String, String> env = Map.of(
                "AILURUS_CLASSPATH", classPath,
                "AILURUS_AOT_CACHE", cache.toString(),
                "AILURUS_HEAP_OPTS", "-Xms32m -Xmx256m",
                "AILURUS_JAVA_OPTS", "-Xlog:aot=info");

        Run made = run(env, 300, REPO.resolve("bin/lib/aot-cache.sh").toString());
        assertEquals(0, made.code(), made.out() + made.err());
        assertTrue(Files.size(cache) > 0, "no cache written:\n" + made.err());

        String opened = "Opened AOT cache " + cache;
        Run fresh = run(env, 120, REPO.resolve("bin/ailurus").toString(), "start", "--help");
        assertEquals(0, fresh.code(), fresh.err());
        assertTrue(fresh.out().contains(opened), "the launcher did not pass the cache:\n" + fresh.out());
        assertTrue(fresh.out().contains("Usage: ailurus start"), fresh.out());

        // Other heap flags: the cache was made for other JVM flags, so it is not passed.
        Map<String, String> otherHeap = new java.util.HashMap<>(env);
        otherHeap.put("AILURUS_HEAP_OPTS", "-Xms32m -Xmx512m");
        Run other = run(otherHeap, 120, REPO.resolve("bin/ailurus").toString(), "start", "--help");
        assertEquals(0, other.code(), other.err());
        assertFalse(other.out().contains(opened), "cache passed for other JVM flags:\n" + other.out());

        // A jar rebuilt after the cache: stale, not passed (the JVM would print a warning and ignore it).
        Path jar = Path.of(classPath.split(File.pathSeparator)[0]);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(cache).toMillis() + 10_000));
        Run stale = run(env, 120, REPO.resolve("bin/ailurus").toString(), "start", "--help");
        assertEquals(0, stale.code(), stale.err());
        assertFalse(stale.out().contains(opened), "stale cache passed:\n" + stale.out());
        assertFalse(stale.out().contains("[warning][aot]"), stale.out());
        assertTrue(stale.out().contains("Usage: ailurus start"), stale.out());
    }

    /** This test's class path with each module's main classes directory replaced by a jar of it, test classes left out. */
    private String jarClassPath() throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : cp.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                if (p.getFileName().toString().equals("test-classes")) {
                    continue;
                }
                Path jar = tmp.resolve("module-" + (n++) + ".jar");
                jarUp(p, jar);
                entries.add(0, jar.toString());
            } else if (entry.endsWith(".jar") && Files.exists(p)) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void jarUp(Path dir, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                j.putNextEntry(new JarEntry(dir.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
    }
}
