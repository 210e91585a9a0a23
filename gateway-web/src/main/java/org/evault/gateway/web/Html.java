package org.evault.gateway.web;

/**
 * The pages' common frame and HTML escaping. Every dynamic string goes through {@link #escape}
 * (including attribute values, which are always double-quoted); pages carry no inline script or
 * style, so the Content-Security-Policy can stay at {@code default-src 'self'}.
 */
final class Html {
    private Html() {
    }

    /** Escapes {@code & < > " '} (contract 4's set), which is safe in text and in quoted attributes. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * A whole page.
     *
     * @param user     the logged-in user (shown with a logout button), or null
     * @param csrf     the session's CSRF token for the logout form, or null
     * @param bodyHtml already escaped HTML
     */
    static String page(String title, String user, String csrf, String bodyHtml) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(title)).append(" - e-Vault</title>\n")
                .append("<link rel=\"stylesheet\" href=\"/static/evault.css\">\n</head>\n<body>\n<header>\n")
                .append("<a class=\"brand\" href=\"/\">e-Vault</a>\n<nav>\n");
        if (user != null) {
            b.append("<a href=\"/documents\">Documents</a>\n<a href=\"/deposit\">Deposit</a>\n")
                    .append("<span class=\"user\">").append(escape(user)).append("</span>\n")
                    .append("<form method=\"post\" action=\"/logout\" class=\"inline\">")
                    .append(csrfField(csrf))
                    .append("<button type=\"submit\" id=\"logout\">Log out</button></form>\n");
        } else {
            b.append("<a href=\"/login\">Log in</a>\n<a href=\"/register\">Register</a>\n");
        }
        b.append("</nav>\n</header>\n<main>\n<h1>").append(escape(title)).append("</h1>\n").append(bodyHtml)
                .append("\n</main>\n</body>\n</html>\n");
        return b.toString();
    }

    static String csrfField(String token) {
        return "<input type=\"hidden\" name=\"" + WebServlet.CSRF_FIELD + "\" value=\"" + escape(token) + "\">";
    }

    static String message(String cssClass, String text) {
        return "<p class=\"" + cssClass + "\" id=\"" + cssClass + "\">" + escape(text) + "</p>\n";
    }
}
