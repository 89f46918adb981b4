package io.engage.knowledge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Fetches a web page and reduces it to its main text. Follows at most {@value #MAX_REDIRECTS} redirects itself so
 * that every hop passes the same checks: http or https only and, unless private addresses are allowed, no host that
 * resolves to a loopback, private, link-local or otherwise internal address (SSRF). The timeout bounds the whole
 * fetch, redirects and body included, and the body is read only up to maxBytes. Thread-safe.
 */
final class WebPageFetcher {

    /**
     * A fetched page.
     *
     * @param finalUrl the URL after redirects, which the page's text came from
     * @param title    the page's title; the URL when the page has none
     * @param document the page's main text
     */
    record FetchedPage(String finalUrl, String title, ParsedDocument document) { }

    static final String USER_AGENT = "EngageBot/1.0 (+https://engage.dev)";
    static final int MAX_REDIRECTS = 5;

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final Set<String> HTML_TYPES = Set.of("text/html", "application/xhtml+xml");
    private static final String TEXT_TYPE = "text/plain";

    private final Duration timeout;
    private final long maxBytes;
    private final boolean allowPrivateAddresses;
    private final HttpClient client;
    private final DocumentParser parser = new DocumentParser();

    /**
     * @param timeout               limit on the whole fetch, redirects and body included
     * @param maxBytes              the largest body accepted
     * @param allowPrivateAddresses true to allow local and private-network addresses (development and tests only)
     */
    WebPageFetcher(Duration timeout, long maxBytes, boolean allowPrivateAddresses) {
        if (timeout.isNegative() || timeout.isZero() || maxBytes < 1) {
            throw new IllegalArgumentException("timeout and maxBytes must be positive");
        }
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.allowPrivateAddresses = allowPrivateAddresses;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER) // followed by hand, each hop re-validated
                .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade dance with plain-http servers
                .build();
    }

    FetchedPage fetch(String url) throws DocumentParseException {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI uri = validUrl(url);
        for (int redirects = 0; ; redirects++) {
            requirePublicHost(uri);
            HttpResponse<byte[]> response = send(uri, deadline);
            int status = response.statusCode();
            if (REDIRECTS.contains(status)) {
                if (redirects == MAX_REDIRECTS) {
                    throw new DocumentParseException("The page redirects more than " + MAX_REDIRECTS + " times", null);
                }
                uri = redirectTarget(uri, response.headers());
                continue;
            }
            return toPage(uri, response);
        }
    }

    // ---- validation ----

    private static URI validUrl(String url) throws DocumentParseException {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.strip());
        } catch (URISyntaxException e) {
            throw new DocumentParseException("The URL is not valid", e);
        }
        return requireHttp(uri);
    }

    private static URI requireHttp(URI uri) throws DocumentParseException {
        if (uri.getScheme() == null) {
            throw new DocumentParseException("The URL must start with http:// or https://", null);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new DocumentParseException("Only http and https URLs can be imported", null);
        }
        if (uri.getHost() == null) {
            throw new DocumentParseException("The URL is not valid", null);
        }
        return uri;
    }

    private static URI redirectTarget(URI from, HttpHeaders headers) throws DocumentParseException {
        String location = headers.firstValue("Location")
                .orElseThrow(() -> new DocumentParseException("The page redirects without saying where", null));
        try {
            return requireHttp(from.resolve(location.strip()));
        } catch (IllegalArgumentException e) {
            throw new DocumentParseException("The page redirects to an invalid URL", e);
        }
    }

    private void requirePublicHost(URI uri) throws DocumentParseException {
        if (allowPrivateAddresses) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new DocumentParseException("The host " + uri.getHost() + " could not be found", e);
        }
        // every address counts: the HTTP client may connect to any of them
        for (InetAddress address : addresses) {
            if (isPrivate(address)) {
                throw new DocumentParseException("The URL points to a private or local address", null);
            }
        }
    }

    static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            // 0.0.0.0/8 reaches the local host on Linux; 100.64.0.0/10 (carrier-grade NAT) is internal in many clouds
            return bytes[0] == 0 || (bytes[0] == 100 && (bytes[1] & 0xC0) == 64);
        }
        return address instanceof Inet6Address && (bytes[0] & 0xFE) == 0xFC; // fc00::/7 unique local
    }

    // ---- HTTP ----

    private HttpResponse<byte[]> send(URI uri, long deadline) throws DocumentParseException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw timedOut(null);
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofNanos(remaining))
                    .header("User-Agent", USER_AGENT)
                    .header("Accept", "text/html,application/xhtml+xml,text/plain;q=0.9")
                    .GET()
                    .build();
        } catch (IllegalArgumentException e) {
            throw new DocumentParseException("The URL is not valid", e);
        }
        CompletableFuture<HttpResponse<byte[]>> response = client.sendAsync(request, this::bodyFor);
        try {
            // the request timeout stops at the response headers; this bounds the body too
            return response.get(remaining, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            response.cancel(true);
            throw timedOut(e);
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            throw new DocumentParseException("Fetching the page was interrupted", e);
        } catch (ExecutionException e) {
            throw failed(e.getCause());
        }
    }

    /** Reads the body only of a response we will use; others are abandoned unread. */
    private BodySubscriber<byte[]> bodyFor(ResponseInfo info) {
        boolean wanted = info.statusCode() / 100 == 2
                && isSupported(mediaType(info.headers()))
                && declaredLength(info.headers()).orElse(0) <= maxBytes;
        return new CappedBody(wanted ? maxBytes : 0);
    }

    private DocumentParseException failed(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodyTooLargeException) {
                return tooLarge(failure);
            }
            if (cause instanceof HttpTimeoutException) {
                return timedOut(failure);
            }
            if (cause instanceof ConnectException) {
                return new DocumentParseException("The site could not be reached", failure);
            }
            if (cause instanceof SSLException) {
                return new DocumentParseException("The site's secure connection (HTTPS) could not be established",
                        failure);
            }
        }
        return new DocumentParseException("The page could not be fetched", failure);
    }

    private DocumentParseException timedOut(Throwable cause) {
        return new DocumentParseException("The page did not load within " + timeout.toMillis() + " ms", cause);
    }

    private DocumentParseException tooLarge(Throwable cause) {
        return new DocumentParseException("The page is larger than " + maxBytes + " bytes", cause);
    }

    // ---- content ----

    private FetchedPage toPage(URI uri, HttpResponse<byte[]> response) throws DocumentParseException {
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw new DocumentParseException("The page could not be fetched: the server answered HTTP " + status, null);
        }
        String mediaType = mediaType(response.headers());
        if (!isSupported(mediaType)) {
            throw new DocumentParseException("The URL returned " + (mediaType.isEmpty() ? "content of unknown type"
                    : mediaType) + ", not a web page or plain text", null);
        }
        if (declaredLength(response.headers()).orElse(0) > maxBytes) {
            throw tooLarge(null);
        }
        String finalUrl = uri.toString();
        Charset charset = charset(response.headers());
        ParsedDocument document = HTML_TYPES.contains(mediaType)
                ? parser.parseHtml(response.body(), charset, finalUrl)
                : parser.parseText(charset == null ? DocumentParser.decode(response.body())
                        : new String(response.body(), charset), null);
        if (document.sections().isEmpty()) {
            throw new DocumentParseException("The page contains no extractable text (it may need JavaScript to show "
                    + "its content)", null);
        }
        String title = document.title() != null ? document.title() : finalUrl;
        return new FetchedPage(finalUrl, title, new ParsedDocument(title, document.sections()));
    }

    private static boolean isSupported(String mediaType) {
        return HTML_TYPES.contains(mediaType) || mediaType.equals(TEXT_TYPE);
    }

    /** The Content-Type without parameters, lower-cased; empty when absent. */
    private static String mediaType(HttpHeaders headers) {
        String contentType = headers.firstValue("Content-Type").orElse("");
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    /** The Content-Type's charset parameter, or null when absent or unknown. */
    private static Charset charset(HttpHeaders headers) {
        String contentType = headers.firstValue("Content-Type").orElse("");
        for (String parameter : contentType.split(";")) {
            String[] pair = parameter.split("=", 2);
            if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("charset")) {
                String name = pair[1].strip().replace("\"", "");
                try {
                    return Charset.forName(name);
                } catch (IllegalArgumentException unknown) {
                    return null; // a wrong label is common; the bytes themselves are the better guide
                }
            }
        }
        return null;
    }

    private static OptionalLong declaredLength(HttpHeaders headers) {
        return headers.firstValueAsLong("Content-Length");
    }

    /** Failure of a body that grew past maxBytes. */
    private static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(long maxBytes) {
            super("Response body exceeds " + maxBytes + " bytes");
        }
    }

    /**
     * Collects a response body of at most {@code limit} bytes, cancelling the download as soon as it grows past it.
     * With a limit of 0 the body is not read at all and the result is empty.
     */
    private static final class CappedBody implements BodySubscriber<byte[]> {

        private final long limit;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        CappedBody(long limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (limit == 0) {
                subscription.cancel();
                result.complete(new byte[0]);
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (body.size() + (long) buffer.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new BodyTooLargeException(limit));
                    return;
                }
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                body.writeBytes(bytes);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable failure) {
            result.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            result.complete(body.toByteArray());
        }
    }
}
