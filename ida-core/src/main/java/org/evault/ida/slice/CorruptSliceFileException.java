package org.evault.ida.slice;

import java.io.IOException;
import java.nio.file.Path;

/** A slice file whose framing, header or hash list is damaged; the message says where. */
public final class CorruptSliceFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptSliceFileException(Path file, String reason) {
        super("slice file " + file + ": " + reason);
    }

    public CorruptSliceFileException(Path file, String reason, Throwable cause) {
        super("slice file " + file + ": " + reason, cause);
    }
}
