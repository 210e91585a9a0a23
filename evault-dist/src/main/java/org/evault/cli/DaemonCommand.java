package org.evault.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.evault.daemon.DaemonMain;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evault daemon --config <node folder>}: runs one storage daemon until SIGTERM or Ctrl-C. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = "Run one storage daemon from its node folder (written by evault init) until SIGTERM or Ctrl-C.")
final class DaemonCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "The daemon's node folder (holds daemon.properties).")
    Path folder;

    @Override
    public Integer call() {
        return DaemonMain.run(folder);
    }
}
