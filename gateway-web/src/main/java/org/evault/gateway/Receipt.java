package org.evault.gateway;

import java.util.Arrays;
import java.util.List;

import org.evault.protocol.receipt.ReceiptBody;

/**
 * A signed receipt: the canonical body exactly as the daemons signed it and the combined vault
 * signature (an ordinary SHA256withRSA signature over the body), already verified with the vault
 * public key. Byte arrays are copied in and out.
 */
public final class Receipt {
    private final byte[] body;
    private final byte[] signature;
    private final ReceiptBody parsed;
    private final List<Integer> signers;

    public Receipt(byte[] body, byte[] signature, List<Integer> signers) {
        this.body = body.clone();
        this.signature = signature.clone();
        this.parsed = ReceiptBody.parse(this.body);
        this.signers = List.copyOf(signers);
    }

    public byte[] body() {
        return body.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    /** The body's fields. */
    public ReceiptBody parsed() {
        return parsed;
    }

    /** 1-based indexes of the daemons whose shares made the signature. */
    public List<Integer> signers() {
        return signers;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Receipt r && Arrays.equals(body, r.body) && Arrays.equals(signature, r.signature);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(body) + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "Receipt[" + parsed.documentId() + " v" + parsed.version() + ", " + body.length + " body bytes, signers "
                + signers + "]";
    }
}
