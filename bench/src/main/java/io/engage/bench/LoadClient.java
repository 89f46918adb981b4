package io.engage.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * The load generators' client (Apache HttpClient 5, classic blocking I/O): each client thread writes its request and
 * reads the answer on a pooled keep-alive connection itself. The JDK client hands every exchange to its selector
 * thread and back through futures, which took about 0.14 ms of CPU per request on the two cores the server shares
 * with it; this one takes a fraction of that, so that the figures describe the server rather than the client.
 */
final class LoadClient {

    private final CloseableHttpClient client;

    /** Up to {@code connections} requests at once (one keep-alive connection each). */
    LoadClient(int connections, java.time.Duration timeout) {
        Timeout limit = Timeout.of(timeout);
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(connections).setMaxConnPerRoute(connections)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(limit)
                                .setSocketTimeout(limit).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(limit).build())
                // every refusal and failure is counted by the caller, never retried or followed
                .disableAutomaticRetries().disableRedirectHandling().disableCookieManagement()
                .disableContentCompression().disableAuthCaching().disableConnectionState()
                .build();
    }

    /** POSTs {@code body} as JSON; status -1 and the exception text when there was no response. */
    Http.Response post(URI uri, Map<String, String> headers, byte[] body) {
        ClassicRequestBuilder request = ClassicRequestBuilder.post(uri)
                .setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        headers.forEach(request::setHeader);
        try {
            return client.execute(request.build(), response -> new Http.Response(response.getCode(),
                    response.getEntity() == null ? ""
                            : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8), null));
        } catch (IOException e) {
            return new Http.Response(-1, e.toString(), null);
        }
    }
}
