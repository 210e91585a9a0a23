package org.evault.gateway.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.evault.gateway.Accounts;
import org.evault.gateway.Documents;
import org.evault.gateway.Documents.UploadRejected;
import org.evault.gateway.GatewayConfig;
import org.evault.gateway.Receipt;
import org.evault.gateway.RequestRefused;
import org.evault.gateway.VaultClient;
import org.evault.gateway.db.AuditEntry;
import org.evault.gateway.db.DocumentRecord;
import org.evault.gateway.db.MetadataStore;
import org.evault.gateway.servlet.ApiServlet;
import org.evault.gateway.servlet.Downloads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTML pages: home/login, register, logout, the list of one's documents, deposit (a
 * multipart form streamed to the daemons), receipts and downloads. Server-rendered, no scripts;
 * every form carries the session's CSRF token, checked in constant time (403 when missing or
 * wrong); every document is looked up under the session's user (another user's is 404).
 */
public final class WebServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(WebServlet.class);
    static final String CSRF_FIELD = "csrf";
    static final String FILE_FIELD = "file";
    /** What a deposit form may add to the file itself (the CSRF field, part headers, boundaries). */
    static final long FORM_OVERHEAD_BYTES = 64 * 1024;
    private static final int MAX_CSRF_BYTES = 256;
    static final String CSP = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final transient VaultClient vault;
    private final transient MetadataStore store;
    private final transient Accounts accounts;
    private final transient Documents documents;
    private final transient Sessions sessions;
    private final transient ObjectMapper json = new ObjectMapper();
    private final byte[] css;

    public WebServlet(VaultClient vault, MetadataStore store, Accounts accounts, Documents documents,
            GatewayConfig.Web settings) {
        this.vault = vault;
        this.store = store;
        this.accounts = accounts;
        this.documents = documents;
        this.sessions = new Sessions(settings.sessionIdle(), settings.sessionMax(), Clock.systemUTC());
        try (InputStream in = WebServlet.class.getResourceAsStream("evault.css")) {
            if (in == null) {
                throw new IllegalStateException("evault.css is missing from the class path");
            }
            this.css = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("reading evault.css: " + e, e);
        }
    }

    /** Headers on every page (HSTS comes from the connector). */
    static void securityHeaders(HttpServletResponse resp) {
        resp.setHeader("Content-Security-Policy", CSP);
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("Cache-Control", "no-store");
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        securityHeaders(resp);
        String method = req.getMethod();
        String path = req.getRequestURI();
        Sessions.Session session = null;
        try {
            path = decodedPath(req);
            req.setCharacterEncoding("UTF-8");
            session = sessions.find(req);
            if (session == null && method.equals("GET") && "cross-site".equals(req.getHeader("Sec-Fetch-Site"))) {
                reloadSameSite(req, resp);
                return;
            }
            route(path, method, session, req, resp);
        } catch (RequestRefused e) {
            if (hasUnreadBody(req)) {
                resp.setHeader("Connection", "close");
            }
            if (e.retryAfterSeconds() > 0) {
                resp.setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            errorPage(resp, e.status(), e.getMessage(), session);
        } catch (RuntimeException e) {
            LOG.error("{} {}: internal error", method, path, e);
            errorPage(resp, 500, "Something went wrong on our side; nothing was changed by it.", session);
        }
    }

    private void route(String path, String method, Sessions.Session session, HttpServletRequest req,
            HttpServletResponse resp) throws IOException, RequestRefused {
        switch (path) {
            case "/", "" -> {
                requireMethod(method, "GET");
                if (loggedIn(session)) {
                    redirect(resp, "/documents");
                } else {
                    loginPage(req, resp, sessions.findOrStart(req, resp), null, 200);
                }
            }
            case "/login" -> {
                if (method.equals("POST")) {
                    login(session, req, resp);
                } else {
                    requireMethod(method, "GET");
                    loginPage(req, resp, sessions.findOrStart(req, resp), null, 200);
                }
            }
            case "/register" -> {
                if (method.equals("POST")) {
                    register(session, req, resp);
                } else {
                    requireMethod(method, "GET");
                    registerPage(resp, sessions.findOrStart(req, resp), null, null, 200);
                }
            }
            case "/logout" -> {
                requireMethod(method, "POST");
                requireCsrf(session, req.getParameter(CSRF_FIELD));
                if (session.userId != null) {
                    store.audit(AuditEntry.of(session.userId, "logout", null, "ok", null));
                }
                sessions.end(session, resp);
                redirect(resp, "/");
            }
            case "/documents" -> {
                requireMethod(method, "GET");
                if (requireLogin(session, resp)) {
                    documentsPage(session, resp);
                }
            }
            case "/deposit" -> {
                if (method.equals("POST")) {
                    deposit(session, req, resp);
                } else {
                    requireMethod(method, "GET");
                    if (requireLogin(session, resp)) {
                        depositPage(session, resp);
                    }
                }
            }
            case "/static/evault.css" -> {
                requireMethod(method, "GET");
                resp.setContentType("text/css;charset=UTF-8");
                resp.setContentLength(css.length);
                resp.getOutputStream().write(css);
            }
            default -> {
                if (path.startsWith("/documents/") && path.endsWith("/receipt")) {
                    requireMethod(method, "GET");
                    if (requireLogin(session, resp)) {
                        receiptPage(session, Documents.checkName(between(path, "/receipt")), req, resp);
                    }
                } else if (path.startsWith("/documents/") && path.endsWith("/download")) {
                    requireMethod(method, "GET");
                    if (requireLogin(session, resp)) {
                        download(session, Documents.checkName(between(path, "/download")), req, resp);
                    }
                } else {
                    throw new RequestRefused(404, "not_found", "There is no page here.");
                }
            }
        }
    }

    /**
     * A visitor who follows a link from another site arrives without the SameSite=Strict cookie,
     * logged in or not. Answering as if logged out would set a fresh anonymous cookie over the
     * real one; instead the page reloads itself, and that same-site request carries the cookie.
     */
    private static void reloadSameSite(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String target = req.getRequestURI() + (req.getQueryString() == null ? "" : "?" + req.getQueryString());
        send(resp, 200, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"refresh\" content=\"0; url=" + Html.escape(target) + "\">\n"
                + "<title>e-Vault</title>\n</head>\n<body>\n<p><a href=\"" + Html.escape(target) + "\">Continue to"
                + " e-Vault</a></p>\n</body>\n</html>\n");
    }

    /** The decoded path; Jetty refuses ambiguous encodings (such as %2F) there, which is a 400. */
    static String decodedPath(HttpServletRequest req) throws RequestRefused {
        try {
            return req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        } catch (IllegalArgumentException e) {
            throw RequestRefused.badRequest("The address is ambiguous (an encoded / or \\ or a dot segment).");
        }
    }

    private static String between(String path, String suffix) {
        return path.substring("/documents/".length(), path.length() - suffix.length());
    }

    private static boolean hasUnreadBody(HttpServletRequest req) {
        return req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null;
    }

    private static void requireMethod(String method, String allowed) throws RequestRefused {
        if (!method.equals(allowed)) {
            throw new RequestRefused(405, "method_not_allowed", method + " is not allowed here.");
        }
    }

    private static boolean loggedIn(Sessions.Session s) {
        return s != null && s.userId != null;
    }

    /** For pages one reads: not logged in means a redirect to the login page (false). */
    private static boolean requireLogin(Sessions.Session s, HttpServletResponse resp) {
        if (loggedIn(s)) {
            return true;
        }
        redirect(resp, "/login");
        return false;
    }

    private static void requireCsrf(Sessions.Session s, String presented) throws RequestRefused {
        if (!Sessions.csrfMatches(s, presented)) {
            throw new RequestRefused(403, "forbidden", s == null
                    ? "Your session has expired or cookies are off. Reload the form and try again."
                    : "The form's security token is missing or wrong. Reload the form and try again.");
        }
    }

    private static void redirect(HttpServletResponse resp, String to) {
        resp.setStatus(303);
        resp.setHeader("Location", to);
    }

    // ------------------------------------------------------------------ accounts

    private void loginPage(HttpServletRequest req, HttpServletResponse resp, Sessions.Session s, String error,
            int status) throws IOException {
        StringBuilder b = new StringBuilder();
        if (error != null) {
            b.append(Html.message("error", error));
        } else if (req.getParameter("registered") != null) {
            b.append(Html.message("notice", "Your account is ready. Log in."));
        }
        b.append("<form method=\"post\" action=\"/login\" class=\"stacked\" id=\"login-form\">\n")
                .append(Html.csrfField(s.csrfToken)).append('\n')
                .append("<label for=\"userId\">User id</label><input type=\"text\" id=\"userId\" name=\"userId\""
                        + " autocomplete=\"username\" required>\n")
                .append("<label for=\"password\">Password</label><input type=\"password\" id=\"password\""
                        + " name=\"password\" autocomplete=\"current-password\" required>\n")
                .append("<button type=\"submit\" id=\"login-submit\">Log in</button>\n</form>\n")
                .append("<p class=\"hint\">No account yet? <a href=\"/register\">Register</a>.</p>\n");
        send(resp, status, Html.page("Log in", loggedIn(s) ? s.userId : null, s.csrfToken, b.toString()));
    }

    private void login(Sessions.Session s, HttpServletRequest req, HttpServletResponse resp)
            throws IOException, RequestRefused {
        requireCsrf(s, req.getParameter(CSRF_FIELD));
        String userId = req.getParameter("userId");
        String password = req.getParameter("password");
        char[] pw = password == null ? new char[0] : password.toCharArray();
        Optional<String> user;
        try {
            user = accounts.verify(userId, pw, req.getRemoteAddr());
        } catch (RequestRefused e) {
            resp.setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
            loginPage(req, resp, s, capitalized(e.getMessage()) + ".", e.status());
            return;
        } finally {
            Arrays.fill(pw, '\0');
        }
        if (user.isEmpty()) {
            loginPage(req, resp, s, "Wrong user id or password.", 401);
            return;
        }
        sessions.login(s, user.get(), resp);
        store.audit(AuditEntry.of(user.get(), "login", null, "ok", "browser session"));
        redirect(resp, "/documents");
    }

    private void registerPage(HttpServletResponse resp, Sessions.Session s, HttpServletRequest filled, String error,
            int status) throws IOException {
        StringBuilder b = new StringBuilder();
        if (error != null) {
            b.append(Html.message("error", error));
        }
        b.append("<form method=\"post\" action=\"/register\" class=\"stacked\" id=\"register-form\">\n")
                .append(Html.csrfField(s.csrfToken)).append('\n');
        field(b, "name", "Name", "text", "name", filled);
        field(b, "address", "Address", "text", "street-address", filled);
        field(b, "phone", "Phone", "tel", "tel", filled);
        field(b, "email", "Email", "email", "email", filled);
        field(b, "userId", "User id (letters, digits, . _ -)", "text", "username", filled);
        b.append("<label for=\"password\">Password (at least ").append(Accounts.MIN_PASSWORD_CHARS)
                .append(" characters)</label><input type=\"password\" id=\"password\" name=\"password\""
                        + " autocomplete=\"new-password\" required>\n")
                .append("<button type=\"submit\" id=\"register-submit\">Register</button>\n</form>\n")
                .append("<h2>The vault's public key</h2>\n<p class=\"hint\">Every receipt is signed with this key."
                        + " Keep it to check receipts without trusting this site later.</p>\n")
                .append("<pre id=\"vault-public-key\">").append(Html.escape(vault.publicKey().toPem())).append("</pre>\n");
        send(resp, status, Html.page("Register", loggedIn(s) ? s.userId : null, s.csrfToken, b.toString()));
    }

    private static void field(StringBuilder b, String name, String label, String type, String autocomplete,
            HttpServletRequest filled) {
        String value = filled == null ? null : filled.getParameter(name);
        b.append("<label for=\"").append(name).append("\">").append(Html.escape(label)).append("</label><input type=\"")
                .append(type).append("\" id=\"").append(name).append("\" name=\"").append(name)
                .append("\" autocomplete=\"").append(autocomplete).append("\" required");
        if (value != null) {
            b.append(" value=\"").append(Html.escape(value)).append('"');
        }
        b.append(">\n");
    }

    private void register(Sessions.Session s, HttpServletRequest req, HttpServletResponse resp)
            throws IOException, RequestRefused {
        requireCsrf(s, req.getParameter(CSRF_FIELD));
        String password = req.getParameter("password");
        try {
            accounts.register(new Accounts.Registration(req.getParameter("userId"),
                    password == null ? null : password.toCharArray(), req.getParameter("name"),
                    req.getParameter("address"), req.getParameter("phone"), req.getParameter("email")));
        } catch (RequestRefused e) {
            registerPage(resp, s, req, capitalized(e.getMessage()) + ".", e.status());
            return;
        }
        redirect(resp, "/login?registered=1");
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    // ------------------------------------------------------------------ documents

    private static String link(DocumentRecord d, String what) {
        return "/documents/" + pathSegment(d.name()) + "/" + what + "?version=" + d.version();
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters. */
    static String pathSegment(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }

    private void documentsPage(Sessions.Session s, HttpServletResponse resp) throws IOException {
        List<DocumentRecord> docs = store.listDocuments(s.userId);
        StringBuilder b = new StringBuilder();
        if (docs.isEmpty()) {
            b.append("<p id=\"no-documents\">No documents yet. <a href=\"/deposit\">Deposit one</a>.</p>\n");
        } else {
            b.append("<table id=\"documents\">\n<thead><tr><th>Name</th><th>Version</th><th>Size (bytes)</th>"
                    + "<th>Deposited</th><th>SHA-256</th><th></th></tr></thead>\n<tbody>\n");
            for (DocumentRecord d : docs) {
                b.append("<tr><td>").append(Html.escape(d.name())).append("</td><td>").append(d.version())
                        .append("</td><td>").append(d.size()).append("</td><td>")
                        .append(TIME.format(d.depositTime())).append("</td><td class=\"hash\">")
                        .append(Html.escape(d.sha256())).append("</td><td><a href=\"")
                        .append(Html.escape(link(d, "download"))).append("\">Download</a> · <a href=\"")
                        .append(Html.escape(link(d, "receipt"))).append("\">Receipt</a></td></tr>\n");
            }
            b.append("</tbody>\n</table>\n");
        }
        send(resp, 200, Html.page("Your documents", s.userId, s.csrfToken, b.toString()));
    }

    private void depositPage(Sessions.Session s, HttpServletResponse resp) throws IOException {
        String b = "<form method=\"post\" action=\"/deposit\" enctype=\"multipart/form-data\" class=\"stacked\""
                + " id=\"deposit-form\">\n" + Html.csrfField(s.csrfToken) + "\n"
                + "<label for=\"file\">File</label><input type=\"file\" id=\"file\" name=\"" + FILE_FIELD
                + "\" required>\n<button type=\"submit\" id=\"deposit-submit\">Deposit</button>\n</form>\n"
                + "<p class=\"hint\">The file is stored under its own name; depositing the same name again makes a"
                + " new version. Largest file: " + documents.maxDocumentBytes() + " bytes.</p>\n";
        send(resp, 200, Html.page("Deposit a file", s.userId, s.csrfToken, b));
    }

    /**
     * The deposit form, read as a stream: the CSRF field must come first (it is checked before a
     * byte of the file is read), then the file, which must be the last field. Its content goes to
     * the daemons as it arrives; a body that turns out malformed or cut short fails the deposit, so
     * nothing is stored.
     */
    private void deposit(Sessions.Session s, HttpServletRequest req, HttpServletResponse resp)
            throws IOException, RequestRefused {
        if (!loggedIn(s)) {
            throw new RequestRefused(403, "forbidden", "You are not logged in (or your session expired). Log in and"
                    + " deposit again.");
        }
        long declared = req.getContentLengthLong();
        if (declared > documents.maxDocumentBytes() + FORM_OVERHEAD_BYTES) {
            documents.checkDeclaredLength(s.userId, declared - FORM_OVERHEAD_BYTES);
        }
        MultipartReader.Part file;
        try {
            MultipartReader form = new MultipartReader(req.getInputStream(), MultipartReader.boundary(req.getContentType()));
            MultipartReader.Part first = form.next(false);
            if (first == null || !first.name().equals(CSRF_FIELD)) {
                throw new RequestRefused(403, "forbidden", "The form's security token is missing (it must be the"
                        + " first field). Reload the form and try again.");
            }
            byte[] token = first.content().readNBytes(MAX_CSRF_BYTES + 1);
            requireCsrf(s, token.length > MAX_CSRF_BYTES ? null : new String(token, StandardCharsets.UTF_8));
            file = form.next(true);
        } catch (UploadRejected e) {
            throw RequestRefused.badRequest("The upload is not a well-formed form: " + e.getMessage() + ". Nothing was"
                    + " stored.");
        }
        if (file == null || !file.name().equals(FILE_FIELD) || file.filename() == null || file.filename().isEmpty()) {
            throw RequestRefused.badRequest("Choose a file to deposit.");
        }
        String name = documentName(file.filename());
        Documents.Deposited d;
        try {
            d = documents.deposit(s.userId, name, -1, file.content());
        } catch (RequestRefused e) {
            if (e.status() == 503) {
                ApiServlet.discardRest(req.getInputStream());
            }
            throw e;
        }
        send(resp, 200, Html.page("Deposited", s.userId, s.csrfToken,
                Html.message("notice", "Stored " + d.record().name() + " as version " + d.record().version() + ".")
                        + receiptHtml(d.receipt(), d.record(), d.receipt().signers())));
    }

    /**
     * The document name for an uploaded file: the part after the last {@code /} or {@code \\}
     * (some browsers send a whole client path), which must then be a valid name: not empty,
     * {@code .} or {@code ..}, no control characters, at most 255 characters.
     */
    static String documentName(String sent) throws RequestRefused {
        // Browsers send '"', CR and LF in a file name as %22, %0D and %0A (HTML's multipart form
        // encoding): undo exactly that, so CR and LF then fail as control characters.
        String filename = sent.replace("%22", "\"").replace("%0D", "\r").replace("%0A", "\n");
        String base = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
        try {
            return Documents.checkName(base);
        } catch (RequestRefused e) {
            throw RequestRefused.badRequest("The file name cannot be used: " + e.getMessage() + ". Nothing was stored.");
        }
    }

    private void receiptPage(Sessions.Session s, String name, HttpServletRequest req, HttpServletResponse resp)
            throws IOException, RequestRefused {
        DocumentRecord d = documents.find(s.userId, name, ApiServlet.parseVersion(req.getParameter("version")), "receipt");
        Receipt r = documents.receipt(d);
        send(resp, 200, Html.page("Receipt", s.userId, s.csrfToken, receiptHtml(r, d, null)));
    }

    private String receiptHtml(Receipt r, DocumentRecord d, List<Integer> signers) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("<dl id=\"receipt-fields\">\n")
                .append("<dt>Name</dt><dd id=\"receipt-name\">").append(Html.escape(d.name())).append("</dd>\n")
                .append("<dt>Version</dt><dd id=\"receipt-version\">").append(d.version()).append("</dd>\n")
                .append("<dt>Size</dt><dd id=\"receipt-size\">").append(d.size()).append(" bytes</dd>\n")
                .append("<dt>SHA-256</dt><dd class=\"hash\" id=\"receipt-sha256\">").append(Html.escape(d.sha256()))
                .append("</dd>\n")
                .append("<dt>Document id</dt><dd id=\"receipt-document-id\">").append(Html.escape(d.documentId()))
                .append("</dd>\n")
                .append("<dt>Deposited</dt><dd>").append(TIME.format(d.depositTime())).append("</dd>\n");
        if (signers != null && !signers.isEmpty()) {
            b.append("<dt>Signed by</dt><dd id=\"receipt-signers\">daemons ")
                    .append(signers.stream().map(String::valueOf).collect(Collectors.joining(", "))).append("</dd>\n");
        }
        b.append("</dl>\n<h2>Signed receipt</h2>\n<p class=\"hint\">The receipt exactly as the API gives it: <code>body"
                + "</code> and <code>signature</code> are base64; the signature is RSA PKCS#1 v1.5 with SHA-256 by the"
                + " vault key (<a href=\"/api/v1/vault/public-key.pem\">public key</a>).</p>\n")
                .append("<pre id=\"evault-receipt\">")
                .append(Html.escape(json.writeValueAsString(Documents.receiptJson(r, d)))).append("</pre>\n")
                .append("<p><a id=\"download-link\" href=\"").append(Html.escape(link(d, "download")))
                .append("\">Download this version</a> · <a href=\"/documents\">All documents</a></p>\n");
        return b.toString();
    }

    private void download(Sessions.Session s, String name, HttpServletRequest req, HttpServletResponse resp)
            throws IOException, RequestRefused {
        DocumentRecord d = documents.find(s.userId, name, ApiServlet.parseVersion(req.getParameter("version")),
                "retrieve");
        resp.setStatus(200);
        resp.setContentType("application/octet-stream");
        resp.setContentLengthLong(d.size());
        resp.setHeader("Content-Disposition", Downloads.contentDisposition(d.name()));
        resp.setHeader("X-Evault-Version", Integer.toString(d.version()));
        try {
            Downloads.streamDocument(documents, s.userId, d, resp);
        } catch (RequestRefused e) {
            securityHeaders(resp); // the reset dropped them
            throw e;
        }
    }

    // ------------------------------------------------------------------ output

    private static void send(HttpServletResponse resp, int status, String html) throws IOException {
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType("text/html;charset=UTF-8");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    private static void errorPage(HttpServletResponse resp, int status, String message, Sessions.Session s)
            throws IOException {
        if (resp.isCommitted()) {
            throw new IOException("response already committed; aborting (" + status + ")");
        }
        if (status == 405) {
            resp.setHeader("Allow", "GET, POST");
        }
        boolean in = loggedIn(s);
        send(resp, status, Html.page(title(status), in ? s.userId : null, in ? s.csrfToken : null,
                Html.message("error", message) + "<p><a href=\"/\">Back to the start page</a></p>\n"));
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Not logged in";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 409 -> "Conflict";
            case 413 -> "Too large";
            case 503 -> "Unavailable";
            default -> status >= 500 ? "Internal error" : "Error " + status;
        };
    }
}
