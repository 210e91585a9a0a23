package org.evault.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Typed reading of a node's properties file (daemon.properties, gateway.properties), with errors
 * that name the file and the key. Paths are resolved against the file's folder.
 */
public final class NodeProperties {
    private final Path file;
    private final Properties properties;

    private NodeProperties(Path file, Properties properties) {
        this.file = file;
        this.properties = properties;
    }

    public static NodeProperties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return new NodeProperties(file, p);
    }

    public Path file() {
        return file;
    }

    /** The raw value, or {@code defaultValue} when the key is absent. */
    public String text(String key, String defaultValue) {
        String v = properties.getProperty(key);
        return v == null ? defaultValue : v.trim();
    }

    /** @throws IllegalArgumentException if the key is missing or blank */
    public String text(String key) {
        String v = properties.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(file + ": " + key + " is missing");
        }
        return v.trim();
    }

    /** A path relative to the file's folder. */
    public Path path(String key) {
        return file.toAbsolutePath().getParent().resolve(text(key));
    }

    public int integer(String key, Integer defaultValue, int min, int max) {
        return (int) longValue(key, defaultValue == null ? null : (long) defaultValue, min, max);
    }

    public long longValue(String key, Long defaultValue, long min, long max) {
        String v = properties.getProperty(key);
        if (v == null) {
            if (defaultValue == null) {
                throw new IllegalArgumentException(file + ": " + key + " is missing");
            }
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": " + key + " is not a number: " + v);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(file + ": " + key + " = " + value + " is outside " + min + ".." + max);
        }
        return value;
    }
}
