package org.evault.gateway;

/**
 * A request the gateway answers with something other than success: an HTTP status, a stable code
 * for programs (the JSON API's {@code error}) and a message for people. The JSON API and the HTML
 * pages render the same refusal each in their own way.
 */
public final class RequestRefused extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;
    private final long retryAfterSeconds;

    public RequestRefused(int status, String code, String message) {
        this(status, code, message, 0);
    }

    private RequestRefused(int status, String code, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429 with a Retry-After of {@code wait} (rounded up to whole seconds). */
    public static RequestRefused tooManyAttempts(java.time.Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return new RequestRefused(429, "too_many_attempts", "too many failed logins; try again in "
                + (seconds >= 120 ? (seconds + 59) / 60 + " minutes" : seconds + " seconds"), seconds);
    }

    /** Seconds for a Retry-After header; 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static RequestRefused badRequest(String message) {
        return new RequestRefused(400, "bad_request", message);
    }

    public static RequestRefused notFound() {
        return new RequestRefused(404, "not_found", "no such document");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
