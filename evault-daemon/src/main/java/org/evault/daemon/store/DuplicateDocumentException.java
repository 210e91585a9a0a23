package org.evault.daemon.store;

import java.io.IOException;

/** A deposit for a document id this daemon already holds or is receiving. */
public final class DuplicateDocumentException extends IOException {
    private static final long serialVersionUID = 1L;

    public DuplicateDocumentException(String documentId) {
        super("document " + documentId + " is already stored on this daemon");
    }
}
