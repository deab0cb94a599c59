package io.ailurus.rpk.cluster;

import io.ailurus.rpk.AdminApiClient;
import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.RpkException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code rpk cluster config edit}: exports to a temporary file, opens {@code $EDITOR} (else
 * {@code vi}) on it, and imports the result when the editor exits successfully.
 */
@Command(name = "edit", mixinStandardHelpOptions = true,
    description = "Edit cluster configuration properties in $EDITOR; saved changes are applied on exit.")
public final class ConfigEdit implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        Rpk rpk = Rpk.of(spec);
        AdminApiClient api = rpk.adminApi();
        Path file = ConfigExport.write(api, null);
        try {
            String editor = rpk.env().getOrDefault("EDITOR", "vi");
            List<String> cmd = new ArrayList<>(Arrays.asList(editor.trim().split("\\s+")));
            cmd.add(file.toString());
            int code = new ProcessBuilder(cmd).inheritIO().start().waitFor();
            if (code != 0) {
                throw new RpkException("the editor (" + editor + ") exited with " + code + "; nothing was applied");
            }
            rpk.out().println(ConfigImport.apply(rpk, api, file));
        } catch (IOException e) {
            throw new RpkException("cannot run the editor: " + e.getMessage() + " (set $EDITOR)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpkException("interrupted");
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}
