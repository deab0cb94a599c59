package io.ailurus.rpk.group;

import io.ailurus.rpk.Errors;
import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.Table;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rpk group delete}: GROUP/STATUS per group; exit 1 if any failed (e.g. the group has members). */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete groups (they must have no members).")
public final class GroupDelete implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "GROUP")
    List<String> groups;

    @Override
    public Integer call() throws InterruptedException {
        Rpk rpk = Rpk.of(spec);
        Table t = new Table("GROUP", "STATUS");
        boolean failed = false;
        try (Admin admin = rpk.kafka().admin()) {
            var r = admin.deleteConsumerGroups(groups).deletedGroups();
            for (String g : groups) {
                Throwable e = null;
                try {
                    r.get(g).get(30, TimeUnit.SECONDS);
                } catch (ExecutionException x) {
                    e = x.getCause();
                } catch (java.util.concurrent.TimeoutException x) {
                    e = x;
                }
                failed |= e != null;
                t.row(g, Errors.status(e));
            }
        }
        t.print(rpk.out());
        return failed ? 1 : 0;
    }
}
