package io.engage.web;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * ENGAGE_TLS_REDIRECT_PORT: a second, plain-HTTP connector on that port answers every request with a permanent
 * redirect to the same path and query over HTTPS (308, so that a method and body are kept too). A request on it that
 * a trusted proxy marked as HTTPS ({@code X-Forwarded-Proto: https} with forwarded headers on) is served as usual.
 */
@Configuration(proxyBeanMethods = false)
@Order(Ordered.LOWEST_PRECEDENCE) // after Spring Boot's customizers: TLS is configured, the forwarded-headers valve added
class HttpsRedirectConfig implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private final Integer redirectPort;
    private final Integer publicPort;
    private final boolean command;

    HttpsRedirectConfig(@Value("${engage.tls.redirect-port:}") Integer redirectPort,
            @Value("${engage.tls.public-port:}") Integer publicPort, @Value("${engage.command:}") String command) {
        this.redirectPort = redirectPort;
        this.publicPort = publicPort;
        this.command = !command.isBlank();
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        if (redirectPort == null || command) {
            return; // no redirect, or a one-off command (reencrypt) that serves nothing: no port to take
        }
        if (!Ssl.isEnabled(factory.getSsl())) {
            throw new IllegalStateException("ENGAGE_TLS_REDIRECT_PORT redirects to HTTPS, which is off: set "
                    + "ENGAGE_TLS_KEYSTORE, or ENGAGE_TLS_CERT and ENGAGE_TLS_KEY");
        }
        Connector plain = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
        plain.setPort(redirectPort);
        if (factory.getAddress() != null) {
            plain.setProperty("address", factory.getAddress().getHostAddress());
        }
        factory.addAdditionalTomcatConnectors(plain);
        // an engine valve runs after the forwarded-headers valve (added earlier) and before any servlet or filter
        factory.addEngineValves(new RedirectToHttpsValve(plain, publicPort));
    }

    static final class RedirectToHttpsValve extends ValveBase {

        private final Connector plain;
        /** The HTTPS port clients use when port mapping makes it differ from the one the server listens on. */
        private final Integer publicPort;

        RedirectToHttpsValve(Connector plain, Integer publicPort) {
            super(true);
            this.plain = plain;
            this.publicPort = publicPort;
        }

        @Override
        public void invoke(Request request, Response response) throws IOException, ServletException {
            if (request.getConnector() != plain || request.isSecure()) {
                getNext().invoke(request, response);
                return;
            }
            response.setStatus(308);
            response.setHeader("Location", httpsUrl(request));
            response.setContentLength(0);
        }

        /** https://host[:port]/path?query, with the public HTTPS port, by default the one the server listens on. */
        private String httpsUrl(Request request) {
            String host = request.getServerName();
            if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
                host = "[" + host + "]"; // an IPv6 address without a Host header
            }
            int port = publicPort != null ? publicPort : httpsPort();
            String query = request.getQueryString();
            return "https://" + host + (port == 443 || port <= 0 ? "" : ":" + port) + request.getRequestURI()
                    + (query == null ? "" : "?" + query);
        }

        private int httpsPort() {
            for (Connector connector : plain.getService().findConnectors()) {
                if (connector.getSecure()) {
                    return connector.getLocalPort();
                }
            }
            return -1;
        }
    }
}
