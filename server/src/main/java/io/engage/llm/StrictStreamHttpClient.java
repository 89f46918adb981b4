package io.engage.llm;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpClientBuilderLoader;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * LangChain4j's HTTP client, made strict about broken streams. Out of the box, an exception while a provider
 * client parses an event (a garbage line) is logged and ignored, and the Ollama client ignores a stream that closes
 * before its {@code "done": true} line: either way the caller would wait for its timeout. Here a parse failure ends
 * the stream with an error, and (where {@code closeIsError}) so does a close; a close after a normal completion
 * produces a late error that nobody reads any more.
 */
final class StrictStreamHttpClient implements HttpClient {

    /** A stream that ended, or could not be parsed, without the provider's end-of-answer marker. */
    static final class BrokenStreamException extends RuntimeException {

        BrokenStreamException(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private final HttpClient delegate;
    private final boolean closeIsError;

    private StrictStreamHttpClient(HttpClient delegate, boolean closeIsError) {
        this.delegate = delegate;
        this.closeIsError = closeIsError;
    }

    static HttpClientBuilder builder(boolean closeIsError) {
        return new Builder(closeIsError);
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) throws HttpException {
        return delegate.execute(request);
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        delegate.execute(request, parser, new StrictListener(listener, closeIsError));
    }

    private static final class StrictListener implements ServerSentEventListener {

        private final ServerSentEventListener delegate;
        private final boolean closeIsError;
        private final AtomicBoolean ended = new AtomicBoolean();

        StrictListener(ServerSentEventListener delegate, boolean closeIsError) {
            this.delegate = delegate;
            this.closeIsError = closeIsError;
        }

        @Override
        public void onOpen(SuccessfulHttpResponse response) {
            delegate.onOpen(response);
        }

        @Override
        public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
            if (ended.get()) {
                return;
            }
            try {
                delegate.onEvent(event, context);
            } catch (RuntimeException unparseable) {
                context.parsingHandle().cancel();
                fail(new BrokenStreamException("malformed stream event", unparseable));
            }
        }

        @Override
        public void onEvent(ServerSentEvent event) {
            if (ended.get()) {
                return;
            }
            try {
                delegate.onEvent(event);
            } catch (RuntimeException unparseable) {
                fail(new BrokenStreamException("malformed stream event", unparseable));
            }
        }

        @Override
        public void onError(Throwable error) {
            fail(error);
        }

        @Override
        public void onClose() {
            if (ended.get()) {
                return;
            }
            delegate.onClose();
            if (closeIsError) {
                fail(new BrokenStreamException("stream closed", null));
            }
        }

        private void fail(Throwable error) {
            if (ended.compareAndSet(false, true)) {
                delegate.onError(error);
            }
        }
    }

    private static final class Builder implements HttpClientBuilder {

        private final boolean closeIsError;
        private Duration connectTimeout;
        private Duration readTimeout;

        Builder(boolean closeIsError) {
            this.closeIsError = closeIsError;
        }

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public HttpClientBuilder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public HttpClientBuilder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        @Override
        public HttpClient build() {
            // the client LangChain4j would have used on its own (the JDK one on this classpath)
            return new StrictStreamHttpClient(HttpClientBuilderLoader.loadHttpClientBuilder()
                    .connectTimeout(connectTimeout).readTimeout(readTimeout).build(), closeIsError);
        }
    }
}
