package org.evault.gateway.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.evault.gateway.Documents.UploadRejected;

/**
 * Reads a {@code multipart/form-data} body (RFC 7578) part by part straight from the request
 * stream, with one fixed buffer: a part's content is handed on as an {@link InputStream} that
 * ends at the next boundary, so a file of any size streams through without being spooled to disk
 * or memory (unlike {@code HttpServletRequest.getParts()}).
 *
 * <p>Anything malformed or cut short (no boundary, a part without its closing delimiter, headers
 * that never end) throws {@link UploadRejected} from the read that meets it; a part's stream
 * ends normally only after its closing delimiter arrived, so a consumer that stores what it read
 * only at end of stream never stores a truncated part.
 */
public final class MultipartReader {
    static final int BUFFER_BYTES = 64 * 1024;
    static final int MAX_HEADER_BYTES = 8 * 1024;
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    /** A part: its form field name, the file name sent with it (or null), and its content. */
    public record Part(String name, String filename, String contentType, InputStream content) {
    }

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf;
    private int pos;
    private int lim;
    private boolean eof;
    /** Bytes in [pos, dataEnd) are known to be content (no delimiter starts there). */
    private int dataEnd;
    /** True when a delimiter starts at dataEnd. */
    private boolean delimiterAtDataEnd;
    private boolean started;
    private boolean closed;
    private PartStream current;

    /** @param boundary the {@code boundary} parameter of the Content-Type, 1 to 70 characters */
    public MultipartReader(InputStream in, String boundary) {
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            throw new IllegalArgumentException("a multipart boundary has 1 to 70 characters");
        }
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buf = new byte[BUFFER_BYTES];
        // The first boundary has no CRLF before it when there is no preamble: start as if there were one.
        buf[0] = CR;
        buf[1] = LF;
        lim = 2;
    }

    /**
     * The boundary from a {@code multipart/form-data} Content-Type header.
     *
     * @throws UploadRejected if the header is not multipart/form-data with a usable boundary
     */
    public static String boundary(String contentType) throws UploadRejected {
        if (contentType == null) {
            throw new UploadRejected("the form must be sent as multipart/form-data");
        }
        String[] params = contentType.split(";");
        if (!params[0].trim().toLowerCase(Locale.ROOT).equals("multipart/form-data")) {
            throw new UploadRejected("the form must be sent as multipart/form-data");
        }
        for (int i = 1; i < params.length; i++) {
            String p = params[i].trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
                String b = p.substring(eq + 1).trim();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                if (b.isEmpty() || b.length() > 70 || !b.chars().allMatch(c -> c > 0x20 && c < 0x7f || c == ' ')) {
                    throw new UploadRejected("the multipart boundary is malformed");
                }
                return b;
            }
        }
        throw new UploadRejected("the multipart/form-data Content-Type has no boundary");
    }

    /**
     * The next part, or null after the closing delimiter. Skips whatever is left of the current
     * part.
     *
     * @param last when true, the part must be the form's last: its content stream fails instead of
     *             ending if another part follows it
     */
    public Part next(boolean last) throws IOException {
        if (current != null) {
            current.skipRest();
            current = null;
        }
        if (!started) {
            // Skip the preamble up to the first delimiter.
            started = true;
            PartStream preamble = new PartStream(false);
            preamble.skipRest();
        }
        if (closed) {
            return null;
        }
        Part p = readHeaders(last);
        current = (PartStream) p.content();
        return p;
    }

    // ------------------------------------------------------------------ buffer

    /** Reads more input, keeping [pos, lim); false at end of input. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            dataEnd -= pos;
            pos = 0;
        }
        if (lim == buf.length) {
            throw new IllegalStateException("buffer full");
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            eof = true;
            return false;
        }
        lim += n;
        return true;
    }

    private int readByte() throws IOException {
        if (pos == lim && !fill() && pos == lim) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    /** Finds the next delimiter from dataEnd on, or marks what is surely content. */
    private void scan() {
        int last = lim - delimiter.length;
        int from = Math.max(dataEnd, pos);
        for (int i = from; i <= last; i++) {
            if (buf[i] == CR && matches(i)) {
                dataEnd = i;
                delimiterAtDataEnd = true;
                return;
            }
        }
        // A delimiter may still begin in the last delimiter.length - 1 bytes.
        dataEnd = Math.max(from, last + 1);
        delimiterAtDataEnd = false;
    }

    private boolean matches(int at) {
        for (int k = 1; k < delimiter.length; k++) {
            if (buf[at + k] != delimiter[k]) {
                return false;
            }
        }
        return true;
    }

    /** After a delimiter: "--" closes the body, optional blanks and CRLF start another part. */
    private void afterDelimiter() throws IOException {
        pos += delimiter.length;
        dataEnd = pos;
        delimiterAtDataEnd = false;
        int a = readByte();
        if (a == '-') {
            if (readByte() != '-') {
                throw new UploadRejected("malformed multipart body: a boundary is followed by garbage");
            }
            closed = true;
            return;
        }
        while (a == ' ' || a == '\t') {
            a = readByte();
        }
        if (a != CR || readByte() != LF) {
            throw new UploadRejected(a < 0 ? "the upload ended in the middle of a boundary"
                    : "malformed multipart body: a boundary is followed by garbage");
        }
        dataEnd = pos;
    }

    // ------------------------------------------------------------------ part headers

    private Part readHeaders(boolean last) throws IOException {
        String name = null;
        String filename = null;
        String contentType = null;
        int total = 0;
        boolean sawDisposition = false;
        byte[] line = new byte[MAX_HEADER_BYTES];
        while (true) {
            int len = 0;
            while (true) {
                int c = readByte();
                if (c < 0) {
                    throw new UploadRejected("the upload ended in the headers of a part");
                }
                if (++total > MAX_HEADER_BYTES) {
                    throw new UploadRejected("the headers of a part are longer than " + MAX_HEADER_BYTES + " bytes");
                }
                if (c == LF) {
                    if (len == 0 || line[len - 1] != CR) {
                        throw new UploadRejected("malformed multipart body: part headers must end in CRLF");
                    }
                    len--;
                    break;
                }
                line[len++] = (byte) c;
            }
            if (len == 0) {
                break;
            }
            String header = new String(line, 0, len, StandardCharsets.UTF_8);
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new UploadRejected("malformed multipart body: a part header has no name");
            }
            String key = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            if (key.equals("content-disposition")) {
                sawDisposition = true;
                String[] parsed = disposition(value);
                name = parsed[0];
                filename = parsed[1];
            } else if (key.equals("content-type")) {
                contentType = value;
            }
        }
        dataEnd = pos;
        if (!sawDisposition || name == null) {
            throw new UploadRejected("malformed multipart body: a part has no Content-Disposition form-data name");
        }
        return new Part(name, filename, contentType, new PartStream(last));
    }

    /** {@code form-data; name="x"; filename="y"} → {name, filename}; values as sent (no unescaping). */
    static String[] disposition(String value) throws UploadRejected {
        String[] out = new String[2];
        int i = value.indexOf(';');
        String type = (i < 0 ? value : value.substring(0, i)).trim();
        if (!type.equalsIgnoreCase("form-data")) {
            throw new UploadRejected("malformed multipart body: a part is not form-data");
        }
        while (i >= 0 && i < value.length()) {
            i++;
            int eq = value.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = value.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            int j = eq + 1;
            while (j < value.length() && value.charAt(j) == ' ') {
                j++;
            }
            String v;
            if (j < value.length() && value.charAt(j) == '"') {
                // Browsers percent-encode '"', CR and LF in names (HTML's form encoding) and send
                // backslashes as they are, so a quoted value ends at the next quote.
                int end = value.indexOf('"', j + 1);
                if (end < 0) {
                    throw new UploadRejected("malformed multipart body: an unterminated quoted value");
                }
                v = value.substring(j + 1, end);
                i = value.indexOf(';', end);
            } else {
                int end = value.indexOf(';', j);
                v = (end < 0 ? value.substring(j) : value.substring(j, end)).trim();
                i = end;
            }
            if (key.equals("name")) {
                out[0] = v;
            } else if (key.equals("filename")) {
                out[1] = v;
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ part content

    private final class PartStream extends InputStream {
        private final boolean last;
        private boolean done;

        PartStream(boolean last) {
            this.last = last;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n;
            do {
                n = read(one, 0, 1);
            } while (n == 0);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            while (true) {
                if (pos < dataEnd) {
                    int n = Math.min(len, dataEnd - pos);
                    System.arraycopy(buf, pos, b, off, n);
                    pos += n;
                    return n;
                }
                if (delimiterAtDataEnd) {
                    afterDelimiter();
                    done = true;
                    if (last && !closed) {
                        throw new UploadRejected("the file must be the last field of the form");
                    }
                    return -1;
                }
                // Everything known is consumed: look further in what is buffered, else read more.
                scan();
                if (pos < dataEnd || delimiterAtDataEnd) {
                    continue;
                }
                if (!fill()) {
                    throw new UploadRejected("the upload ended before the part's closing boundary");
                }
            }
        }

        void skipRest() throws IOException {
            byte[] sink = new byte[8192];
            while (read(sink, 0, sink.length) >= 0) {
                // discard
            }
        }
    }

}
