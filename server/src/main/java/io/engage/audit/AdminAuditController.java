package io.engage.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.common.ApiProblem;
import io.engage.common.Page;
import io.engage.common.PageQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/admin/audit")
@Tag(name = "Admin: audit")
class AdminAuditController {

    private static final Pattern ACTION = Pattern.compile("[a-z][a-z_.]{0,63}");

    private final AuditRepository repository;
    private final ObjectMapper json;

    AdminAuditController(AuditRepository repository, ObjectMapper json) {
        this.repository = repository;
        this.json = json;
    }

    @GetMapping
    @Operation(summary = "The audit log, newest first",
            description = "Filter by companyId, action, actorEmail and an ISO-8601 instant range [from, to); "
                    + "keyset paging with limit/cursor")
    Page<AuditRecord> audit(@RequestParam(required = false) String companyId,
            @RequestParam(required = false) String action, @RequestParam(required = false) String actorEmail,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        PageQuery page = PageQuery.of(limit, cursor);
        String wantedAction = blankToNull(action);
        if (wantedAction != null && !ACTION.matcher(wantedAction).matches()) {
            throw ApiProblem.badRequest("Invalid action", "action must look like company.created");
        }
        String email = blankToNull(actorEmail);
        if (email != null && email.length() > 320) {
            throw ApiProblem.badRequest("Invalid actorEmail", "actorEmail is too long");
        }
        AuditFilter filter = new AuditFilter(uuid(companyId), wantedAction,
                email == null ? null : email.toLowerCase(Locale.ROOT), instant("from", from), instant("to", to));
        if (filter.from() != null && filter.to() != null && !filter.from().isBefore(filter.to())) {
            throw ApiProblem.badRequest("Invalid range", "from must be before to");
        }
        return Page.of(repository.list(filter, page), page, AuditRepository.Row::id).map(this::toRecord);
    }

    private AuditRecord toRecord(AuditRepository.Row row) {
        return new AuditRecord(row.id(), row.occurredAt(), row.actorUserId(), row.actorEmail(), row.actorRole(),
                row.companyId(), row.action(), row.targetType(), row.targetId(), row.ip(), row.userAgent(),
                details(row.details()));
    }

    private JsonNode details(String text) {
        if (text == null) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return json.createObjectNode();
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static UUID uuid(String value) {
        String text = blankToNull(value);
        if (text == null) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("Invalid companyId", "companyId must be a UUID");
        }
    }

    private static Instant instant(String name, String value) {
        String text = blankToNull(value);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest("Invalid " + name, name + " must be an ISO-8601 instant, e.g. 2026-01-31T00:00:00Z");
        }
    }
}
