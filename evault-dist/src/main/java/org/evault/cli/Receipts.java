package org.evault.cli;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.evault.protocol.receipt.ReceiptBody;
import org.evault.threshold.VaultPublicKey;

/**
 * Deposit receipts as the gateway hands them out (docs/api.md "Receipt"): reading one from its
 * JSON or from an HTML page that carries it in {@code <pre id="evault-receipt">}, and checking it
 * with the vault public key. Shared by {@code receipt verify}, {@code deposit}, {@code retrieve}
 * and the minimal client's {@code verify}.
 */
final class Receipts {
    private static final Pattern FIELD = Pattern.compile("\"(body|signature)\"\\s*:\\s*\"([A-Za-z0-9+/=]*)\"");

    private Receipts() {
    }

    /** The signed part of a receipt: the canonical body bytes and the vault signature over them. */
    record Signed(byte[] body, byte[] signature) {
    }

    /** A receipt whose signature and key id were checked. */
    record Verified(ReceiptBody body, byte[] bodyBytes, byte[] signature) {
        String describe() {
            return String.format("%s version %d of %s, %d bytes, sha256 %s, deposited %s, document id %s",
                    body.documentName(), body.version(), body.owner(), body.size(), body.sha256().hex(),
                    body.depositTime(), body.documentId());
        }
    }

    /** The receipt was read but does not hold: wrong signature, another vault's key, not a receipt body. */
    static final class InvalidReceiptException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidReceiptException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Reads a receipt from the receipt JSON, or from an HTML page (deposit reply or receipt page)
     * that carries the JSON HTML-escaped in {@code <pre id="evault-receipt">}.
     *
     * @throws IllegalArgumentException if the text holds no receipt
     */
    static Signed parse(String text) {
        String inPage = Html.preText(text, "evault-receipt");
        String json = inPage != null ? inPage : text;
        return new Signed(field(json, "body"), field(json, "signature"));
    }

    private static byte[] field(String json, String name) {
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                try {
                    return Base64.getDecoder().decode(m.group(2));
                } catch (IllegalArgumentException e) {
                    break;
                }
            }
        }
        throw new IllegalArgumentException("no receipt found: expected the receipt JSON with a base64 \"" + name
                + "\" field, or an HTML page with <pre id=\"evault-receipt\">");
    }

    /**
     * Checks the vault's signature over the exact body bytes, that the body is a canonical receipt
     * body, and that it names this key.
     */
    static Verified verify(Signed receipt, VaultPublicKey key) throws InvalidReceiptException {
        if (!key.verify(receipt.body(), receipt.signature())) {
            throw new InvalidReceiptException("the signature does not match this body under the vault key "
                    + key.keyId().hex());
        }
        ReceiptBody body;
        try {
            body = ReceiptBody.parse(receipt.body());
        } catch (IllegalArgumentException e) {
            throw new InvalidReceiptException("signed, but not a receipt body: " + e.getMessage());
        }
        if (!body.vaultKeyId().equals(key.keyId().hex())) {
            throw new InvalidReceiptException("signed by this key but names another vault key " + body.vaultKeyId());
        }
        return new Verified(body, receipt.body().clone(), receipt.signature().clone());
    }
}
