package org.clustermail.webmail;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One browser request as the handlers need it: method, path, query and form parameters, cookies, the client's
 * address. Forms are {@code application/x-www-form-urlencoded} only and at most {@value #MAX_FORM} octets (a new
 * message: {@value #MAX_COMPOSED}); anything else is refused before a handler runs ({@link BadRequest}). Immutable
 * once read.
 */
final class WebRequest {

    /** The largest form accepted: a login or a delete is a few hundred octets. */
    static final int MAX_FORM = 16 * 1024;
    /** The largest message text written in the browser. */
    static final int MAX_COMPOSED = 1 << 20;

    /** A request the server answers with an error status before any handler runs. */
    static final class BadRequest extends Exception {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final String method;
    private final String path;
    private final Map<String, String> query;
    private final Map<String, String> form;
    private final Map<String, String> cookies;
    private final String remoteAddress;
    private final Optional<String> origin;
    private final Optional<String> host;

    private WebRequest(String method, String path, Map<String, String> query, Map<String, String> form,
                       Map<String, String> cookies, String remoteAddress, Optional<String> origin,
                       Optional<String> host) {
        this.method = method;
        this.path = path;
        this.query = query;
        this.form = form;
        this.cookies = cookies;
        this.remoteAddress = remoteAddress;
        this.origin = origin;
        this.host = host;
    }

    static WebRequest read(HttpExchange ex) throws IOException, BadRequest {
        String method = ex.getRequestMethod();
        int maxForm = ex.getRequestURI().getPath().equals("/send") ? MAX_COMPOSED : MAX_FORM;
        Map<String, String> query = parseUrlEncoded(ex.getRequestURI().getRawQuery());
        Map<String, String> form = Map.of();
        if (method.equals("POST")) {
            String type = Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Type")).orElse("");
            if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
                throw new BadRequest(415, "Forms must be sent as application/x-www-form-urlencoded.");
            }
            try (InputStream in = ex.getRequestBody()) {
                byte[] body = in.readNBytes(maxForm + 1);
                if (body.length > maxForm) {
                    throw new BadRequest(413, "The form is too large (at most " + maxForm / 1024 + " KB).");
                }
                form = parseUrlEncoded(new String(body, StandardCharsets.US_ASCII));
            }
        }
        Map<String, String> cookies = new HashMap<>();
        for (String header : ex.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    cookies.putIfAbsent(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
        }
        return new WebRequest(method, ex.getRequestURI().getPath(), query, form, cookies,
                ex.getRemoteAddress().getAddress().getHostAddress(),
                Optional.ofNullable(ex.getRequestHeaders().getFirst("Origin")),
                Optional.ofNullable(ex.getRequestHeaders().getFirst("Host")));
    }

    private static Map<String, String> parseUrlEncoded(String raw) throws BadRequest {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new BadRequest(400, "Malformed parameter encoding.");
            }
        }
        return out;
    }

    String method() {
        return method;
    }

    String path() {
        return path;
    }

    Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    Optional<String> form(String name) {
        return Optional.ofNullable(form.get(name));
    }

    Optional<String> cookie(String name) {
        return Optional.ofNullable(cookies.get(name));
    }

    String remoteAddress() {
        return remoteAddress;
    }

    /**
     * Whether a form comes from one of this node's own pages: browsers name the page's origin in {@code Origin} on
     * every POST; a form on another site (login CSRF, or any form a stolen token would not stop) names that site.
     * Clients that send no {@code Origin} (scripts, curl) are let through: they cannot carry a victim's cookie.
     */
    boolean sameOrigin() {
        return origin.isEmpty() || host.map(h -> origin.get().equalsIgnoreCase("https://" + h)).orElse(false);
    }

    /** A query or form parameter that must be a whole number in {@code [min, max]}. */
    static long number(Optional<String> value, long dflt, long min, long max, String what) throws BadRequest {
        if (value.isEmpty()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(value.get());
            if (n < min || n > max) {
                throw new BadRequest(400, "Bad " + what + ".");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequest(400, "Bad " + what + ".");
        }
    }
}
