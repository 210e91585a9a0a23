package org.evault.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The little HTML the minimal client needs: the text of a {@code <pre id=...>} element, unescaped. */
final class Html {
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|amp|lt|gt|quot|apos|#39);");

    private Html() {
    }

    /** The unescaped text inside {@code <pre id="ID">...</pre>}, or null if the page has none. */
    static String preText(String page, String id) {
        Matcher m = Pattern.compile("<pre\\s+id=\"" + Pattern.quote(id) + "\"[^>]*>(.*?)</pre>",
                Pattern.DOTALL | Pattern.CASE_INSENSITIVE).matcher(page);
        return m.find() ? unescape(m.group(1)) : null;
    }

    /** Replaces the character references HTML escaping produces (named basics and numeric ones). */
    static String unescape(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = ENTITY.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            String e = m.group(1);
            String r = switch (e) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos", "#39" -> "'";
                default -> {
                    int cp = e.charAt(1) == 'x' || e.charAt(1) == 'X' ? Integer.parseInt(e.substring(2), 16)
                            : Integer.parseInt(e.substring(1));
                    yield Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : m.group();
                }
            };
            m.appendReplacement(out, Matcher.quoteReplacement(r));
        }
        m.appendTail(out);
        return out.toString();
    }
}
