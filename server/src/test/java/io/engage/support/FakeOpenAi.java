package io.engage.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A local server speaking OpenAI's chat-completions wire protocol (streamed as server-sent events), for
 * integration tests of agents whose provider is "openai-compatible". Records every request body.
 */
public final class FakeOpenAi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private volatile int failWithStatus;
    private volatile List<String> tokens = List.of("Hello", " from", " the", " model", " [1]");
    private volatile long delayMillis;
    private final java.util.concurrent.atomic.AtomicInteger tokensWritten = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.CountDownLatch clientGone = new java.util.concurrent.CountDownLatch(1);

    public FakeOpenAi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public List<JsonNode> requests() {
        return requests;
    }

    public void answerWith(List<String> tokens) {
        this.tokens = List.copyOf(tokens);
        this.failWithStatus = 0;
    }

    /** Streams the tokens with a pause before each, like a slow model. */
    public void answerSlowly(List<String> tokens, long delayMillis) {
        answerWith(tokens);
        this.delayMillis = delayMillis;
    }

    public int tokensWritten() {
        return tokensWritten.get();
    }

    /** Waits until a client closed a stream before it was complete. */
    public boolean awaitClientGone(long millis) throws InterruptedException {
        return clientGone.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    public void failWith(int status) {
        this.failWithStatus = status;
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.add(JSON.readTree(exchange.getRequestBody()));
        if (failWithStatus != 0) {
            byte[] error = "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(failWithStatus, error.length);
            exchange.getResponseBody().write(error);
            exchange.close();
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (String token : tokens) {
                if (delayMillis > 0) {
                    try {
                        Thread.sleep(delayMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                String chunk = JSON.writeValueAsString(JSON.createObjectNode().put("id", "chatcmpl-1")
                        .put("object", "chat.completion.chunk").put("created", 1).put("model", "test-model")
                        .set("choices", JSON.createArrayNode().add(JSON.createObjectNode().put("index", 0)
                                .set("delta", JSON.createObjectNode().put("content", token)))));
                out.write(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                tokensWritten.incrementAndGet();
            }
            String last = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":"
                    + "\"test-model\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":5,\"total_tokens\":125}}";
            out.write(("data: " + last + "\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            clientGone.countDown();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
