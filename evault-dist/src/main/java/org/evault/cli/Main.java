package org.evault.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/evault}: one launcher, one subcommand per job. Exit codes ({@link ExitCodes}): 0
 * success, 1 verification or the job failed (the message says why), 2 a usage error, 3 wrong
 * credentials, 4 not found, 5 the gateway is unreachable or failed.
 */
@Command(name = "evault", mixinStandardHelpOptions = true, version = "e-Vault 0.1.0",
        description = "A secure distributed data repository: documents dispersed with Rabin's IDA over "
                + "storage daemons, receipts signed with threshold RSA.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.FAILED_LINE, ExitCodes.USAGE_LINE,
                ExitCodes.AUTHENTICATION_LINE, ExitCodes.NOT_FOUND_LINE, ExitCodes.UNAVAILABLE_LINE},
        subcommands = {InitCommand.class, DaemonCommand.class, GatewayCommand.class, RecoverCommand.class,
                ReceiptCommand.class, RegisterCommand.class, DepositCommand.class, RetrieveCommand.class,
                ListCommand.class, DemoCommand.class, MinimalClient.ExtractKey.class, MinimalClient.Verify.class,
                MinimalClient.ExtractFile.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            if (e instanceof java.nio.file.NoSuchFileException) {
                message = "no such file: " + message;
            }
            commandLine.getErr().println("evault: " + message);
            commandLine.getErr().flush();
            if (e instanceof CliException c) {
                return c.exitCode();
            }
            return e instanceof IllegalArgumentException || e instanceof java.nio.file.NoSuchFileException
                    ? ExitCodes.USAGE : ExitCodes.VERIFICATION_FAILED;
        });
        return cl;
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }
}
