package io.ailurus.core;

import io.ailurus.core.config.BrokerConfigLoader;
import io.ailurus.core.launcher.AilurusVersion;
import io.ailurus.core.launcher.BrokerStarter;
import io.ailurus.core.launcher.ExitCodes;
import io.ailurus.core.launcher.StartCommand;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code bin/ailurus}: {@code ailurus start [flags]}, {@code ailurus --version},
 * {@code ailurus --help}. Every error is one line on stderr with exit code 1 (bad configuration
 * or flags) or 2 (the broker could not start); see {@link ExitCodes}.
 */
@Command(name = "ailurus", mixinStandardHelpOptions = true, versionProvider = AilurusVersion.class,
        description = "Ailurus: a Kafka-wire-compatible streaming broker.",
        subcommands = CommandLine.HelpCommand.class)
public final class AilurusMain implements Callable<Integer> {
    private final PrintWriter err;

    private AilurusMain(PrintWriter err) {
        this.err = err;
    }

    public static void main(String[] args) {
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                BrokerBootstrap::start, BrokerConfigLoader.forThisProcess());
        System.exit(code);
    }

    /**
     * Runs the command line and returns the exit code; the broker runs inside this call until it stops.
     *
     * @param starter starts the data plane (tests pass their own)
     * @param loader  reads the configuration (tests pass one with their own home directory)
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, BrokerStarter starter, BrokerConfigLoader loader) {
        CommandLine cl = new CommandLine(new AilurusMain(err));
        cl.addSubcommand(new CommandLine(new StartCommand(starter, loader)));
        cl.setOverwrittenOptionsAllowed(true); // a later flag wins, so scripts can append overrides
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler(AilurusMain::badArguments);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            err.println("ailurus: error: " + e);
            e.printStackTrace(err);
            return ExitCodes.START_FAILED;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Unknown flag, missing value...: one line, with picocli's suggestion when it has one. */
    private static int badArguments(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        String hint = "";
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            hint = " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
        }
        String command = e.getCommandLine().getCommandName();
        String help = command.equals("ailurus") ? "ailurus --help" : "ailurus " + command + " --help";
        err.println("ailurus: error: " + e.getMessage() + hint + "; see '" + help + "'");
        err.flush();
        return ExitCodes.CONFIG_ERROR;
    }

    /** {@code ailurus} without a command: show what there is. */
    @Override
    public Integer call() {
        err.println("ailurus: error: missing command; expected 'ailurus start [flags]' (see 'ailurus start --help')");
        err.flush();
        return ExitCodes.CONFIG_ERROR;
    }
}
