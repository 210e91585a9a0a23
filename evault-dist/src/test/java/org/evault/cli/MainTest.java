package org.evault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class MainTest {
    @Test
    void everyCommand_hasHelp_andTheLauncherListsTheExitCodes() {
        CommandLine main = Main.commandLine();
        for (String name : main.getSubcommands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            StringWriter out = new StringWriter();
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(new StringWriter()));
            assertThat(cl.execute(name, "--help")).as(name + " --help").isZero();
            assertThat(out.toString()).as(name).startsWith("Usage: evault " + name);
        }
        StringWriter out = new StringWriter();
        main.setOut(new PrintWriter(out));
        assertThat(main.execute("--help")).isZero();
        assertThat(out.toString()).contains("Exit codes:").contains("3   authentication failed")
                .contains("5   gateway unreachable");
    }

    @Test
    void clientCommands_refuseAPlainHttpGateway_asAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("list", "--gateway", "http://localhost:8080", "--user", "alice"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).startsWith("evault: --gateway must be an https:// URL").doesNotContain("Exception");
    }
}
