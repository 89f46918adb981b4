package io.engage.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A browser's HTTP behaviour for redirect flows: redirects are not followed (the test takes each hop itself and can
 * look at it), and cookies are kept per host and path the way browsers do (host-only, path prefix, Max-Age=0 deletes),
 * so the cookies of servers on different hosts stay apart. Every request and response is kept in {@link #history()}.
 */
public final class Browser {

    public record Cookie(String host, String name, String value, String path, String attributes) {
    }

    public record Response(String method, URI uri, int status, Map<String, List<String>> headers, String body) {

        public String location() {
            List<String> values = headers.getOrDefault("location", List.of());
            return values.isEmpty() ? null : uri.resolve(values.get(0)).toString();
        }

        public List<String> setCookies() {
            return headers.getOrDefault("set-cookie", List.of());
        }

        @Override
        public String toString() {
            return method + " " + uri + " -> " + status + (location() == null ? "" : " " + location());
        }
    }

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final List<Cookie> cookies = new ArrayList<>();
    private final List<Response> history = new ArrayList<>();

    public Response get(String url) {
        return send("GET", url, null, null);
    }

    public Response postForm(String url, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return send("POST", url, "application/x-www-form-urlencoded", body);
    }

    public Response postJson(String url, String json) {
        return send("POST", url, "application/json", json);
    }

    /** GETs and follows redirects while they stay on this host; returns the response that leaves it (or the end). */
    public Response followWithin(String url, String host) {
        Response response = get(url);
        for (int hops = 0; hops < 10 && response.location() != null
                && URI.create(response.location()).getHost().equals(host); hops++) {
            response = get(response.location());
        }
        return response;
    }

    public List<Cookie> cookies() {
        return List.copyOf(cookies);
    }

    public String cookie(String host, String name) {
        return cookies.stream().filter(c -> c.host().equals(host) && c.name().equals(name)).map(Cookie::value)
                .findFirst().orElse(null);
    }

    public void setCookie(String host, String name, String value, String path) {
        cookies.removeIf(c -> c.host().equals(host) && c.name().equals(name) && c.path().equals(path));
        cookies.add(new Cookie(host, name, value, path, ""));
    }

    public List<Response> history() {
        return List.copyOf(history);
    }

    private Response send(String method, String url, String contentType, String body) {
        URI uri = URI.create(url);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Accept", contentType != null && contentType.contains("json") ? "application/json"
                        : "text/html,application/xhtml+xml")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        String cookieHeader = cookies.stream()
                .filter(c -> c.host().equals(uri.getHost()) && pathOf(uri).startsWith(c.path()))
                .map(c -> c.name() + "=" + c.value()).collect(Collectors.joining("; "));
        if (!cookieHeader.isEmpty()) {
            request.header("Cookie", cookieHeader);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, List<String>> headers = new LinkedHashMap<>();
            response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
            Response result = new Response(method, uri, response.statusCode(), headers, response.body());
            result.setCookies().forEach(header -> store(uri, header));
            history.add(result);
            return result;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void store(URI uri, String header) {
        String[] parts = header.split(";");
        int eq = parts[0].indexOf('=');
        String name = parts[0].substring(0, eq).trim();
        String value = parts[0].substring(eq + 1).trim();
        String path = "/";
        boolean delete = false;
        for (int i = 1; i < parts.length; i++) {
            String attribute = parts[i].trim().toLowerCase(Locale.ROOT);
            if (attribute.startsWith("path=")) {
                path = parts[i].trim().substring(5);
            } else if (attribute.equals("max-age=0") || attribute.startsWith("expires=thu, 01 jan 1970")) {
                delete = true;
            }
        }
        String cookiePath = path;
        cookies.removeIf(c -> c.host().equals(uri.getHost()) && c.name().equals(name) && c.path().equals(cookiePath));
        if (!delete) {
            cookies.add(new Cookie(uri.getHost(), name, value, path, header));
        }
    }

    private static String pathOf(URI uri) {
        return uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
