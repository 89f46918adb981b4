package io.engage.agents;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.engage.audit.Audit;
import io.engage.audit.AuditEntry;
import io.engage.auth.AgentKeys;
import io.engage.auth.CurrentUser;
import io.engage.common.LockConflicts;
import io.engage.common.ApiProblem;
import io.engage.common.Page;
import io.engage.common.PageQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Company API: the company's agents and their widget API keys. Every id is looked up within the caller's company;
 * another company's agent answers 404, exactly like one that does not exist. Members read; company admins change.
 */
@RestController
@RequestMapping("/company/agents")
@Tag(name = "Company: agents")
class CompanyAgentController {

    private final AgentService agents;
    private final AgentKeys keys;
    private final Audit audit;

    CompanyAgentController(AgentService agents, AgentKeys keys, Audit audit) {
        this.audit = audit;
        this.agents = agents;
        this.keys = keys;
    }

    /** The created agent plus its first widget API key, which is shown only here. */
    record AgentWithKey(@JsonUnwrapped Agent agent, String apiKey, UUID apiKeyId) {
    }

    @GetMapping
    Page<Agent> list(CurrentUser user, @RequestParam(required = false) AgentStatus status,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        return agents.list(user.requireCompany(), status, PageQuery.of(limit, cursor));
    }

    @PostMapping
    @PreAuthorize("hasRole('COMPANY_ADMIN')")
    @Transactional
    @Operation(summary = "Create an agent", description = "Omitted fields take defaults (provider extractive). "
            + "The response carries the widget API key once.")
    ResponseEntity<AgentWithKey> create(CurrentUser user, @Valid @RequestBody AgentRequest request) {
        UUID companyId = user.requireCompany();
        Agent agent = agents.create(companyId, request);
        AgentKeys.IssuedKey key = keys.issue(companyId, agent.id());
        audit.record(AuditEntry.of("agent.created").target("agent", agent.id()).detail("name", agent.name()));
        return ResponseEntity.created(URI.create("/company/agents/" + agent.id()))
                .body(new AgentWithKey(agent, key.key(), key.id()));
    }

    @GetMapping("/{agentId}")
    Agent get(CurrentUser user, @PathVariable UUID agentId) {
        return agents.require(user.requireCompany(), agentId);
    }

    @PutMapping("/{agentId}")
    @PreAuthorize("hasRole('COMPANY_ADMIN')")
    @Operation(summary = "Update an agent", description = "Fields present replace the current values; absent "
            + "fields keep them. Write-only secrets: absent keeps, \"\" clears.")
    Agent update(CurrentUser user, @PathVariable UUID agentId, @Valid @RequestBody AgentRequest request) {
        Agent agent = agents.update(user.requireCompany(), agentId, request);
        audit.record(AuditEntry.of("agent.updated").target("agent", agentId).detail("fields", fieldNames(request)));
        return agent;
    }

    @DeleteMapping("/{agentId}")
    @PreAuthorize("hasRole('COMPANY_ADMIN')")
    @Operation(summary = "Delete an agent with its keys, knowledge, end-users and memory")
    ResponseEntity<Void> delete(CurrentUser user, @PathVariable UUID agentId) {
        LockConflicts.retry("Agent deletion", () -> agents.delete(user.requireCompany(), agentId));
        audit.record(AuditEntry.of("agent.deleted").target("agent", agentId));
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{agentId}/keys")
    @PreAuthorize("hasRole('COMPANY_ADMIN')")
    @Operation(summary = "List the agent's widget API keys (prefixes only)")
    List<AgentKeys.ApiKeyInfo> listKeys(CurrentUser user, @PathVariable UUID agentId) {
        UUID companyId = user.requireCompany();
        agents.require(companyId, agentId);
        return keys.list(companyId, agentId);
    }

    @PostMapping("/{agentId}/keys")
    @PreAuthorize("hasRole('COMPANY_ADMIN')")
    @Transactional
    @Operation(summary = "Rotate: issue a new key (shown once) and revoke the agent's other keys at once")
    ResponseEntity<AgentKeys.IssuedKey> rotateKey(CurrentUser user, @PathVariable UUID agentId) {
        UUID companyId = user.requireCompany();
        agents.require(companyId, agentId);
        AgentKeys.IssuedKey key = keys.rotate(companyId, agentId);
        audit.record(AuditEntry.of("agent.key_rotated").target("agent", agentId).detail("keyId", key.id()));
        return ResponseEntity.status(HttpStatus.CREATED).body(key);
    }

    @DeleteMapping("/{agentId}/keys/{keyId}")
    @PreAuthorize("hasRole('COMPANY_ADMIN')")
    @Operation(summary = "Revoke one key; it stops working at once")
    ResponseEntity<Void> revokeKey(CurrentUser user, @PathVariable UUID agentId, @PathVariable UUID keyId) {
        UUID companyId = user.requireCompany();
        agents.require(companyId, agentId);
        if (!keys.revoke(companyId, agentId, keyId)) {
            throw ApiProblem.notFound("API key", keyId);
        }
        audit.record(AuditEntry.of("agent.key_revoked").target("agent", agentId).detail("keyId", keyId));
        return ResponseEntity.noContent().build();
    }

    /** Names (never values) of the fields an update sets, nested ones dotted ("llm.apiKey"). */
    static List<String> fieldNames(AgentRequest request) {
        List<String> names = new java.util.ArrayList<>();
        addFieldNames(request, "", names);
        return names;
    }

    private static void addFieldNames(Record record, String prefix, List<String> names) {
        for (java.lang.reflect.RecordComponent component : record.getClass().getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (value instanceof Record nested) {
                addFieldNames(nested, prefix + component.getName() + ".", names);
            } else if (value != null) {
                names.add(prefix + component.getName());
            }
        }
    }
}
