package org.evault.gateway.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.evault.gateway.DepositFailedException;
import org.evault.gateway.DocumentTooLargeException;
import org.evault.gateway.PasswordHasher;
import org.evault.gateway.Receipt;
import org.evault.gateway.RetrievalFailedException;
import org.evault.gateway.VaultClient;
import org.evault.gateway.db.Account;
import org.evault.gateway.db.AuditEntry;
import org.evault.gateway.db.DocumentRecord;
import org.evault.gateway.db.DuplicateUserException;
import org.evault.gateway.db.MetadataStore;
import org.evault.protocol.DepositMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON API under {@code /api/v1}:
 * <pre>
 * POST /api/v1/register                  JSON {userId, password, name, address, phone, email} → 201
 * GET  /api/v1/vault/public-key.pem      the vault public key (no login)
 * GET  /api/v1/documents                 the caller's documents, all versions
 * POST /api/v1/documents/{name}          raw body → deposit → 201 JSON receipt
 * GET  /api/v1/documents/{name}[?version=V]          the document, streamed
 * GET  /api/v1/documents/{name}/receipt[?version=V]  its receipt as JSON
 * </pre>
 * Documents need HTTP Basic authentication; every document is looked up under the caller's own
 * account, so another user's document is simply not found (404). Errors are JSON
 * {@code {"error": code, "message": text}}, never a stack trace.
 */
public final class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final int MAX_JSON_BYTES = 16 * 1024;
    private static final int MAX_NAME_CHARS = 255;
    private static final int MIN_PASSWORD_CHARS = 8;
    private static final int MAX_PASSWORD_CHARS = 1024;
    private static final String REALM = "Basic realm=\"e-Vault\", charset=\"UTF-8\"";

    private final transient VaultClient vault;
    private final transient MetadataStore store;
    private final transient PasswordHasher hasher;
    private final transient ObjectMapper json = new ObjectMapper();

    public ApiServlet(VaultClient vault, MetadataStore store, PasswordHasher hasher) {
        this.vault = vault;
        this.store = store;
        this.hasher = hasher;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Cache-Control", "no-store");
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        String method = req.getMethod();
        try {
            if (path.equals("/register")) {
                requireMethod(method, "POST");
                register(req, resp);
            } else if (path.equals("/vault/public-key.pem")) {
                requireMethod(method, "GET");
                resp.setContentType("application/x-pem-file");
                resp.setCharacterEncoding("US-ASCII");
                resp.getWriter().write(vault.publicKey().toPem());
            } else if (path.equals("/documents") || path.equals("/documents/")) {
                requireMethod(method, "GET");
                list(authenticate(req), resp);
            } else if (path.startsWith("/documents/")) {
                String rest = path.substring("/documents/".length());
                if (method.equals("GET") && rest.endsWith("/receipt")) {
                    receipt(authenticate(req), name(rest.substring(0, rest.length() - "/receipt".length())), req, resp);
                } else if (method.equals("GET")) {
                    retrieve(authenticate(req), name(rest), req, resp);
                } else if (method.equals("POST")) {
                    deposit(authenticate(req), name(rest), req, resp);
                } else {
                    throw new ApiError(405, "method_not_allowed", method + " is not allowed here");
                }
            } else {
                throw new ApiError(404, "not_found", "no such resource");
            }
        } catch (ApiError e) {
            if (e.status == 401) {
                resp.setHeader("WWW-Authenticate", REALM);
            }
            if (hasUnreadBody(req)) {
                // The body was not read (refused before, or broken off): this connection cannot carry
                // another request, so say so rather than let the client reuse it and fail.
                resp.setHeader("Connection", "close");
            }
            sendError(resp, e.status, e.code, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("{} {}: internal error", method, path, e);
            sendError(resp, 500, "internal_error", "internal error");
        }
    }

    private static boolean hasUnreadBody(HttpServletRequest req) {
        return req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null;
    }

    private static void requireMethod(String method, String allowed) throws ApiError {
        if (!method.equals(allowed)) {
            throw new ApiError(405, "method_not_allowed", method + " is not allowed here; use " + allowed);
        }
    }

    // ------------------------------------------------------------------ accounts

    private void register(HttpServletRequest req, HttpServletResponse resp) throws IOException, ApiError {
        JsonNode body;
        try (InputStream in = req.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_JSON_BYTES + 1);
            if (bytes.length > MAX_JSON_BYTES) {
                throw new ApiError(413, "too_large", "the registration is larger than " + MAX_JSON_BYTES + " bytes");
            }
            body = json.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw ApiError.badRequest("the body is not valid JSON");
        }
        if (body == null || !body.isObject()) {
            throw ApiError.badRequest("expected a JSON object");
        }
        String userId = text(body, "userId", 64);
        if (!USER_ID.matcher(userId).matches()) {
            throw ApiError.badRequest("userId must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter"
                    + " or digit");
        }
        String password = text(body, "password", MAX_PASSWORD_CHARS);
        if (password.length() < MIN_PASSWORD_CHARS) {
            throw ApiError.badRequest("password must have at least " + MIN_PASSWORD_CHARS + " characters");
        }
        char[] pw = password.toCharArray();
        String hash;
        try {
            hash = hasher.hash(pw);
        } finally {
            Arrays.fill(pw, '\0');
        }
        Account account = new Account(userId, text(body, "name", 256), text(body, "address", 1024),
                text(body, "phone", 64), text(body, "email", 256), hash, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        try {
            store.addAccount(account);
        } catch (DuplicateUserException e) {
            store.audit(AuditEntry.of(null, "register", null, "denied", "user id taken: " + userId));
            throw new ApiError(409, "user_exists", "user id " + userId + " is taken");
        }
        store.audit(AuditEntry.of(userId, "register", null, "ok", null));
        LOG.info("registered user {}", userId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("userId", userId);
        sendJson(resp, 201, out);
    }

    private static String text(JsonNode body, String field, int maxChars) throws ApiError {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw ApiError.badRequest(field + " is required");
        }
        String s = v.asText();
        if (s.length() > maxChars) {
            throw ApiError.badRequest(field + " is longer than " + maxChars + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw ApiError.badRequest(field + " contains control characters");
            }
        }
        return s;
    }

    /** The authenticated user id, from HTTP Basic; a 401 otherwise. */
    private String authenticate(HttpServletRequest req) throws ApiError {
        String header = req.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new ApiError(401, "unauthorized", "log in with HTTP Basic authentication");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            throw new ApiError(401, "unauthorized", "malformed Authorization header");
        }
        char[] chars;
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(decoded));
            chars = new char[cb.remaining()];
            cb.get(chars);
            Arrays.fill(cb.array(), '\0');
        } catch (CharacterCodingException e) {
            throw new ApiError(401, "unauthorized", "malformed Authorization header");
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
                throw new ApiError(401, "unauthorized", "malformed Authorization header");
            }
            String userId = new String(chars, 0, colon);
            char[] password = Arrays.copyOfRange(chars, colon + 1, chars.length);
            try {
                Optional<Account> account = USER_ID.matcher(userId).matches() ? store.findAccount(userId) : Optional.empty();
                // Unknown ids cost a hash too, so that timing does not tell which ids exist.
                boolean ok = hasher.verify(password, account.map(Account::passwordHash).orElse(hasher.dummyHash()))
                        && account.isPresent();
                if (!ok) {
                    store.audit(AuditEntry.of(account.isPresent() ? userId : null, "login", null, "denied",
                            account.isPresent() ? "wrong password" : "unknown user id"));
                    throw new ApiError(401, "unauthorized", "wrong user id or password");
                }
                return userId;
            } finally {
                Arrays.fill(password, '\0');
            }
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    // ------------------------------------------------------------------ documents

    /** A document name from the URL path: decoded by the container, checked here. */
    private static String name(String raw) throws ApiError {
        if (raw.isEmpty() || raw.length() > MAX_NAME_CHARS) {
            throw ApiError.badRequest("a document name has 1 to " + MAX_NAME_CHARS + " characters");
        }
        if (raw.equals(".") || raw.equals("..") || raw.indexOf('/') >= 0 || raw.indexOf('\\') >= 0) {
            throw ApiError.badRequest("a document name must not contain path separators or be . or ..");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isISOControl(c) || (Character.isSurrogate(c) && !validSurrogate(raw, i))) {
                throw ApiError.badRequest("a document name must not contain control characters");
            }
        }
        return raw;
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private static Integer version(HttpServletRequest req) throws ApiError {
        String v = req.getParameter("version");
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw ApiError.badRequest("version must be a positive integer");
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("version must be a positive integer");
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
            throws IOException, ApiError {
        long limit = vault.config().maxDocumentBytes();
        long declared = req.getContentLengthLong();
        if (declared > limit) {
            store.audit(AuditEntry.of(user, "deposit", null, "denied", "too large: " + declared + " bytes"));
            throw new ApiError(413, "too_large", "the document is larger than the limit of " + limit + " bytes");
        }
        String documentId = UUID.randomUUID().toString();
        Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        DocumentRecord reserved = store.reserve(documentId, user, name, time);
        DepositMetadata meta = new DepositMetadata(documentId, user, name, reserved.version(), time.toEpochMilli(),
                declared >= 0 ? declared : DepositMetadata.UNKNOWN_LENGTH);
        Receipt receipt;
        try (InputStream body = req.getInputStream()) {
            receipt = vault.deposit(meta, body);
        } catch (DocumentTooLargeException e) {
            fail(user, documentId, e.getMessage());
            throw new ApiError(413, "too_large", e.getMessage());
        } catch (DepositFailedException e) {
            fail(user, documentId, e.getMessage());
            LOG.warn("deposit {} by {} failed: {}", documentId, user, e.getMessage());
            throw new ApiError(503, "deposit_failed", "the deposit failed and nothing was stored: " + e.getMessage());
        } catch (IOException e) {
            fail(user, documentId, "upload broken: " + e.getMessage());
            LOG.info("deposit {} by {}: the upload broke off: {}", documentId, user, e.getMessage());
            throw new ApiError(400, "upload_incomplete", "the upload was incomplete; nothing was stored");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(user, documentId, "interrupted");
            throw new ApiError(503, "deposit_failed", "the gateway is shutting down; nothing was stored");
        } catch (RuntimeException e) {
            fail(user, documentId, "internal error");
            throw e;
        }
        DocumentRecord stored = store.complete(documentId, receipt);
        store.audit(AuditEntry.of(user, "deposit", documentId, "ok", name + " v" + stored.version() + ", "
                + stored.size() + " bytes"));
        sendJson(resp, 201, receiptJson(receipt, stored));
    }

    private void fail(String user, String documentId, String why) {
        store.abandon(documentId);
        store.audit(AuditEntry.of(user, "deposit", documentId, "failed", why));
    }

    private static Map<String, Object> receiptJson(Receipt receipt, DocumentRecord d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("body", Base64.getEncoder().encodeToString(receipt.body()));
        out.put("signature", Base64.getEncoder().encodeToString(receipt.signature()));
        out.put("name", d.name());
        out.put("version", d.version());
        out.put("documentId", d.documentId());
        return out;
    }

    private DocumentRecord find(String user, String name, HttpServletRequest req, String action) throws ApiError {
        Integer version = version(req);
        Optional<DocumentRecord> d = store.findDocument(user, name, version);
        if (d.isEmpty()) {
            store.audit(AuditEntry.of(user, action, null, "denied", "not found: " + name
                    + (version == null ? "" : " v" + version)));
            throw ApiError.notFound();
        }
        return d.get();
    }

    private void receipt(String user, String name, HttpServletRequest req, HttpServletResponse resp)
            throws IOException, ApiError {
        DocumentRecord d = find(user, name, req, "receipt");
        Receipt r = store.findReceipt(d.documentId()).orElseThrow(ApiError::notFound);
        sendJson(resp, 200, receiptJson(r, d));
    }

    private void retrieve(String user, String name, HttpServletRequest req, HttpServletResponse resp)
            throws IOException, ApiError {
        DocumentRecord d = find(user, name, req, "retrieve");
        Receipt r = store.findReceipt(d.documentId()).orElseThrow(ApiError::notFound);
        resp.setStatus(200);
        resp.setContentType("application/octet-stream");
        resp.setContentLengthLong(d.size());
        resp.setHeader("Content-Disposition", "attachment; filename*=UTF-8''"
                + URLEncoder.encode(d.name(), StandardCharsets.UTF_8).replace("+", "%20"));
        resp.setHeader("X-Evault-Version", Integer.toString(d.version()));
        resp.setHeader("X-Evault-Document-Id", d.documentId());
        HoldBackOutputStream out = new HoldBackOutputStream(resp.getOutputStream());
        try {
            vault.retrieve(d.documentId(), r.parsed(), out);
            out.release();
        } catch (RetrievalFailedException e) {
            LOG.warn("retrieve {} for {} failed: {}", d.documentId(), user, e.getMessage());
            store.audit(AuditEntry.of(user, "retrieve", d.documentId(), "failed", e.getMessage()));
            if (resp.isCommitted()) {
                // The body is incomplete (its last piece was held back): abort, never end it normally.
                throw new IllegalStateException("retrieval of " + d.documentId() + " failed after the response began");
            }
            resp.reset();
            throw new ApiError(503, "unavailable", "the document cannot be retrieved right now");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        store.audit(AuditEntry.of(user, "retrieve", d.documentId(), "ok", name + " v" + d.version()));
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
