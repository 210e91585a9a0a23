package org.evault.gateway.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.evault.gateway.Accounts;
import org.evault.gateway.ApiTokens;
import org.evault.gateway.Documents;
import org.evault.gateway.RequestRefused;
import org.evault.gateway.VaultClient;
import org.evault.gateway.db.DocumentRecord;
import org.evault.gateway.db.MetadataStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON API under {@code /api/v1}:
 * <pre>
 * POST   /api/v1/register                  JSON {userId, password, name, address, phone, email} → 201
 * GET    /api/v1/vault/public-key.pem      the vault public key (no login)
 * POST   /api/v1/tokens                    Basic only → 201 {token, expires}
 * DELETE /api/v1/tokens/current            revokes the presented bearer token → 204
 * GET    /api/v1/documents                 the caller's documents, all versions
 * POST   /api/v1/documents/{name}          raw body → deposit → 201 JSON receipt
 * GET    /api/v1/documents/{name}[?version=V]          the document, streamed
 * GET    /api/v1/documents/{name}/receipt[?version=V]  its receipt as JSON
 * </pre>
 * Documents need HTTP Basic authentication or a bearer token; every document is looked up under
 * the caller's own account, so another user's document is simply not found (404). Errors are
 * JSON {@code {"error": code, "message": text}}, never a stack trace. The API ignores cookies, so
 * a session cannot be abused through it; but a browser that once answered its Basic challenge
 * re-sends those credentials by itself, so requests that change something (POST, DELETE) are
 * refused (403) when the browser marks them as coming from another site ({@code Sec-Fetch-Site}
 * or a foreign {@code Origin}). Programs send neither header.
 */
public final class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    private static final int MAX_JSON_BYTES = 16 * 1024;
    private static final String BASIC_REALM = "Basic realm=\"e-Vault\", charset=\"UTF-8\"";

    private final transient VaultClient vault;
    private final transient MetadataStore store;
    private final transient Accounts accounts;
    private final transient ApiTokens tokens;
    private final transient Documents documents;
    private final transient ObjectMapper json = new ObjectMapper();

    public ApiServlet(VaultClient vault, MetadataStore store, Accounts accounts, ApiTokens tokens, Documents documents) {
        this.vault = vault;
        this.store = store;
        this.accounts = accounts;
        this.tokens = tokens;
        this.documents = documents;
    }

    /** How the caller proved who it is. */
    private record Caller(String userId, String bearerToken) {
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Cache-Control", "no-store");
        String method = req.getMethod();
        String path = req.getRequestURI();
        try {
            try {
                path = req.getPathInfo() == null ? "/" : req.getPathInfo();
            } catch (IllegalArgumentException e) {
                // Jetty refuses ambiguous encodings (such as %2F) in the decoded path.
                throw RequestRefused.badRequest("the path is ambiguous (an encoded / or \\ or a dot segment)");
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                refuseCrossSite(req);
            }
            if (path.equals("/register")) {
                requireMethod(method, "POST");
                register(req, resp);
            } else if (path.equals("/vault/public-key.pem")) {
                requireMethod(method, "GET");
                resp.setContentType("application/x-pem-file");
                resp.setCharacterEncoding("US-ASCII");
                resp.getWriter().write(vault.publicKey().toPem());
            } else if (path.equals("/tokens")) {
                requireMethod(method, "POST");
                issueToken(req, resp);
            } else if (path.equals("/tokens/current")) {
                requireMethod(method, "DELETE");
                revokeToken(req, resp);
            } else if (path.equals("/documents") || path.equals("/documents/")) {
                requireMethod(method, "GET");
                list(authenticate(req).userId(), resp);
            } else if (path.startsWith("/documents/")) {
                String rest = path.substring("/documents/".length());
                if (method.equals("GET") && rest.endsWith("/receipt")) {
                    receipt(authenticate(req).userId(),
                            Documents.checkName(rest.substring(0, rest.length() - "/receipt".length())), req, resp);
                } else if (method.equals("GET")) {
                    retrieve(authenticate(req).userId(), Documents.checkName(rest), req, resp);
                } else if (method.equals("POST")) {
                    deposit(authenticate(req).userId(), Documents.checkName(rest), req, resp);
                } else {
                    throw new RequestRefused(405, "method_not_allowed", method + " is not allowed here");
                }
            } else {
                throw new RequestRefused(404, "not_found", "no such resource");
            }
        } catch (RequestRefused e) {
            if (e.retryAfterSeconds() > 0) {
                resp.setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            if (e.status() == 401) {
                resp.setHeader("WWW-Authenticate", bearer(req) != null
                        ? "Bearer realm=\"e-Vault\", error=\"invalid_token\"" : BASIC_REALM);
            }
            if (hasUnreadBody(req)) {
                // The body was not read (refused before, or broken off): this connection cannot carry
                // another request, so say so rather than let the client reuse it and fail.
                resp.setHeader("Connection", "close");
            }
            sendError(resp, e.status(), e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("{} {}: internal error", method, path, e);
            sendError(resp, 500, "internal_error", "internal error");
        }
    }

    private static void refuseCrossSite(HttpServletRequest req) throws RequestRefused {
        String site = req.getHeader("Sec-Fetch-Site");
        String origin = req.getHeader("Origin");
        String own = "https://" + req.getServerName() + (req.getServerPort() == 443 ? "" : ":" + req.getServerPort());
        if ((site != null && !site.equals("same-origin") && !site.equals("none"))
                || (origin != null && !origin.equalsIgnoreCase(own))) {
            throw new RequestRefused(403, "forbidden", "requests from other sites are refused");
        }
    }

    private static boolean hasUnreadBody(HttpServletRequest req) {
        return req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null;
    }

    private static void requireMethod(String method, String allowed) throws RequestRefused {
        if (!method.equals(allowed)) {
            throw new RequestRefused(405, "method_not_allowed", method + " is not allowed here; use " + allowed);
        }
    }

    // ------------------------------------------------------------------ accounts and tokens

    private void register(HttpServletRequest req, HttpServletResponse resp) throws IOException, RequestRefused {
        JsonNode body;
        try (InputStream in = req.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_JSON_BYTES + 1);
            if (bytes.length > MAX_JSON_BYTES) {
                throw new RequestRefused(413, "too_large", "the registration is larger than " + MAX_JSON_BYTES
                        + " bytes");
            }
            body = json.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw RequestRefused.badRequest("the body is not valid JSON");
        }
        if (body == null || !body.isObject()) {
            throw RequestRefused.badRequest("expected a JSON object");
        }
        String userId = text(body, "userId");
        String password = text(body, "password");
        accounts.register(new Accounts.Registration(userId, password == null ? null : password.toCharArray(),
                text(body, "name"), text(body, "address"), text(body, "phone"), text(body, "email")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("userId", userId);
        sendJson(resp, 201, out);
    }

    /** A string field, or null when it is missing or not a string (the registration then says which is required). */
    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    /** A new token for a caller who proved the password (a token does not mint tokens). */
    private void issueToken(HttpServletRequest req, HttpServletResponse resp) throws IOException, RequestRefused {
        if (bearer(req) != null) {
            throw new RequestRefused(401, "unauthorized", "a token is issued only against the password (HTTP Basic)");
        }
        String user = authenticate(req).userId();
        ApiTokens.Issued t = tokens.issue(user);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", t.token());
        out.put("expires", t.expires().toString());
        sendJson(resp, 201, out);
    }

    private void revokeToken(HttpServletRequest req, HttpServletResponse resp) throws RequestRefused {
        Caller caller = authenticate(req);
        if (caller.bearerToken() == null) {
            throw RequestRefused.badRequest("present the token to revoke as Authorization: Bearer");
        }
        tokens.revoke(caller.bearerToken(), caller.userId());
        resp.setStatus(204);
    }

    private static String bearer(HttpServletRequest req) {
        String header = req.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        return null;
    }

    /** The authenticated caller, from a bearer token or HTTP Basic; a 401 otherwise. */
    private Caller authenticate(HttpServletRequest req) throws RequestRefused {
        String token = bearer(req);
        if (token != null) {
            Optional<String> user = tokens.userOf(token);
            if (user.isEmpty()) {
                throw new RequestRefused(401, "unauthorized", "the token is unknown, expired or revoked");
            }
            return new Caller(user.get(), token);
        }
        String header = req.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new RequestRefused(401, "unauthorized", "log in with HTTP Basic authentication or a bearer token");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            throw new RequestRefused(401, "unauthorized", "malformed Authorization header");
        }
        char[] chars;
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(decoded));
            chars = new char[cb.remaining()];
            cb.get(chars);
            Arrays.fill(cb.array(), '\0');
        } catch (CharacterCodingException e) {
            throw new RequestRefused(401, "unauthorized", "malformed Authorization header");
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
        try {
            int colon = -1;
            for (int i = 0; i < chars.length; i++) {
                if (chars[i] == ':') {
                    colon = i;
                    break;
                }
            }
            if (colon < 0) {
                throw new RequestRefused(401, "unauthorized", "malformed Authorization header");
            }
            char[] password = Arrays.copyOfRange(chars, colon + 1, chars.length);
            try {
                Optional<String> user = accounts.verify(new String(chars, 0, colon), password, req.getRemoteAddr());
                if (user.isEmpty()) {
                    throw new RequestRefused(401, "unauthorized", "wrong user id or password");
                }
                return new Caller(user.get(), null);
            } finally {
                Arrays.fill(password, '\0');
            }
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    // ------------------------------------------------------------------ documents

    private static Integer version(HttpServletRequest req) throws RequestRefused {
        return parseVersion(req.getParameter("version"));
    }

    /** A {@code version} query parameter: null when absent, else a positive integer. */
    public static Integer parseVersion(String v) throws RequestRefused {
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw RequestRefused.badRequest("version must be a positive integer");
            }
            return n;
        } catch (NumberFormatException e) {
            throw RequestRefused.badRequest("version must be a positive integer");
        }
    }

    private void list(String user, HttpServletResponse resp) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (DocumentRecord d : store.listDocuments(user)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", d.name());
            m.put("version", d.version());
            m.put("documentId", d.documentId());
            m.put("size", d.size());
            m.put("sha256", d.sha256());
            m.put("depositTime", d.depositTime().toString());
            docs.add(m);
        }
        sendJson(resp, 200, Map.of("documents", docs));
    }

    private void deposit(String user, String name, HttpServletRequest req, HttpServletResponse resp)
            throws IOException, RequestRefused {
        Documents.Deposited d;
        try (InputStream body = req.getInputStream()) {
            try {
                d = documents.deposit(user, name, req.getContentLengthLong(), body);
            } catch (RequestRefused e) {
                if (e.status() == 503) {
                    discardRest(body);
                }
                throw e;
            }
        }
        sendJson(resp, 201, Documents.receiptJson(d.receipt(), d.record()));
    }

    /** The most of a refused deposit's body read and thrown away so that the client sees the reply. */
    static final long DISCARD_LIMIT = 64L << 20;

    /**
     * Reads and throws away the rest of a deposit that failed on the daemons' side (a daemon down,
     * or dead mid-upload), up to {@link #DISCARD_LIMIT} bytes; the JSON API's and the deposit
     * form's. A client that sends its whole body before it reads the reply, as the JDK's
     * HttpClient and curl do, otherwise meets a closed connection and a broken pipe instead of the
     * 503 that names the daemon. Past the limit, or if the client breaks off, the connection is
     * closed as before.
     */
    public static void discardRest(InputStream body) {
        byte[] sink = new byte[64 * 1024];
        long left = DISCARD_LIMIT;
        try {
            int n;
            while (left > 0 && (n = body.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException brokenOff) {
            LOG.debug("discarding the rest of a refused deposit: {}", brokenOff.getMessage());
        }
    }

    private void receipt(String user, String name, HttpServletRequest req, HttpServletResponse resp)
            throws IOException, RequestRefused {
        DocumentRecord d = documents.find(user, name, version(req), "receipt");
        sendJson(resp, 200, Documents.receiptJson(documents.receipt(d), d));
    }

    private void retrieve(String user, String name, HttpServletRequest req, HttpServletResponse resp)
            throws IOException, RequestRefused {
        DocumentRecord d = documents.find(user, name, version(req), "retrieve");
        resp.setStatus(200);
        resp.setContentType("application/octet-stream");
        resp.setContentLengthLong(d.size());
        resp.setHeader("Content-Disposition", Downloads.contentDisposition(d.name()));
        resp.setHeader("X-Evault-Version", Integer.toString(d.version()));
        resp.setHeader("X-Evault-Document-Id", d.documentId());
        Downloads.streamDocument(documents, user, d, resp);
    }

    // ------------------------------------------------------------------ output

    private void sendJson(HttpServletResponse resp, int status, Object value) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        json.writeValue(resp.getOutputStream(), value);
    }

    private void sendError(HttpServletResponse resp, int status, String code, String message) throws IOException {
        if (resp.isCommitted()) {
            throw new IOException("response already committed; aborting (" + code + ")");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", code);
        out.put("message", message);
        sendJson(resp, status, out);
    }
}
