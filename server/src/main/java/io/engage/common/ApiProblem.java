package io.engage.common;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An expected failure with a client-facing RFC 7807 body. Services throw these; the web module renders them as
 * {@code application/problem+json}. Messages must never contain secrets or internals.
 */
public class ApiProblem extends ErrorResponseException {

    private static final String TYPE_BASE = "https://engage.dev/problems/";

    public ApiProblem(HttpStatus status, String type, String title, String detail) {
        super(status, problem(status, type, title, detail), null);
    }

    private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(title);
        return problem;
    }

    public ApiProblem with(String property, Object value) {
        getBody().setProperty(property, value);
        return this;
    }

    public static ApiProblem notFound(String resource, Object id) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "not-found", resource + " not found",
                resource + " " + id + " does not exist or is not visible to you");
    }

    public static ApiProblem badRequest(String title, String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, "bad-request", title, detail);
    }

    public static ApiProblem conflict(String title, String detail) {
        return new ApiProblem(HttpStatus.CONFLICT, "conflict", title, detail);
    }

    public static ApiProblem unprocessable(String field, String message) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, "validation", "Validation failed", field + ": " + message)
                .with("errors", java.util.List.of(Map.of("field", field, "message", message)));
    }

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail);
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail);
    }

    public static ApiProblem tooManyRequests(String detail, Duration retryAfter) {
        ApiProblem problem = new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests", detail);
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return problem.with("retryAfterSeconds", seconds);
    }
}
