package io.engage.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.engage.common.DatabaseOutages;
import jakarta.validation.ConstraintViolationException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure inside Spring MVC into RFC 7807 problem+json: 400 malformed JSON, 413 too large, 415 wrong
 * content type, 422 validation (with per-field errors), 404 unknown ids, 409 conflicts, 503 with Retry-After while
 * the database is unreachable; and a bare 500 (logged, no details) for the unexpected. Bodies carry the request id so
 * a user can quote it.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
    private static final String TYPE_BASE = "https://engage.dev/problems/";
    /** Jackson's limit messages end by naming the Java setting: ", from `StreamReadConstraints.getMax...()`)". */
    private static final Pattern CONSTRAINT_SOURCE = Pattern.compile(",\\s*from `[^`]*`\\)");
    private static final Pattern SOURCE_LOCATION = Pattern.compile("\\s*\\(?(?:start marker )?at \\[Source:.*$");
    private static final Pattern JAVA_SETTING = Pattern.compile("`[\\w.$()]+`");

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        for (FieldError error : ex.getBindingResult().getFieldErrors()) {
            errors.add(Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage())));
        }
        ex.getBindingResult().getGlobalErrors().forEach(error -> errors.add(
                Map.of("field", error.getObjectName(), "message", String.valueOf(error.getDefaultMessage()))));
        return validationProblem(errors, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(result -> {
            String name = result.getMethodParameter().getParameterName();
            for (MessageSourceResolvable error : result.getResolvableErrors()) {
                String field = error instanceof FieldError fieldError ? fieldError.getField() : name;
                errors.add(Map.of("field", String.valueOf(field), "message", String.valueOf(error.getDefaultMessage())));
            }
        });
        return validationProblem(errors, request);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<Object> handleConstraintViolation(ConstraintViolationException ex, WebRequest request) {
        List<Map<String, String>> errors = ex.getConstraintViolations().stream()
                .map(v -> Map.of("field", v.getPropertyPath().toString(), "message", v.getMessage()))
                .toList();
        return validationProblem(errors, request);
    }

    private ResponseEntity<Object> validationProblem(List<Map<String, String>> errors, WebRequest request) {
        String detail = errors.stream().map(e -> e.get("field") + ": " + e.get("message"))
                .collect(Collectors.joining("; "));
        ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_ENTITY, "validation", "Validation failed", detail);
        problem.setProperty("errors", errors);
        return handleExceptionInternal(new IllegalArgumentException(detail), problem, new HttpHeaders(),
                HttpStatus.UNPROCESSABLE_ENTITY, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = ex.getCause();
        while (cause != null) {
            if (cause instanceof RequestBodyLimitFilter.BodyTooLargeException tooLarge) {
                ProblemDetail problem = problem(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large",
                        "Payload too large", "Request body exceeds the limit of " + tooLarge.limit + " bytes");
                return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.PAYLOAD_TOO_LARGE, request);
            }
            cause = cause.getCause();
        }
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed request body",
                describeUnreadable(ex));
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
    }

    /** Says what is wrong and where, without echoing Java class names. */
    private static String describeUnreadable(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getCause();
        if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String path = jsonPath(mapping);
            if (mapping instanceof InvalidFormatException invalid && invalid.getTargetType() != null
                    && invalid.getTargetType().isEnum()) {
                String message = invalid.getOriginalMessage();
                return path + ": " + (message != null && message.startsWith("must be one of") ? message
                        : "must be one of " + Arrays.toString(invalid.getTargetType().getEnumConstants()));
            }
            if (mapping instanceof ValueInstantiationException && mapping.getCause() != null
                    && mapping.getCause().getMessage() != null) {
                return path + ": " + mapping.getCause().getMessage();
            }
            if (mapping instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
                return path + ": expected " + describeType(mismatched.getTargetType());
            }
            return path + ": invalid value";
        }
        if (cause instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            // the body as a whole has the wrong type: an array, a string or a number where an object belongs
            return "The request body must be " + describeType(mismatched.getTargetType());
        }
        if (cause instanceof JsonParseException parse) {
            return "Invalid JSON at line " + parse.getLocation().getLineNr() + ", column "
                    + parse.getLocation().getColumnNr() + ": " + plain(parse.getOriginalMessage());
        }
        if (cause instanceof JsonMappingException) {
            // mapping messages name the Java types involved
            return "The request body does not have the expected structure";
        }
        if (cause instanceof JsonProcessingException processing) {
            // e.g. a size limit: "Document nesting depth (1001) exceeds the maximum allowed (1000)"
            return "Invalid JSON: " + plain(processing.getOriginalMessage());
        }
        return "Request body is missing or is not valid JSON";
    }

    /**
     * A parser message for people: its first line, short (it may quote the input), without the parts that name
     * Jackson's settings ("from `StreamReadConstraints.getMaxNestingDepth()`", "[Source: REDACTED (`StreamReadFeature
     * ...` disabled)...]").
     */
    private static String plain(String message) {
        String text = SOURCE_LOCATION.matcher(message.split("\n")[0]).replaceAll("");
        text = CONSTRAINT_SOURCE.matcher(text).replaceAll(")");
        return abbreviate(JAVA_SETTING.matcher(text).replaceAll("a parser setting"));
    }

    /** Parser messages quote the offending input: keep them short. */
    private static String abbreviate(String message) {
        return message.length() <= 200 ? message : message.substring(0, 200) + "...";
    }

    private static String jsonPath(JsonMappingException mapping) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : mapping.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describeType(Class<?> type) {
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = ex instanceof MethodArgumentTypeMismatchException mismatch ? mismatch.getName()
                : ex.getPropertyName();
        String rootMessage = ex.getMostSpecificCause().getMessage();
        String expected = ex.getRequiredType() == java.util.UUID.class ? "a UUID"
                : rootMessage != null && rootMessage.startsWith("must be one of") ? rootMessage.substring(8)
                : ex.getRequiredType() == null ? "another type" : describeType(ex.getRequiredType());
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "bad-request", "Invalid parameter",
                "'" + name + "' must be " + expected);
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
    }

    /**
     * A body declared multipart/form-data that cannot be parsed (no boundary, truncated, malformed parts). Uploads over
     * the size limit are {@code MaxUploadSizeExceededException}, a subclass the base class answers with 413.
     */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Object> handleMalformedMultipart(MultipartException ex, WebRequest request) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed request body",
                "The body is not valid multipart/form-data (missing boundary, truncated or malformed parts)");
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
    }

    /**
     * Spring Security's firewall checks parameter names and values when they are first read, which for a form body
     * happens inside Spring MVC, past the filter that answers the firewall's other refusals with 400.
     */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<Object> handleRejectedParameters(RequestRejectedException ex, WebRequest request) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "bad-request", "Request rejected",
                "The request's parameters contain characters that are not allowed");
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Object> handleIntegrity(DataIntegrityViolationException ex, WebRequest request) {
        log.info("Request conflicts with stored data: {}", ex.getMostSpecificCause().getMessage());
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "conflict", "Conflict",
                "The request conflicts with existing data (it may have been changed or deleted meanwhile)");
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.CONFLICT, request);
    }

    /** A lock conflict that outlived its retries (or had none): transient, so 503 and a hint to try again. */
    @ExceptionHandler(PessimisticLockingFailureException.class)
    ResponseEntity<Object> handleLockConflict(PessimisticLockingFailureException ex, WebRequest request) {
        log.warn("Lock conflict on {}: {}", describe(request), ex.getMostSpecificCause().getMessage());
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "busy", "Busy",
                "The data is being changed by another request; try again in a moment");
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "1");
        return handleExceptionInternal(ex, problem, headers, HttpStatus.SERVICE_UNAVAILABLE, request);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Object> handleAccessDenied(AccessDeniedException ex, WebRequest request) {
        ProblemDetail problem = problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                "Your role does not allow this operation");
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.FORBIDDEN, request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception ex, WebRequest request) {
        if (DatabaseOutages.isOutage(ex)) {
            // the database is down or restarting: transient, so 503 and a hint to try again, not a 500
            log.warn("Database unreachable on {}: {}", describe(request), rootMessage(ex));
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(UNAVAILABLE_RETRY_AFTER_SECONDS));
            return handleExceptionInternal(ex, unavailable(), headers, HttpStatus.SERVICE_UNAVAILABLE, request);
        }
        log.error("Unhandled error on {}", describe(request), ex);
        ProblemDetail problem = problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "Something went wrong on our side. Quote the requestId when reporting it.");
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
    }

    /** Every problem body gets the request path and id. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem) {
            if (problem.getInstance() == null && request instanceof ServletWebRequest servlet) {
                problem.setInstance(URI.create(servlet.getRequest().getRequestURI()));
            }
            String requestId = MDC.get(RequestIdFilter.MDC_KEY);
            if (requestId != null) {
                problem.setProperty("requestId", requestId);
            }
            // problem+json whatever the Accept header says: left to content negotiation, an Accept header that
            // rules JSON out, or cannot be parsed, would get an error without a body
            HttpHeaders problemHeaders = new HttpHeaders();
            problemHeaders.putAll(response.getHeaders());
            problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            return new ResponseEntity<>(problem, problemHeaders, response.getStatusCode());
        }
        return response;
    }

    static final long UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

    /** The answer while the database is unreachable (also from {@link ProblemErrorController}). */
    static ProblemDetail unavailable() {
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Temporarily unavailable",
                "The service is temporarily unavailable; please try again in a moment");
        problem.setProperty("retryAfterSeconds", UNAVAILABLE_RETRY_AFTER_SECONDS);
        return problem;
    }

    private static String rootMessage(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(title);
        return problem;
    }

    private static String describe(WebRequest request) {
        return request instanceof NativeWebRequest nativeRequest && nativeRequest instanceof ServletWebRequest servlet
                ? servlet.getRequest().getMethod() + " " + servlet.getRequest().getRequestURI()
                : request.getDescription(false);
    }
}
