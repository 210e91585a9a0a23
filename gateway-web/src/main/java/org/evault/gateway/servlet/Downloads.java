package org.evault.gateway.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;
import org.evault.gateway.Documents;
import org.evault.gateway.RequestRefused;
import org.evault.gateway.db.DocumentRecord;

/** Sending a document as a download: shared by the JSON API and the pages. */
public final class Downloads {
    private Downloads() {
    }

    /**
     * Streams a document as the body of {@code resp}, whose headers are set. The last piece is held
     * back until the document's hash checked: a failure after the answer began breaks the
     * connection off (the client sees a short body, never a complete wrong one); a failure before
     * it resets the answer and refuses with 503.
     */
    public static void streamDocument(Documents documents, String user, DocumentRecord d, HttpServletResponse resp)
            throws IOException, RequestRefused {
        HoldBackOutputStream out = new HoldBackOutputStream(resp.getOutputStream());
        try {
            documents.retrieve(user, d, out);
            out.release();
        } catch (RequestRefused e) {
            if (resp.isCommitted()) {
                // The body is incomplete (its last piece was held back): abort, never end it normally.
                throw new IllegalStateException("retrieval of " + d.documentId() + " failed after the response began");
            }
            resp.reset();
            // reset() dropped every header; the refusal's answer keeps these.
            resp.setHeader("X-Content-Type-Options", "nosniff");
            resp.setHeader("Cache-Control", "no-store");
            throw e;
        }
    }

    /**
     * {@code attachment} with an ASCII fallback {@code filename} (other characters, quotes,
     * backslashes and {@code %} become {@code _}) and the exact UTF-8 name as RFC 5987
     * {@code filename*} (RFC 6266): browsers that know filename* use it, and no header injection
     * is possible.
     */
    public static String contentDisposition(String name) {
        StringBuilder ascii = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? c : '_');
        }
        StringBuilder ext = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                ext.append((char) c);
            } else {
                ext.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + ext;
    }

}
