package org.evault.gateway.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Server-side browser sessions, kept in memory. A session id and its CSRF token are 256 random
 * bits each; the id travels only in the {@code __Host-evault-session} cookie (HttpOnly, Secure,
 * SameSite=Strict, Path=/, no Domain, no Max-Age: gone when the browser closes). A session ends
 * after {@code idle} without requests and at the latest {@code max} after it began.
 *
 * <p>Visitors who are not logged in get an anonymous session too, only to carry the CSRF token
 * of the login and registration forms. Logging in always makes a new session (new id, new
 * token) and ends the old one, so an id planted before login is worthless after it (no fixation).
 * Sessions do not survive a gateway restart; several gateways would need a shared store.
 */
final class Sessions {
    static final String COOKIE = "__Host-evault-session";
    private static final int MAX_SESSIONS = 100_000;

    /** One session; {@code userId} is null for an anonymous one. */
    static final class Session {
        final String id;
        final String userId;
        final String csrfToken;
        final Instant created;
        private volatile Instant lastSeen;

        private Session(String id, String userId, String csrfToken, Instant created) {
            this.id = id;
            this.userId = userId;
            this.csrfToken = csrfToken;
            this.created = created;
            this.lastSeen = created;
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Duration idle;
    private final Duration max;
    private final Clock clock;

    Sessions(Duration idle, Duration max, Clock clock) {
        this.idle = idle;
        this.max = max;
        this.clock = clock;
    }

    /** The request's live session (touching it), or null. */
    Session find(HttpServletRequest req) {
        return find(cookie(req));
    }

    /** The live session with this id (touching it), or null. */
    Session find(String id) {
        if (id == null) {
            return null;
        }
        Session s = sessions.get(id);
        if (s == null) {
            return null;
        }
        Instant now = clock.instant();
        if (expired(s, now)) {
            sessions.remove(id, s);
            return null;
        }
        s.lastSeen = now;
        return s;
    }

    /** The request's session, or a new anonymous one (with its cookie set on {@code resp}). */
    Session findOrStart(HttpServletRequest req, HttpServletResponse resp) {
        Session s = find(req);
        return s != null ? s : withCookie(start(null), resp);
    }

    /** Ends {@code old} (if any) and starts a logged-in session under a new id. */
    Session login(Session old, String userId, HttpServletResponse resp) {
        if (old != null) {
            sessions.remove(old.id);
        }
        return withCookie(start(userId), resp);
    }

    /** Ends the session and tells the browser to forget the cookie. */
    void end(Session s, HttpServletResponse resp) {
        if (s != null) {
            sessions.remove(s.id);
        }
        resp.addHeader("Set-Cookie", COOKIE + "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
    }

    /** Constant-time comparison of the form's token with the session's. */
    static boolean csrfMatches(Session s, String presented) {
        return s != null && presented != null && MessageDigest.isEqual(s.csrfToken.getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    int size() {
        return sessions.size();
    }

    /** A new session (no cookie set: see {@link #withCookie}). */
    Session start(String userId) {
        Instant now = clock.instant();
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().removeIf(s -> expired(s, now));
            if (sessions.size() >= MAX_SESSIONS) {
                // Anonymous sessions are cheap to make: under a flood, drop them before anyone's login.
                sessions.values().removeIf(s -> s.userId == null);
            }
        }
        Session s = new Session(randomToken(), userId, randomToken(), now);
        sessions.put(s.id, s);
        return s;
    }

    private static Session withCookie(Session s, HttpServletResponse resp) {
        // Written by hand so that every attribute is exactly as intended (the __Host- prefix needs
        // Secure, Path=/ and no Domain; browsers refuse the cookie otherwise).
        resp.addHeader("Set-Cookie", COOKIE + "=" + s.id + "; Path=/; Secure; HttpOnly; SameSite=Strict");
        return s;
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastSeen.plus(idle)) || !now.isBefore(s.created.plus(max));
    }

    private String randomToken() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String cookie(HttpServletRequest req) {
        Cookie[] cookies = req.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (COOKIE.equals(c.getName())) {
                return c.getValue();
            }
        }
        return null;
    }
}
