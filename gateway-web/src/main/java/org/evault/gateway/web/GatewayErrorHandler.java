package org.evault.gateway.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty itself answers (a malformed or ambiguous URI, a bad header, anything that
 * escaped a servlet): the pages' own frame with the standard reason, or a JSON/plain body when the
 * client asked for that; never a stack trace, an exception message or Jetty's name. Used both as
 * the server's and as the servlet context's handler (the core handler, not the ee11 one: that one
 * answers Jetty's own refusals inside the context, such as an ambiguous URI, with an empty body).
 * The servlets answer their own errors.
 */
public final class GatewayErrorHandler extends org.eclipse.jetty.server.handler.ErrorHandler {
    public GatewayErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
        setShowMessageInTitle(false);
        setShowOrigin(false);
    }

    /** Under {@code /api/} the answer is JSON whatever the client accepts, as the API's own errors are. */
    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
            String contentType, List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        boolean api = path != null && path.startsWith("/api/");
        if (!api) {
            response.getHeaders().put("Content-Security-Policy", WebServlet.CSP);
            response.getHeaders().put("Referrer-Policy", "no-referrer");
        }
        return super.generateAcceptableResponse(request, response, callback, api ? "application/json" : contentType,
                api ? List.of(StandardCharsets.UTF_8) : charsets, code, message, cause);
    }

    @Override
    protected void writeErrorHtml(Request request, Writer writer, Charset charset, int code, String message,
            Throwable cause) throws IOException {
        writer.write(page(code));
    }

    @Override
    protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
        writer.write("{\"error\":\"" + code(code) + "\",\"message\":\"" + HttpStatus.getMessage(code).replace("\"", "'")
                + "\"}");
    }

    @Override
    protected void writeErrorPlain(Request request, PrintWriter writer, int code, String message, Throwable cause) {
        writer.write(code + " " + HttpStatus.getMessage(code) + "\n");
    }

    private static String page(int code) {
        return Html.page(WebServlet.title(code), null, null, Html.message("error", "The request could not be served ("
                + code + " " + HttpStatus.getMessage(code) + ").") + "<p><a href=\"/\">Back to the start page</a></p>\n");
    }

    private static String code(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "too_large";
            default -> status >= 500 ? "internal_error" : "error";
        };
    }
}
