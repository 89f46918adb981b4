package io.engage.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.support.AppNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.coyote.http11.Http11Processor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The race at the start of a graceful shutdown: the connector pauses while Tomcat reads a request's first line. Tomcat
 * then marks the request 503, leaves its headers unread and, missing the Host header, answers 400, which a client
 * does not retry. The pause is placed exactly there by a protocol of the test's own (below), so this fails every
 * time without the fix ({@code ContainerErrorsConfig.PausedConnectorValve}), not once in a few runs as it did in
 * {@code GracefulShutdownIT}. A node of the test's own.
 */
class PausedConnectorIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRequestReadAsTheConnectorPausesIsRefusedWith503NotABadRequest() throws Exception {
        try (AppNode node = AppNode.start(Map.of(), PauseWhileReadingConfig.class)) {
            AppNode.Tenant tenant = node.signupWithAgent(Map.of());
            String request = "GET /agent/config HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Engage-Key: " + tenant.key()
                    + "\r\nConnection: close\r\n\r\n";
            assertThat(exchange(node.port(), request)).as("served normally before the pause").startsWith(
                    "HTTP/1.1 200 ");

            PauseWhileReadingProtocol.ARMED.set(true);
            String refused = exchange(node.port(), request);
            assertThat(PauseWhileReadingProtocol.ARMED).as("the connector paused while reading the request")
                    .isFalse();

            assertThat(refused).startsWith("HTTP/1.1 503 ");
            String head = refused.substring(0, refused.indexOf("\r\n\r\n")).toLowerCase();
            assertThat(head).contains("content-type: application/problem+json", "retry-after: 1",
                    "connection: close");
            JsonNode problem = JSON.readTree(refused.substring(refused.indexOf("\r\n\r\n") + 4));
            assertThat(problem.get("type").asText()).isEqualTo("https://engage.dev/problems/unavailable");
            assertThat(problem.get("status").asInt()).isEqualTo(503);
            assertThat(problem.get("detail").asText()).contains("shutting down");
        }
    }

    /** One request on a connection of its own: the whole response as text. */
    private static String exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PauseWhileReadingConfig {

        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> pauseWhileReadingProtocol() {
            return factory -> factory.setProtocol(PauseWhileReadingProtocol.class.getName());
        }
    }

    /**
     * Tomcat's NIO HTTP/1.1 protocol that, once armed, pauses itself (as graceful shutdown does) at the moment the
     * request processor asks for the keep-alive timeout to read a request line: after the processor has checked
     * that it is not paused, before it checks again. Public with a no-argument constructor: Tomcat makes it by name.
     */
    public static class PauseWhileReadingProtocol extends Http11NioProtocol {

        static final AtomicBoolean ARMED = new AtomicBoolean();

        @Override
        public int getKeepAliveTimeout() {
            if (ARMED.get() && calledByTheRequestProcessor() && ARMED.compareAndSet(true, false)) {
                try {
                    pause();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return super.getKeepAliveTimeout();
        }

        private static boolean calledByTheRequestProcessor() {
            return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                    .walk(frames -> frames.skip(2).findFirst())
                    .filter(caller -> caller.getDeclaringClass() == Http11Processor.class
                            && caller.getMethodName().equals("service"))
                    .isPresent();
        }
    }
}
