package org.evault.gateway;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

import org.evault.gateway.db.Account;
import org.evault.gateway.db.AuditEntry;
import org.evault.gateway.db.DuplicateUserException;
import org.evault.gateway.db.MetadataStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registration and password checks, shared by the JSON API (Basic authentication, token issue) and
 * the HTML pages (register, login). Every refusal is audited; no password is ever logged.
 */
public final class Accounts {
    private static final Logger LOG = LoggerFactory.getLogger(Accounts.class);
    public static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    public static final int MIN_PASSWORD_CHARS = 8;
    public static final int MAX_PASSWORD_CHARS = 1024;

    /** The paper's account fields as submitted; the password is cleared by {@link #register}. */
    public record Registration(String userId, char[] password, String name, String address, String phone,
            String email) {
    }

    private final MetadataStore store;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;

    public Accounts(MetadataStore store, PasswordHasher hasher, LoginThrottle throttle) {
        this.store = store;
        this.hasher = hasher;
        this.throttle = throttle;
    }

    /**
     * Checks the fields and creates the account.
     *
     * @throws RequestRefused 400 for a missing or bad field, 409 {@code user_exists}
     */
    public void register(Registration r) throws RequestRefused {
        try {
            String userId = field("userId", r.userId(), 64);
            if (!USER_ID.matcher(userId).matches()) {
                throw RequestRefused.badRequest("userId must be 1 to 64 letters, digits, '.', '_' or '-', starting"
                        + " with a letter or digit");
            }
            if (r.password() == null || r.password().length == 0) {
                throw RequestRefused.badRequest("password is required");
            }
            if (r.password().length < MIN_PASSWORD_CHARS) {
                throw RequestRefused.badRequest("password must have at least " + MIN_PASSWORD_CHARS + " characters");
            }
            if (r.password().length > MAX_PASSWORD_CHARS) {
                throw RequestRefused.badRequest("password is longer than " + MAX_PASSWORD_CHARS + " characters");
            }
            String name = field("name", r.name(), 256);
            String address = field("address", r.address(), 1024);
            String phone = field("phone", r.phone(), 64);
            String email = field("email", r.email(), 256);
            Account account = new Account(userId, name, address, phone, email, hasher.hash(r.password()),
                    Instant.now().truncatedTo(ChronoUnit.MILLIS));
            try {
                store.addAccount(account);
            } catch (DuplicateUserException e) {
                store.audit(AuditEntry.of(null, "register", null, "denied", "user id taken: " + userId));
                throw new RequestRefused(409, "user_exists", "user id " + userId + " is taken");
            }
            store.audit(AuditEntry.of(userId, "register", null, "ok", null));
            LOG.info("registered user {}", userId);
        } finally {
            if (r.password() != null) {
                Arrays.fill(r.password(), '\0');
            }
        }
    }

    private static String field(String field, String s, int maxChars) throws RequestRefused {
        if (s == null || s.isBlank()) {
            throw RequestRefused.badRequest(field + " is required");
        }
        if (s.length() > maxChars) {
            throw RequestRefused.badRequest(field + " is longer than " + maxChars + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw RequestRefused.badRequest(field + " contains control characters");
            }
        }
        return s;
    }

    /**
     * The user id if the password is right, audited either way. Unknown ids cost an Argon2id hash
     * too, so that timing does not tell which ids exist. The caller clears {@code password}.
     *
     * @param clientAddress where the attempt comes from, for the {@link LoginThrottle}
     * @throws RequestRefused 429, without checking the password, after too many failures
     */
    public Optional<String> verify(String userId, char[] password, String clientAddress) throws RequestRefused {
        Optional<java.time.Duration> wait = throttle.refusal(userId, clientAddress);
        if (wait.isPresent()) {
            store.audit(AuditEntry.of(null, "login", null, "denied", "throttled: too many failed logins"));
            throw RequestRefused.tooManyAttempts(wait.get());
        }
        Optional<String> user = check(userId, password);
        if (user.isPresent()) {
            throttle.succeeded(userId, clientAddress);
        } else {
            throttle.failed(userId, clientAddress);
        }
        return user;
    }

    private Optional<String> check(String userId, char[] password) {
        Optional<Account> account = userId != null && USER_ID.matcher(userId).matches() ? store.findAccount(userId)
                : Optional.empty();
        boolean ok = hasher.verify(password, account.map(Account::passwordHash).orElse(hasher.dummyHash()))
                && account.isPresent();
        if (!ok) {
            store.audit(AuditEntry.of(account.isPresent() ? userId : null, "login", null, "denied",
                    account.isPresent() ? "wrong password" : "unknown user id"));
            return Optional.empty();
        }
        return Optional.of(userId);
    }
}
