package org.evault.gateway;

/** The upload went past the configured {@code limits.max-document-bytes}; nothing is stored. */
public final class DocumentTooLargeException extends DepositFailedException {
    private static final long serialVersionUID = 1L;
    private final long limitBytes;

    public DocumentTooLargeException(long limitBytes) {
        super("the document is larger than the limit of " + limitBytes + " bytes");
        this.limitBytes = limitBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }
}
