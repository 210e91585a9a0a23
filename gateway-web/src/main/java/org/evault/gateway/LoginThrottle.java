package org.evault.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits password guessing: after {@code maxPerUser} failed checks for one user id from one client
 * address, or {@code maxPerAddress} failed checks of any ids from one address, further checks from
 * that address (for that id, or for any id) are refused without hashing until the window that
 * began with the first failure has passed.
 *
 * <p>Keyed by (user id, address) rather than by user id alone, so that a guesser cannot lock the
 * owner out from another address; the per-address limit stops one address spraying many ids.
 * Refusals cost no Argon2id hash, so they also keep a guesser from using up the gateway's CPU.
 * Memory is bounded: at most {@code maxEntries} counters, expired ones dropped first, then the
 * oldest. Thread-safe.
 */
public final class LoginThrottle {
    /** Defaults: 5 failures per (id, address) and 50 per address in 15 minutes, 100,000 counters. */
    public static final int DEFAULT_MAX_PER_USER = 5;
    public static final int DEFAULT_MAX_PER_ADDRESS = 50;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);
    public static final int DEFAULT_MAX_ENTRIES = 100_000;

    private final Clock clock;
    private final int maxPerUser;
    private final int maxPerAddress;
    private final Duration window;
    private final int maxEntries;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /** Failures counted since {@code start}; replaced, never mutated. */
    private record Counter(Instant start, int failures) {
    }

    public LoginThrottle(Clock clock, int maxPerUser, int maxPerAddress, Duration window, int maxEntries) {
        if (maxPerUser < 1 || maxPerAddress < 1 || window.isNegative() || window.isZero() || maxEntries < 2) {
            throw new IllegalArgumentException("login throttle limits must be positive");
        }
        this.clock = clock;
        this.maxPerUser = maxPerUser;
        this.maxPerAddress = maxPerAddress;
        this.window = window;
        this.maxEntries = maxEntries;
    }

    /** How long {@code address} must wait before trying {@code userId} again; empty if it may try now. */
    public Optional<Duration> refusal(String userId, String address) {
        Instant now = clock.instant();
        Duration byUser = wait(userKey(userId, address), maxPerUser, now);
        Duration byAddress = wait(addressKey(address), maxPerAddress, now);
        Duration longer = byUser.compareTo(byAddress) >= 0 ? byUser : byAddress;
        return longer.isZero() ? Optional.empty() : Optional.of(longer);
    }

    public void failed(String userId, String address) {
        Instant now = clock.instant();
        count(userKey(userId, address), now);
        count(addressKey(address), now);
        if (counters.size() > maxEntries) {
            shrink(now);
        }
    }

    /** A right password clears the count for that id from that address (not the address's total). */
    public void succeeded(String userId, String address) {
        counters.remove(userKey(userId, address));
    }

    /** Counters held (for tests of the bound). */
    int size() {
        return counters.size();
    }

    private Duration wait(String key, int max, Instant now) {
        Counter c = counters.get(key);
        if (c == null || c.failures() < max) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, c.start().plus(window));
        return left.isNegative() || left.isZero() ? Duration.ZERO : left;
    }

    private void count(String key, Instant now) {
        counters.compute(key, (k, c) -> c == null || !now.isBefore(c.start().plus(window))
                ? new Counter(now, 1) : new Counter(c.start(), c.failures() + 1));
    }

    private void shrink(Instant now) {
        counters.values().removeIf(c -> !now.isBefore(c.start().plus(window)));
        Iterator<Map.Entry<String, Counter>> it = counters.entrySet().stream()
                .sorted(Map.Entry.comparingByValue((a, b) -> a.start().compareTo(b.start()))).iterator();
        while (counters.size() > maxEntries / 2 && it.hasNext()) {
            counters.remove(it.next().getKey());
        }
    }

    // A NUL cannot occur in a user id or an address, so the two kinds of key never collide.
    private static String userKey(String userId, String address) {
        return "u\0" + address + "\0" + userId; // userId may be null (a form without it): "null"
    }

    private static String addressKey(String address) {
        return "a\0" + address;
    }
}
