package io.engage.web;

import io.engage.common.DatabaseOutages;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Errors raised outside Spring MVC (by the servlet container, e.g. a malformed URL, or by {@code sendError} in a
 * filter) end up at /error; answer them as problem+json too instead of Boot's default body. A filter that failed
 * because the database is unreachable gets 503, like a controller.
 */
@Controller
class ProblemErrorController implements ErrorController {

    private final ProblemWriter problems;

    ProblemErrorController(ProblemWriter problems) {
        this.problems = problems;
    }

    @RequestMapping("/error")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        HttpServletRequest original = new OriginalUri(request, uri == null ? request.getRequestURI() : uri.toString());
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure
                && DatabaseOutages.isOutage(failure)) {
            // e.g. a bearer token's user looked up while the database restarts: transient, so 503, not 500
            response.resetBuffer();
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(ProblemHandler.UNAVAILABLE_RETRY_AFTER_SECONDS));
            problems.write(original, response, ProblemHandler.unavailable());
            return;
        }
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null
                ? HttpStatus.valueOf(value) : HttpStatus.INTERNAL_SERVER_ERROR;
        String detail = status.is5xxServerError()
                ? "Something went wrong on our side. Quote the requestId when reporting it."
                : "The request could not be processed: " + status.getReasonPhrase();
        response.resetBuffer();
        problems.write(original, response, status, status.is5xxServerError() ? "internal" : "bad-request",
                status.getReasonPhrase(), detail);
    }

    /** Reports the URI the client asked for, not /error. */
    private static final class OriginalUri extends jakarta.servlet.http.HttpServletRequestWrapper {
        private final String uri;

        OriginalUri(HttpServletRequest request, String uri) {
            super(request);
            this.uri = uri;
        }

        @Override
        public String getRequestURI() {
            return uri;
        }
    }
}
