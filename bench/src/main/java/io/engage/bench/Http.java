package io.engage.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** JSON over HTTP/1.1 with the JDK client; every call goes to the local server the harness started. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A response: status, raw body and the body as JSON (null when it is not JSON). */
    record Response(int status, String body, HttpResponse<String> raw) {

        JsonNode json() {
            if (body == null || body.isBlank()) {
                return JSON.nullNode();
            }
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (HTTP " + status + "): " + abbreviate(body, 300), e);
            }
        }
    }

    /** An unexpected status; the message carries the problem+json body. */
    static final class ApiException extends RuntimeException {
        final int status;

        ApiException(String method, URI uri, int status, String body) {
            super(method + " " + uri.getPath() + " → HTTP " + status + ": " + abbreviate(body, 600));
            this.status = status;
        }
    }

    private final HttpClient client;
    private final ExecutorService executor;

    Http() {
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "bench-http");
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(executor)
                .build();
    }

    Response send(String method, URI uri, String bearer, Object body, Duration timeout) {
        return send(method, uri, bearer, body, timeout, "application/json, application/problem+json");
    }

    Response send(String method, URI uri, String bearer, Object body, Duration timeout, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", accept);
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            byte[] bytes = body instanceof byte[] b ? b : toJsonBytes(body);
            request.header("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        }
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = client.send(request.build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (response.statusCode() == 429 && attempt < 6) {
                    long wait = response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
                    Thread.sleep(Math.max(1, Math.min(wait, 30)) * 1000);
                    continue;
                }
                return new Response(response.statusCode(), response.body(), response);
            } catch (IOException e) {
                throw new IllegalStateException(method + " " + uri + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /**
     * One exchange as it comes: no retry on 429 and no status check, for load generators that count every refusal
     * and need the raw body handler (an SSE stream read line by line).
     */
    <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return client.send(request, handler);
    }

    static byte[] toJsonBytes(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static String abbreviate(String text, int max) {
        if (text == null) {
            return "";
        }
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
