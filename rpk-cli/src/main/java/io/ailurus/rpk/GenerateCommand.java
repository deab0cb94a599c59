package io.ailurus.rpk;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rpk generate shell-completion}: completion scripts, as Redpanda's rpk has them. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate scripts (shell completion).",
    subcommands = GenerateCommand.ShellCompletion.class)
public final class GenerateCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Rpk.of(spec).out());
    }

    /** Prints a bash completion script (zsh loads it through bashcompinit). */
    @Command(name = "shell-completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script for rpk.", "",
            "  source <(rpk generate shell-completion bash)",
            "  zsh: autoload -U +X bashcompinit && bashcompinit; source <(rpk generate shell-completion zsh)"})
    static final class ShellCompletion implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "SHELL", defaultValue = "bash", description = "bash or zsh (default bash).")
        String shell;

        @Override
        public void run() {
            if (!shell.equals("bash") && !shell.equals("zsh")) {
                throw new RpkException("unsupported shell '" + shell + "': bash and zsh are supported");
            }
            Rpk.of(spec).out().print(AutoComplete.bash("rpk", spec.root().commandLine()));
        }
    }
}
