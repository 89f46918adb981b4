package io.engage.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small HTTP client for the integration tests: real requests to the running server on its random port. */
public final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final String baseUrl;

    public Api(int port) {
        this("http://localhost:" + port, HttpClient.newHttpClient());
    }

    /** Another base URL or client, e.g. HTTPS with a client that trusts a test certificate. */
    public Api(String baseUrl, HttpClient http) {
        this.baseUrl = baseUrl;
        this.http = http;
    }

    public record Response(int status, Map<String, String> headers, String body) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Not JSON (" + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }

        public String contentType() {
            return header("content-type");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Response get(String path, String token) {
        return send("GET", path, token, null, null);
    }

    public Response post(String path, String token, Object body) {
        return send("POST", path, token, body, "application/json");
    }

    public Response put(String path, String token, Object body) {
        return send("PUT", path, token, body, "application/json");
    }

    public Response patch(String path, String token, Object body) {
        return send("PATCH", path, token, body, "application/json");
    }

    public Response delete(String path, String token) {
        return send("DELETE", path, token, null, null);
    }

    /** Any request; a String body is sent verbatim (UTF-8), a byte[] as is, anything else as JSON. */
    public Response send(String method, String path, String token, Object body, String contentType,
            String... extraHeaders) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            for (int i = 0; i + 1 < extraHeaders.length; i += 2) {
                request.header(extraHeaders[i], extraHeaders[i + 1]);
            }
            if (body instanceof byte[] bytes) {
                request.method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
            } else {
                String payload = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
                request.method(method, payload == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(payload));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
            return new Response(response.statusCode(), headers, response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Asks the agent whose widget key is {@code key}, as end-user {@code endUserId}: the answer (it must be a 200). */
    public JsonNode ask(String key, String endUserId, String message) {
        Response response = send("POST", "/agent/query", null, Map.of("endUserId", endUserId, "message", message),
                "application/json", "X-Engage-Key", key);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    public HttpClient http() {
        return http;
    }

    public String baseUrl() {
        return baseUrl;
    }
}
