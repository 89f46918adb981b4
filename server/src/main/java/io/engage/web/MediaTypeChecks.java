package io.engage.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.accept.ContentNegotiationManager;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Checks a request's media types before the handler runs:
 * <ul>
 *   <li>a Content-Type with a wildcard ({@code application/*}) is refused with 415; Spring MVC would fail on it with
 *       an internal error while reading the body;</li>
 *   <li>an Accept header that rules out every type the handler can answer with is refused with 406. Spring MVC checks
 *       this only when it writes the response, i.e. after the handler ran: a POST from a client that accepts only XML
 *       would take effect (rotate a key, disable an agent) and still be answered "not acceptable". Handlers without a
 *       response body (void, {@code ResponseEntity<Void>}) answer any Accept header.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class MediaTypeChecks implements WebMvcConfigurer, HandlerInterceptor {

    // looked up once, on first use (they are created after this configuration): resolving a bean on every
    // request was a visible share of a short answer's time
    private final Supplier<ContentNegotiationManager> negotiation;
    private final ObjectProvider<RequestMappingHandlerAdapter> adapter;
    /** Per handler method: the media types its return type can be written as (empty: no body). */
    private final ConcurrentHashMap<HandlerMethod, List<MediaType>> producible = new ConcurrentHashMap<>();
    /** Per handler method: whether it writes a response body. */
    private final ConcurrentHashMap<Method, Boolean> bodyWriters = new ConcurrentHashMap<>();

    MediaTypeChecks(ObjectProvider<ContentNegotiationManager> negotiation,
            ObjectProvider<RequestMappingHandlerAdapter> adapter) {
        this.negotiation = SingletonSupplier.of(negotiation::getObject);
        this.adapter = adapter;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws HttpMediaTypeNotAcceptableException, HttpMediaTypeNotSupportedException {
        if (!(handler instanceof HandlerMethod method) || !method.getBeanType().getName().startsWith("io.engage.")) {
            return true;
        }
        requireConcreteContentType(request);
        if (!bodyWriters.computeIfAbsent(method.getMethod(), m -> writesBody(method))) {
            return true;
        }
        // an unparseable Accept header throws 406 here too
        List<MediaType> acceptable = negotiation.get().resolveMediaTypes(new ServletWebRequest(request));
        @SuppressWarnings("unchecked")
        Set<MediaType> declared = (Set<MediaType>) request.getAttribute(HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE);
        List<MediaType> offered = declared != null && !declared.isEmpty() ? List.copyOf(declared)
                : producible.computeIfAbsent(method, this::producibleTypes);
        if (offered.isEmpty()) {
            return true;
        }
        for (MediaType accepted : acceptable) {
            for (MediaType type : offered) {
                if (accepted.isCompatibleWith(type)) {
                    return true;
                }
            }
        }
        throw new HttpMediaTypeNotAcceptableException(offered);
    }

    private static void requireConcreteContentType(HttpServletRequest request)
            throws HttpMediaTypeNotSupportedException {
        String header = request.getContentType();
        if (header == null || header.isBlank()) {
            return;
        }
        MediaType contentType;
        try {
            contentType = MediaType.parseMediaType(header);
        } catch (InvalidMediaTypeException unparseable) {
            return; // Spring MVC answers 415 for these itself
        }
        if (contentType.isWildcardType() || contentType.isWildcardSubtype()) {
            throw new HttpMediaTypeNotSupportedException(contentType, List.of(MediaType.APPLICATION_JSON),
                    HttpMethod.valueOf(request.getMethod()));
        }
    }

    private static boolean writesBody(HandlerMethod method) {
        return AnnotatedElementUtils.hasAnnotation(method.getBeanType(), ResponseBody.class)
                || method.hasMethodAnnotation(ResponseBody.class)
                || HttpEntity.class.isAssignableFrom(method.getReturnType().getParameterType());
    }

    /** What the message converters can write the return type as, as Spring does when it writes the response. */
    private List<MediaType> producibleTypes(HandlerMethod method) {
        ResolvableType returnType = ResolvableType.forMethodParameter(method.getReturnType());
        Class<?> bodyType = HttpEntity.class.isAssignableFrom(returnType.toClass())
                ? returnType.as(HttpEntity.class).getGeneric(0).toClass() : returnType.toClass();
        if (bodyType == void.class || bodyType == Void.class) {
            return List.of();
        }
        if (bodyType == Object.class) {
            return List.of(MediaType.ALL); // decided at run time
        }
        Set<MediaType> types = new LinkedHashSet<>();
        for (HttpMessageConverter<?> converter : adapter.getObject().getMessageConverters()) {
            if (converter.canWrite(bodyType, null)) {
                types.addAll(converter.getSupportedMediaTypes(bodyType));
            }
        }
        return types.isEmpty() ? List.of(MediaType.ALL) : List.copyOf(types);
    }
}
