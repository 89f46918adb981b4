package io.engage.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A provider stand-in on 127.0.0.1 speaking the provider's wire protocol as scripted by the test. Records every
 * request; notices when the client hangs up mid-stream.
 */
final class FakeProviderServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    record Recorded(String method, String path, String query, Map<String, List<String>> headers, String body) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @FunctionalInterface
    interface Script {

        void respond(HttpExchange exchange, FakeProviderServer server) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final AtomicBoolean clientHungUp = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Script script;

    FakeProviderServer(Script script) throws IOException {
        this.script = script;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), body));
                this.script.respond(exchange, this);
            } catch (IOException hungUp) {
                clientHungUp.set(true);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    void script(Script next) {
        this.script = next;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Recorded> requests() {
        return requests;
    }

    Recorded lastRequest() {
        return requests.get(requests.size() - 1);
    }

    boolean clientHungUp() {
        return clientHungUp.get();
    }

    /** Waits until the client closed the connection (a write failed), at most {@code millis}. */
    boolean awaitClientHangUp(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!clientHungUp.get() && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        return clientHungUp.get();
    }

    // ---- response helpers for scripts --------------------------------------------------------------------------

    /** Sends {@code chunks} one by one, flushed, pausing between them. Throws IOException once the client is gone. */
    static void stream(HttpExchange exchange, String contentType, List<String> chunks, long pauseMillis)
            throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (String chunk : chunks) {
            out.write(chunk.getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (pauseMillis > 0) {
                Thread.sleep(pauseMillis);
            }
        }
    }

    static void status(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Never answers (until the server stops). */
    void hang() throws InterruptedException {
        stopped.await(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        stopped.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
