package org.evault.cli;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;

import org.evault.ida.Reconstruction;
import org.evault.ida.SliceFault;
import org.evault.ida.slice.SliceFiles;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code evault recover --out FILE SLICEFILE...}: rebuilds a document from slice files copied off
 * the daemons' disks, with no gateway and no database. Every segment is checked against the
 * fingerprints that a majority of the files carry, and the result against the document's SHA-256;
 * the output appears under its name only when it is complete and correct.
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = "Rebuild a document from any m of its slice files (*.slice), checking every segment and the document hash.")
final class RecoverCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Where to write the document; must not exist.")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "SLICEFILE", description = "Slice files of one document, from different daemons.")
    List<Path> slices;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(out)) {
            throw new IllegalArgumentException(out + " exists; choose another --out");
        }
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        Reconstruction r;
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 20)) {
            r = SliceFiles.recover(slices, o);
        } catch (Exception e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
        var w = spec.commandLine().getOut();
        w.printf("recovered %s: %d bytes from slices %s%n", out, r.documentLength(), r.slicesUsed());
        for (SliceFault f : r.faults()) {
            w.printf("  skipped %s%n", f);
        }
        w.flush();
        return 0;
    }
}
