package org.evault.gateway.servlet;

/** An answer other than success: HTTP status, a stable code for programs, a message for people. */
final class ApiError extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    ApiError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", message);
    }

    static ApiError notFound() {
        return new ApiError(404, "not_found", "no such document");
    }
}
