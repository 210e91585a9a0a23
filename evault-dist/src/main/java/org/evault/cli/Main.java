package org.evault.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/evault}: one launcher, one subcommand per job. Exit codes: 0 success, 1 the job
 * failed (the message says why), 2 a usage error.
 */
@Command(name = "evault", mixinStandardHelpOptions = true, version = "e-Vault 0.1.0",
        description = "A secure distributed data repository: documents dispersed with Rabin's IDA over "
                + "storage daemons, receipts signed with threshold RSA.",
        subcommands = {InitCommand.class, DaemonCommand.class, GatewayCommand.class, RecoverCommand.class,
                ReceiptCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("evault: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        return cl;
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }
}
