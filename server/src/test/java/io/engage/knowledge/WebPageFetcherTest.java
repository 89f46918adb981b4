package io.engage.knowledge;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebPageFetcherTest {

    private static final String PAGE = """
            <html><head><title>Shipping | Acme</title></head>
            <body>
              <nav><a href="/">Home</a> <a href="/about">About</a></nav>
              <main>
                <h1>Shipping</h1>
                <p>We ship worldwide within three days.</p>
                <h2>Returns</h2>
                <p>Returns are free for thirty days.</p>
              </main>
              <footer>Copyright Acme</footer>
            </body></html>
            """;

    private final CountDownLatch release = new CountDownLatch(1);
    private final Map<String, String> userAgents = new ConcurrentHashMap<>();
    private ExecutorService executor;
    private HttpServer server;
    private String base;
    private WebPageFetcher fetcher;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/page", exchange -> {
            userAgents.put("/page", exchange.getRequestHeaders().getFirst("User-Agent"));
            respond(exchange, 200, "text/html; charset=utf-8", PAGE.getBytes(UTF_8));
        });
        server.createContext("/notes.txt", exchange -> respond(exchange, 200, "text/plain",
                "Opening hours.\n\nMonday to Friday,\nnine to five.".getBytes(UTF_8)));
        server.createContext("/old", exchange -> redirect(exchange, 301, base + "/moved"));
        server.createContext("/moved", exchange -> redirect(exchange, 302, "page")); // relative
        server.createContext("/loop", exchange -> redirect(exchange, 302, "/loop"));
        server.createContext("/to-ftp", exchange -> redirect(exchange, 302, "ftp://files.example.test/a"));
        server.createContext("/missing", exchange -> respond(exchange, 404, "text/html", "<p>Not here</p>"
                .getBytes(UTF_8)));
        server.createContext("/logo.png", exchange -> respond(exchange, 200, "image/png", new byte[64]));
        server.createContext("/huge", exchange -> {
            // chunked: the size is only found out while reading
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                byte[] block = "<p>filler text</p>".repeat(100).getBytes(UTF_8);
                for (int i = 0; i < 100; i++) {
                    body.write(block);
                }
            } catch (IOException clientHungUp) {
                // expected: the fetcher stops reading past its limit
            }
        });
        server.createContext("/huge-declared", exchange -> respond(exchange, 200, "text/html",
                new byte[200_000]));
        server.createContext("/slow", exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "text/html", PAGE.getBytes(UTF_8));
        });
        server.createContext("/empty", exchange -> respond(exchange, 200, "text/html",
                "<html><body><div id=\"app\"></div><script src=\"app.js\"></script></body></html>".getBytes(UTF_8)));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        fetcher = new WebPageFetcher(Duration.ofMillis(500), 100_000, true);
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    @Test
    void fetchesTheMainTextAndTitleOfAPage() throws Exception {
        WebPageFetcher.FetchedPage page = fetcher.fetch(base + "/page");

        assertThat(page.finalUrl()).isEqualTo(base + "/page");
        assertThat(page.title()).isEqualTo("Shipping | Acme");
        assertThat(page.document().sections()).containsExactly(
                new Section(List.of("Shipping"), List.of("We ship worldwide within three days.")),
                new Section(List.of("Shipping", "Returns"), List.of("Returns are free for thirty days.")));
        assertThat(userAgents).containsEntry("/page", "EngageBot/1.0 (+https://engage.dev)");
    }

    @Test
    void fetchesPlainText() throws Exception {
        WebPageFetcher.FetchedPage page = fetcher.fetch(base + "/notes.txt");

        assertThat(page.title()).isEqualTo(base + "/notes.txt");
        assertThat(page.document().sections()).containsExactly(
                new Section(List.of(), List.of("Opening hours.", "Monday to Friday, nine to five.")));
    }

    @Test
    void followsRedirectsAndReportsTheFinalUrl() throws Exception {
        WebPageFetcher.FetchedPage page = fetcher.fetch(base + "/old");

        assertThat(page.finalUrl()).isEqualTo(base + "/page");
        assertThat(page.title()).isEqualTo("Shipping | Acme");
    }

    @Test
    void refusesEndlessRedirectsAndRedirectsToOtherSchemes() {
        assertThatThrownBy(() -> fetcher.fetch(base + "/loop"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessage("The page redirects more than 5 times");
        assertThatThrownBy(() -> fetcher.fetch(base + "/to-ftp"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessage("Only http and https URLs can be imported");
    }

    @Test
    void reportsErrorStatuses() {
        assertThatThrownBy(() -> fetcher.fetch(base + "/missing"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessageContaining("HTTP 404");
    }

    @Test
    void refusesContentThatIsNotAPage() {
        assertThatThrownBy(() -> fetcher.fetch(base + "/logo.png"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessageContaining("image/png");
    }

    @Test
    void refusesBodiesLargerThanTheLimit() {
        assertThatThrownBy(() -> fetcher.fetch(base + "/huge"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessage("The page is larger than 100000 bytes");
        assertThatThrownBy(() -> fetcher.fetch(base + "/huge-declared"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessage("The page is larger than 100000 bytes");
    }

    @Test
    void givesUpOnSlowServersAfterTheTimeout() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> fetcher.fetch(base + "/slow"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessage("The page did not load within 500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void reportsPagesWithoutText() {
        assertThatThrownBy(() -> fetcher.fetch(base + "/empty"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessageStartingWith("The page contains no extractable text");
    }

    @Test
    void refusesLocalAddressesUnlessAllowed() {
        WebPageFetcher strict = new WebPageFetcher(Duration.ofMillis(500), 100_000, false);

        for (String url : List.of(base + "/page", "http://localhost:" + server.getAddress().getPort() + "/page",
                "http://[::1]/", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.8/")) {
            assertThatThrownBy(() -> strict.fetch(url))
                    .as(url)
                    .isInstanceOf(DocumentParseException.class)
                    .hasMessage("The URL points to a private or local address");
        }
    }

    @Test
    void classifiesPrivateAndPublicAddresses() throws Exception {
        for (String address : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                "0.0.0.0", "100.64.0.1", "224.0.0.1", "::1", "::", "fe80::1", "fd12:3456::1", "fc00::1", "ff02::1",
                "::ffff:127.0.0.1")) {
            assertThat(WebPageFetcher.isPrivate(InetAddress.getByName(address))).as(address).isTrue();
        }
        for (String address : List.of("8.8.8.8", "93.184.216.34", "100.128.0.1", "2001:4860:4860::8888")) {
            assertThat(WebPageFetcher.isPrivate(InetAddress.getByName(address))).as(address).isFalse();
        }
    }

    @Test
    void refusesOtherSchemesAndMalformedUrls() {
        assertThatThrownBy(() -> fetcher.fetch("ftp://files.example.test/manual.txt"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessage("Only http and https URLs can be imported");
        assertThatThrownBy(() -> fetcher.fetch("file:///etc/passwd"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessage("Only http and https URLs can be imported");
        assertThatThrownBy(() -> fetcher.fetch("http://exa mple.test/"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessage("The URL is not valid");
        assertThatThrownBy(() -> fetcher.fetch("http:///no-host"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessage("The URL is not valid");
        assertThatThrownBy(() -> fetcher.fetch("www.example.test"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessage("The URL must start with http:// or https://");
    }

    private static void redirect(HttpExchange exchange, int status, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        } catch (IOException clientHungUp) {
            // the fetcher abandons bodies it does not want
        }
    }
}
