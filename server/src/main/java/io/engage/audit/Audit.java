package io.engage.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.common.Ids;
import io.engage.common.Times;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Records audit entries. Who: the entry's actor, else the authenticated principal. From where: the current request's
 * client address (forwarded headers already applied by Tomcat) and User-Agent. The row is written with the caller's
 * connection, so inside a transaction it commits or rolls back with the action.
 */
@Component
public class Audit {

    static final int MAX_DETAILS = 2000;
    static final int MAX_USER_AGENT = 300;
    static final int MAX_IP = 64;
    /** Detail keys that could carry a secret are dropped, whatever the caller passes. */
    private static final Pattern SECRET_KEY = Pattern.compile("password|secret|token|apikey|api_key|credential");

    private final AuditRepository repository;
    private final ObjectMapper json;

    Audit(AuditRepository repository, ObjectMapper json) {
        this.repository = repository;
        this.json = json;
    }

    public void record(AuditEntry entry) {
        AuditActor actor = entry.actor() != null ? entry.actor() : currentActor();
        HttpServletRequest request = currentRequest();
        repository.insert(new AuditRepository.Row(Ids.newId(), Times.now(),
                actor == null ? null : actor.userId(),
                actor == null ? null : truncate(actor.email(), 320),
                actor == null ? null : actor.role(),
                entry.companyId() != null ? entry.companyId() : actor == null ? null : actor.companyId(),
                entry.action(), entry.targetType(), truncate(entry.targetId(), 200),
                request == null ? null : truncate(request.getRemoteAddr(), MAX_IP),
                request == null ? null : truncate(request.getHeader("User-Agent"), MAX_USER_AGENT),
                details(entry.details())));
    }

    private static AuditActor currentActor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof AuditActor.Principal principal) {
            return principal.auditActor();
        }
        return null;
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest() : null;
    }

    private String details(Map<String, Object> details) {
        if (details.isEmpty()) {
            return null;
        }
        Map<String, Object> safe = new LinkedHashMap<>();
        details.forEach((key, value) -> {
            if (!SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).find()) {
                safe.put(key, value);
            }
        });
        try {
            String text = json.writeValueAsString(safe);
            return text.length() <= MAX_DETAILS ? text : "{\"truncated\":true}";
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
