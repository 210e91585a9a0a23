package org.evault.daemon;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * This JVM's class path with every class folder copied once to a private place, for child JVMs
 * (daemons, gateways) started by tests: they then run on classes that a concurrent build in the
 * same checkout cannot delete or rewrite under them. Jars stay where they are (a build replaces
 * them by rename, not in place). The copy is deleted when this JVM exits.
 */
public final class ClassPathSnapshot {
    private static String snapshot;

    private ClassPathSnapshot() {
    }

    public static synchronized String get() throws IOException {
        if (snapshot == null) {
            Path root = Files.createTempDirectory("evault-classpath-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root), "classpath-snapshot-cleanup"));
            List<String> entries = new ArrayList<>();
            int k = 0;
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path p = Path.of(entry);
                if (Files.isDirectory(p)) {
                    Path copy = root.resolve(Integer.toString(k++));
                    try (Stream<Path> files = Files.walk(p)) {
                        for (Path f : (Iterable<Path>) files::iterator) {
                            Path target = copy.resolve(p.relativize(f).toString());
                            if (Files.isDirectory(f)) {
                                Files.createDirectories(target);
                            } else {
                                Files.copy(f, target);
                            }
                        }
                    }
                    entries.add(copy.toString());
                } else {
                    entries.add(entry);
                }
            }
            snapshot = String.join(File.pathSeparator, entries);
        }
        return snapshot;
    }

    /** Deletes a folder tree, best effort (for temporary folders). */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // Best effort: it is a temporary folder.
        }
    }
}
