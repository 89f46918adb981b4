package io.engage.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.EngageApplication;
import io.engage.support.Api;
import io.engage.support.DatabaseAvailableCondition;
import io.engage.support.IntegrationTest;
import io.engage.support.TestDatabase;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * HTTPS from a PKCS12 keystore and from PEM files, the plain-HTTP port that redirects to HTTPS, HSTS, and forwarded
 * headers off (the default) and on. Certificates are self-signed, made by the JDK's keytool for this run; each
 * client trusts only the certificate its server should present. Two servers in all, on the run's database.
 */
@ExtendWith(DatabaseAvailableCondition.class)
class TlsIT {

    private static final String STORE_PASSWORD = "tls-it-" + UUID.randomUUID();
    private static final String HSTS = "max-age=31536000\\s*;\\s*includeSubDomains";

    private static Path certificates;

    /** HTTPS from a PKCS12 keystore, a redirecting HTTP port, forwarded headers off. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Pkcs12KeystoreWithRedirect {

        private Server server;

        @BeforeAll
        void start() throws Exception {
            Path keystore = selfSigned("pkcs12");
            server = Server.start(Map.of("engage.tls.keystore", keystore.toString(),
                    "engage.tls.keystore-password", STORE_PASSWORD, "engage.tls.redirect-port", "0"),
                    trusting(keystore));
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @Test
        void servesHttpsWithHsts() {
            Api.Response health = server.https.get("/actuator/health", null);
            assertThat(health.status()).as(health.toString()).isEqualTo(200);
            assertThat(health.json().get("status").asText()).isEqualTo("UP");
            assertThat(health.header("Strict-Transport-Security")).matches(HSTS);
            // problems and the agent API (its own security chain) too
            Api.Response unauthorized = server.https.get("/company/agents", null);
            assertThat(unauthorized.status()).isEqualTo(401);
            assertThat(unauthorized.header("Strict-Transport-Security")).matches(HSTS);
            Api.Response agentApi = server.https.get("/agent/config", null);
            assertThat(agentApi.status()).isEqualTo(401);
            assertThat(agentApi.header("Strict-Transport-Security")).matches(HSTS);
            // the API works end to end over HTTPS
            assertThat(server.adminToken()).isNotBlank();
        }

        @Test
        void theHttpPortRedirectsEveryRequestPermanentlyKeepingPathAndQuery() {
            String target = "https://localhost:" + server.httpsPort;
            Api.Response page = server.http.get("/app/agents/x%20y?tab=keys&q=a%20b", null);
            assertThat(page.status()).isEqualTo(308);
            assertThat(page.header("Location")).isEqualTo(target + "/app/agents/x%20y?tab=keys&q=a%20b");
            assertThat(page.header("Strict-Transport-Security")).isNull(); // meaningless over HTTP

            Api.Response login = server.http.post("/company/login", null, Map.of("email", "a@example.com",
                    "password", "not-sent-over-http"));
            assertThat(login.status()).isEqualTo(308);
            assertThat(login.header("Location")).isEqualTo(target + "/company/login");

            Api.Response root = server.http.get("/", null);
            assertThat(root.status()).isEqualTo(308);
            assertThat(root.header("Location")).isEqualTo(target + "/");

            // the redirect leads to the same resource over HTTPS
            Api.Response followed = new Api(target, server.https.http()).get("/actuator/health?probe=1", null);
            assertThat(followed.status()).isEqualTo(200);
        }

        @Test
        void forwardedHeadersAreIgnoredUnlessSwitchedOn() {
            // a client claiming HTTPS over plain HTTP is still redirected
            Api.Response claimed = server.http.send("GET", "/actuator/health", null, null, null,
                    "X-Forwarded-Proto", "https");
            assertThat(claimed.status()).isEqualTo(308);
            // and cannot choose the address the audit log records (nor the one sign-ins are throttled by)
            String account = "nobody-" + UUID.randomUUID() + "@example.com";
            assertThat(server.https.send("POST", "/company/login", null, Map.of("email", account,
                    "password", "wrong-password-1"), "application/json", "X-Forwarded-For", "203.0.113.7")
                    .status()).isEqualTo(401);
            assertThat(server.auditedAddressOfFailedLogin(account)).isEqualTo("127.0.0.1");
        }
    }

    /** HTTPS from PEM certificate and key files, behind a proxy: forwarded headers on. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class PemFilesBehindAProxy {

        private Server server;

        @BeforeAll
        void start() throws Exception {
            Path keystore = selfSigned("pem");
            Path[] pem = toPem(keystore);
            // port mapping in front (443 outside): the redirect names the public port
            server = Server.start(Map.of("engage.tls.cert", pem[0].toString(), "engage.tls.key", pem[1].toString(),
                    "engage.tls.redirect-port", "0", "engage.tls.public-port", "443",
                    "engage.web.forwarded-headers", "true"), trusting(keystore));
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @Test
        void servesHttpsWithTheCertificateFromThePemFiles() throws Exception {
            // the client trusts only the PEM certificate: the handshake proves which one the server presents
            Api.Response health = server.https.get("/actuator/health", null);
            assertThat(health.status()).as(health.toString()).isEqualTo(200);
            assertThat(health.header("Strict-Transport-Security")).matches(HSTS);
            // a client that trusts another certificate refuses the connection
            Api stranger = new Api("https://localhost:" + server.httpsPort,
                    HttpClient.newBuilder().sslContext(trusting(selfSigned("stranger"))).build());
            try {
                stranger.get("/actuator/health", null);
                throw new AssertionError("a client that does not trust the server's certificate connected");
            } catch (IllegalStateException e) {
                assertThat(e.getCause()).isInstanceOf(SSLHandshakeException.class);
            }
        }

        @Test
        void aProxysForwardedProtoAndForAreHonoured() {
            // what a TLS-terminating proxy sends to the plain port: served, not redirected, and treated as secure
            String account = "proxied-" + UUID.randomUUID() + "@example.com";
            Api.Response login = server.http.send("POST", "/company/login", null, Map.of("email", account,
                    "password", "wrong-password-1"), "application/json", "X-Forwarded-Proto", "https",
                    "X-Forwarded-For", "203.0.113.7", "X-Forwarded-Host", "engage.example.com");
            assertThat(login.status()).as(login.toString()).isEqualTo(401);
            assertThat(login.header("Strict-Transport-Security")).matches(HSTS);
            // the client address the proxy reported is the one audited (and throttled)
            assertThat(server.auditedAddressOfFailedLogin(account)).isEqualTo("203.0.113.7");

            // without the proxy's word, the plain port still redirects
            Api.Response direct = server.http.get("/actuator/health?probe=1", null);
            assertThat(direct.status()).isEqualTo(308);
            assertThat(direct.header("Location")).isEqualTo("https://localhost/actuator/health?probe=1");
            Api.Response plainProxy = server.http.send("GET", "/actuator/health", null, null, null,
                    "X-Forwarded-Proto", "http");
            assertThat(plainProxy.status()).isEqualTo(308);
        }
    }

    /** A running server: its HTTPS and plain-HTTP ports and clients for them. */
    private record Server(ConfigurableApplicationContext context, int httpsPort, Api https, Api http)
            implements AutoCloseable {

        static Server start(Map<String, String> settings, SSLContext trust) {
            Map<String, String> properties = new HashMap<>(TestDatabase.properties());
            properties.put("server.port", "0");
            properties.put("engage.admin.email", IntegrationTest.ADMIN_EMAIL);
            properties.put("engage.admin.password", IntegrationTest.ADMIN_PASSWORD);
            properties.putAll(settings);
            // command-line arguments take precedence over application.yml, like a real node's environment
            String[] arguments = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                    .toArray(String[]::new);
            ConfigurableApplicationContext context = new SpringApplicationBuilder(EngageApplication.class)
                    .run(arguments);
            TomcatWebServer web = (TomcatWebServer) ((WebServerApplicationContext) context).getWebServer();
            int httpsPort = web.getPort();
            int httpPort = -1;
            for (Connector connector : web.getTomcat().getService().findConnectors()) {
                assertThat(connector.getLocalPort()).isPositive();
                if (!connector.getSecure()) {
                    httpPort = connector.getLocalPort();
                }
            }
            assertThat(httpPort).as("the plain-HTTP redirect connector").isPositive();
            HttpClient tls = HttpClient.newBuilder().sslContext(trust).build();
            return new Server(context, httpsPort, new Api("https://localhost:" + httpsPort, tls),
                    new Api(httpPort));
        }

        String adminToken() {
            Api.Response response = https.post("/admin/login", null,
                    Map.of("email", IntegrationTest.ADMIN_EMAIL, "password", IntegrationTest.ADMIN_PASSWORD));
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            return response.json().get("accessToken").asText();
        }

        String auditedAddressOfFailedLogin(String account) {
            Api.Response audit = https.get("/admin/audit?action=auth.login_failed&actorEmail=" + account,
                    adminToken());
            assertThat(audit.status()).as(audit.toString()).isEqualTo(200);
            List<JsonNode> items = audit.json().get("items").findParents("ip");
            assertThat(items).as(audit.toString()).hasSize(1);
            return items.get(0).get("ip").asText();
        }

        @Override
        public void close() {
            if (context != null) {
                context.close();
            }
        }
    }

    /** A PKCS12 keystore with a fresh self-signed EC certificate for localhost and 127.0.0.1. */
    private static synchronized Path selfSigned(String name) throws Exception {
        if (certificates == null) {
            certificates = Files.createTempDirectory("engage-tls-it-");
        }
        Path keystore = certificates.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", name, "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost, O=Engage TlsIT", "-ext",
                "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                keystore.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD)
                .redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return keystore;
    }

    private static KeyStore load(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        return store;
    }

    /** The keystore's certificate and private key (PKCS#8) as PEM files, as openssl would write them. */
    private static Path[] toPem(Path keystore) throws Exception {
        KeyStore store = load(keystore);
        String alias = store.aliases().nextElement();
        Certificate certificate = store.getCertificate(alias);
        PrivateKey key = (PrivateKey) store.getKey(alias, STORE_PASSWORD.toCharArray());
        Path cert = keystore.resolveSibling(alias + "-cert.pem");
        Path keyFile = keystore.resolveSibling(alias + "-key.pem");
        Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
        return new Path[] {cert, keyFile};
    }

    private static String pem(String type, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
    }

    /** A TLS client context that trusts exactly the keystore's certificate. */
    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore source = load(keystore);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", source.getCertificate(source.aliases().nextElement()));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
