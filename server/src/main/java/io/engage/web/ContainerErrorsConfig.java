package io.engage.web;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.AbstractProtocol;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * Requests Tomcat refuses before any servlet runs (malformed or ambiguous URLs) get a problem+json body instead of
 * Tomcat's HTML error page; a request that slips in as the web server stops accepting (graceful shutdown) gets 503.
 */
@Configuration(proxyBeanMethods = false)
@Order(Ordered.LOWEST_PRECEDENCE)
class ContainerErrorsConfig implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private final ProblemWriter problems;

    ContainerErrorsConfig(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addEngineValves(new PausedConnectorValve(problems));
        // runs after Spring Boot's customizer, which adds a plain ErrorReportValve: replace it
        factory.addContextCustomizers(context -> {
            Container parent = context.getParent();
            if (parent instanceof StandardHost host) {
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.getPipeline().addValve(new ProblemErrorReportValve());
                // the host adds a default valve at start unless one of this class name is present
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }

    /** Public: Tomcat may instantiate it by class name. */
    public static final class ProblemErrorReportValve extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            String title = status >= 500 ? "Internal error" : "Bad request";
            String detail = status >= 500 ? "Something went wrong on our side."
                    : "The request was rejected by the server (malformed URL or headers)";
            try {
                response.setContentType("application/problem+json");
                response.setCharacterEncoding("UTF-8");
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write("{\"type\":\"https://engage.dev/problems/" + (status >= 500 ? "internal" : "bad-request")
                            + "\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // the client went away; nothing more to say
            }
        }
    }

    /**
     * 503 for a request that reaches the container after its connector was paused (graceful shutdown). Tomcat refuses
     * new connections then, but a request whose first line it was reading at the instant of the pause is marked 503
     * with its headers left unread, and then, lacking a Host header, turned into a 400 (Tomcat 10.1.55,
     * {@code Http11Processor.service}): a client would not retry that, and the widget would show it as the visitor's
     * mistake. Answered here before anything of the application runs, so the client retries on another node. The
     * pipeline runs again for an async dispatch or error of a request already in progress (a streamed answer): those
     * are not new requests and pass.
     */
    static final class PausedConnectorValve extends ValveBase {

        static final long RETRY_AFTER_SECONDS = 1;

        private final ProblemWriter problems;

        PausedConnectorValve(ProblemWriter problems) {
            super(true);
            this.problems = problems;
        }

        @Override
        public void invoke(Request request, Response response) throws IOException, ServletException {
            if (request.isAsync() || request.isAsyncDispatching() || !paused(request)) {
                getNext().invoke(request, response);
                return;
            }
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER_SECONDS));
            response.setHeader(HttpHeaders.CONNECTION, "close");
            problems.write(request, response, HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Temporarily unavailable",
                    "This server is shutting down; please try again");
        }

        private static boolean paused(Request request) {
            return request.getConnector().getProtocolHandler() instanceof AbstractProtocol<?> protocol
                    && protocol.isPaused();
        }
    }
}
