package io.engage.llm;

import com.fasterxml.jackson.core.JacksonException;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;

/**
 * A provider call that failed before it produced any text. {@code reason} is short and free of secrets and prompt
 * text ("HTTP 500", "timeout"): it ends up in {@link LlmAnswer#fallbackReason()} and in logs, so it is built from
 * status codes and exception types only, never from messages or response bodies.
 *
 * <p>{@code retryable}: worth another attempt (5xx, 429, timeouts, connection trouble). {@code endpointFault}: says
 * something about the endpoint's health and so counts toward its circuit breaker; a 401 from one agent's bad key
 * must not open the circuit for every agent using the same endpoint.
 */
final class ProviderFailure extends RuntimeException {

    private final String reason;
    private final boolean retryable;
    private final boolean endpointFault;

    ProviderFailure(String reason, boolean retryable, boolean endpointFault) {
        super(reason, null, false, false);
        this.reason = reason;
        this.retryable = retryable;
        this.endpointFault = endpointFault;
    }

    String reason() {
        return reason;
    }

    boolean retryable() {
        return retryable;
    }

    boolean endpointFault() {
        return endpointFault;
    }

    static ProviderFailure timeout() {
        return new ProviderFailure("timeout", true, true);
    }

    static ProviderFailure emptyResponse() {
        return new ProviderFailure("empty response", false, true);
    }

    static ProviderFailure of(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProviderFailure failure) {
                return failure;
            }
            if (cause instanceof HttpException http) {
                return httpStatus(http.statusCode());
            }
            if (cause instanceof dev.langchain4j.exception.TimeoutException || cause instanceof TimeoutException
                    || cause instanceof HttpTimeoutException || cause instanceof SocketTimeoutException) {
                return timeout();
            }
            if (cause instanceof ConnectException || cause instanceof UnknownHostException
                    || cause instanceof UnresolvedAddressException) {
                return new ProviderFailure("connection failed", true, true);
            }
            if (cause instanceof StrictStreamHttpClient.BrokenStreamException broken) {
                return broken.getCause() == null ? new ProviderFailure("stream ended early", true, true)
                        : new ProviderFailure("malformed response", false, true);
            }
            if (cause instanceof JacksonException) {
                return new ProviderFailure("malformed response", false, true);
            }
            if (cause.getCause() == null || cause.getCause() == cause) {
                break;
            }
        }
        // LangChain4j may map a status to its own exception type without keeping the HttpException as the cause
        if (error instanceof AuthenticationException) {
            return httpStatus(401);
        }
        if (error instanceof RateLimitException) {
            return httpStatus(429);
        }
        if (error instanceof ModelNotFoundException) {
            return httpStatus(404);
        }
        if (error instanceof InvalidRequestException) {
            return httpStatus(400);
        }
        if (error instanceof InternalServerException) {
            return httpStatus(500);
        }
        if (hasCause(error, IOException.class) || hasCause(error, UncheckedIOException.class)) {
            return new ProviderFailure("connection error", true, true);
        }
        return new ProviderFailure("request failed", false, true);
    }

    private static ProviderFailure httpStatus(int status) {
        boolean serverSide = status >= 500;
        return new ProviderFailure("HTTP " + status, serverSide || status == 429 || status == 408, serverSide);
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
