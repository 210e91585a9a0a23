package org.evault.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code evault bench ...}: measurements an operator can run on a node. */
@Command(name = "bench", description = "Measure this node.", mixinStandardHelpOptions = true,
        subcommands = {BenchIdaCommand.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
