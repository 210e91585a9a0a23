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

    public RequestRefused(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
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
