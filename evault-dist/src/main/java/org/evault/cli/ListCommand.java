package org.evault.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code evault list}: the user's documents, every version, as a table. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List your documents with every version: name, version, size, deposit time, document id.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.USAGE_LINE, ExitCodes.AUTHENTICATION_LINE,
                ExitCodes.UNAVAILABLE_LINE})
final class ListCommand implements Callable<Integer> {
    private static final String[] HEADINGS = {"NAME", "VERSION", "SIZE", "DEPOSITED", "ID"};

    @Mixin
    ClientOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<GatewayClient.Entry> entries = options.client().list(options.credentials());
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADINGS);
        for (GatewayClient.Entry e : entries) {
            rows.add(new String[] {e.name(), Integer.toString(e.version()), Long.toString(e.size()), e.depositTime(),
                    e.documentId()});
        }
        int[] widths = new int[HEADINGS.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean number = i == 1 || i == 2;
                String cell = row == HEADINGS || !number ? pad(row[i], widths[i], false) : pad(row[i], widths[i], true);
                line.append(cell).append(i + 1 < row.length ? "  " : "");
            }
            out.println(line.toString().stripTrailing());
        }
        if (entries.isEmpty()) {
            out.println("(no documents)");
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }
}
