package org.evault.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.evault.gateway.GatewayMain;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evault gateway --config <gateway folder>}: runs the HTTPS gateway until SIGTERM or Ctrl-C. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "Run the HTTPS gateway from its folder (written by evault init) until SIGTERM or Ctrl-C.")
final class GatewayCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "The gateway folder (holds gateway.properties).")
    Path folder;

    @Override
    public Integer call() {
        return GatewayMain.run(folder);
    }
}
