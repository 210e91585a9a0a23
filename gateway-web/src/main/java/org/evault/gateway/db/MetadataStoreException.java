package org.evault.gateway.db;

/** The metadata database failed (I/O, a lost connection, a bug in SQL): not an expected condition. */
public final class MetadataStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MetadataStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
