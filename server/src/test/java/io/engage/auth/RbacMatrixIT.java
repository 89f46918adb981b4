package io.engage.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.support.Api;
import io.engage.support.IntegrationTest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of the served OpenAPI spec (every path × method) called with every kind of caller, checking that
 * access is granted or refused as the table below says. An endpoint the table does not classify fails the test, so a
 * new endpoint cannot ship without deciding who may call it. "Allowed" means neither 401 nor 403: ids and bodies are
 * dummies (real ids of the caller's company for reads, random UUIDs for writes), so 2xx, 400, 404, 409 and 422 count.
 */
class RbacMatrixIT extends IntegrationTest {

    enum Caller { PLATFORM_ADMIN, COMPANY_ADMIN, COMPANY_MEMBER, NO_TOKEN, GARBAGE_TOKEN, WIDGET_KEY }

    /** Who may call an endpoint; everyone else gets 401 (not signed in, bad token) or 403 (wrong role). */
    enum Access {
        /** Login, signup, refresh, logout, OIDC sign-in, health: anyone. */
        PUBLIC(EnumSet.allOf(Caller.class)),
        /** /admin/**: platform admins (SecurityConfig). */
        PLATFORM_ADMIN(EnumSet.of(Caller.PLATFORM_ADMIN)),
        /** /company/** and /rag/**: company admins and members (SecurityConfig). */
        COMPANY_USER(EnumSet.of(Caller.COMPANY_ADMIN, Caller.COMPANY_MEMBER)),
        /** /company/** and /rag/** with @PreAuthorize("hasRole('COMPANY_ADMIN')"). */
        COMPANY_ADMIN(EnumSet.of(Caller.COMPANY_ADMIN)),
        /** Any signed-in user. */
        SIGNED_IN(EnumSet.of(Caller.PLATFORM_ADMIN, Caller.COMPANY_ADMIN, Caller.COMPANY_MEMBER)),
        /** /agent/**: the agent's key in X-Engage-Key; bearer tokens mean nothing there. */
        WIDGET_KEY(EnumSet.of(Caller.WIDGET_KEY));

        final Set<Caller> allowed;

        Access(Set<Caller> allowed) {
            this.allowed = allowed;
        }

        /** 0 when allowed (anything but 401/403), else the refusal status. */
        int expected(Caller caller) {
            if (allowed.contains(caller)) {
                return 0;
            }
            boolean signedIn = caller == Caller.PLATFORM_ADMIN || caller == Caller.COMPANY_ADMIN
                    || caller == Caller.COMPANY_MEMBER;
            return this == WIDGET_KEY || !signedIn ? 401 : 403;
        }
    }

    /** The expectation table: every path × method of the API. */
    private static final Map<String, Access> TABLE = new TreeMap<>(Map.ofEntries(
            // public
            Map.entry("POST /admin/login", Access.PUBLIC),
            Map.entry("POST /company/login", Access.PUBLIC),
            Map.entry("POST /company/signup", Access.PUBLIC),
            Map.entry("POST /auth/refresh", Access.PUBLIC),
            Map.entry("POST /auth/logout", Access.PUBLIC),
            Map.entry("GET /auth/oidc/providers", Access.PUBLIC),
            Map.entry("POST /auth/oidc/exchange", Access.PUBLIC),
            Map.entry("GET /auth/me", Access.SIGNED_IN),
            // admin API
            Map.entry("GET /admin/companies", Access.PLATFORM_ADMIN),
            Map.entry("POST /admin/companies", Access.PLATFORM_ADMIN),
            Map.entry("GET /admin/companies/{companyId}", Access.PLATFORM_ADMIN),
            Map.entry("DELETE /admin/companies/{companyId}", Access.PLATFORM_ADMIN),
            Map.entry("GET /admin/agents", Access.PLATFORM_ADMIN),
            Map.entry("GET /admin/agents/{agentId}", Access.PLATFORM_ADMIN),
            Map.entry("POST /admin/agents/{agentId}/disable", Access.PLATFORM_ADMIN),
            Map.entry("POST /admin/agents/{agentId}/enable", Access.PLATFORM_ADMIN),
            Map.entry("GET /admin/agents/{agentId}/users", Access.PLATFORM_ADMIN),
            Map.entry("GET /admin/analytics", Access.PLATFORM_ADMIN),
            Map.entry("GET /admin/audit", Access.PLATFORM_ADMIN),
            // company API: agents (changing an agent or its keys is for company admins)
            Map.entry("GET /company/agents", Access.COMPANY_USER),
            Map.entry("POST /company/agents", Access.COMPANY_ADMIN),
            Map.entry("GET /company/agents/{agentId}", Access.COMPANY_USER),
            Map.entry("PUT /company/agents/{agentId}", Access.COMPANY_ADMIN),
            Map.entry("DELETE /company/agents/{agentId}", Access.COMPANY_ADMIN),
            Map.entry("GET /company/agents/{agentId}/keys", Access.COMPANY_ADMIN),
            Map.entry("POST /company/agents/{agentId}/keys", Access.COMPANY_ADMIN),
            Map.entry("DELETE /company/agents/{agentId}/keys/{keyId}", Access.COMPANY_ADMIN),
            // knowledge: members read, admins change
            Map.entry("GET /company/agents/{agentId}/knowledge", Access.COMPANY_USER),
            Map.entry("POST /company/agents/{agentId}/knowledge", Access.COMPANY_ADMIN),
            Map.entry("GET /company/agents/{agentId}/knowledge/{sourceId}", Access.COMPANY_USER),
            Map.entry("DELETE /company/agents/{agentId}/knowledge/{sourceId}", Access.COMPANY_ADMIN),
            // knowledge gaps: members read, admins answer or dismiss
            Map.entry("GET /company/agents/{agentId}/gaps", Access.COMPANY_USER),
            Map.entry("POST /company/agents/{agentId}/gaps/{gapId}/answer", Access.COMPANY_ADMIN),
            Map.entry("DELETE /company/agents/{agentId}/gaps/{gapId}", Access.COMPANY_ADMIN),
            // end-users and transcripts: members too, including block/unblock (no role check in the code)
            Map.entry("GET /company/agents/{agentId}/users", Access.COMPANY_USER),
            Map.entry("GET /company/agents/{agentId}/users/{endUserId}", Access.COMPANY_USER),
            Map.entry("GET /company/agents/{agentId}/users/{endUserId}/conversations", Access.COMPANY_USER),
            Map.entry("POST /company/agents/{agentId}/users/{endUserId}/block", Access.COMPANY_USER),
            Map.entry("POST /company/agents/{agentId}/users/{endUserId}/unblock", Access.COMPANY_USER),
            Map.entry("GET /company/agents/{agentId}/conversations/{conversationId}", Access.COMPANY_USER),
            Map.entry("GET /company/analytics", Access.COMPANY_USER),
            // team: members see it, admins manage it
            Map.entry("GET /company/users", Access.COMPANY_USER),
            Map.entry("POST /company/users", Access.COMPANY_ADMIN),
            Map.entry("PATCH /company/users/{userId}", Access.COMPANY_ADMIN),
            Map.entry("DELETE /company/users/{userId}", Access.COMPANY_ADMIN),
            // RAG API: members search, admins index
            Map.entry("POST /rag/agents/{agentId}/index", Access.COMPANY_ADMIN),
            Map.entry("PUT /rag/agents/{agentId}/knowledge", Access.COMPANY_ADMIN),
            Map.entry("GET /rag/agents/{agentId}/search", Access.COMPANY_USER),
            // AI Agent API
            Map.entry("GET /agent/config", Access.WIDGET_KEY),
            Map.entry("GET /agent/search", Access.WIDGET_KEY),
            Map.entry("GET /agent/conversation", Access.WIDGET_KEY),
            Map.entry("POST /agent/query", Access.WIDGET_KEY),
            Map.entry("POST /agent/events", Access.WIDGET_KEY)));

    /** Served outside the OpenAPI spec but part of the product's surface. */
    private static final Map<String, Access> EXTRA = Map.of(
            "GET /actuator/health", Access.PUBLIC,
            "GET /v3/api-docs", Access.PUBLIC,
            // OIDC sign-in (Spring Security filters): start and callback redirect to the portal, whoever calls
            "GET /oauth2/authorization/{registrationId}", Access.PUBLIC,
            "GET /login/oauth2/code/{registrationId}", Access.PUBLIC);

    /** Minimal bodies: valid where that is easy, so that admin-only checks are reached before validation. */
    private static final Map<String, Object> BODIES = Map.ofEntries(
            Map.entry("POST /company/agents", Map.of("name", "Matrix agent")),
            Map.entry("PUT /company/agents/{agentId}", Map.of("name", "Matrix agent")),
            Map.entry("POST /company/agents/{agentId}/knowledge",
                    Map.of("type", "text", "title", "t", "content", "Some content.")),
            Map.entry("POST /rag/agents/{agentId}/index", Map.of("type", "text", "title", "t", "content", "Text.")),
            Map.entry("PUT /rag/agents/{agentId}/knowledge", Map.of("documents", List.of())),
            Map.entry("POST /company/agents/{agentId}/gaps/{gapId}/answer", Map.of("question", "q", "answer", "a")),
            Map.entry("POST /company/users", Map.of("email", "matrix-%s@example.com", "password", PASSWORD,
                    "role", "COMPANY_MEMBER")),
            Map.entry("PATCH /company/users/{userId}", Map.of("role", "COMPANY_MEMBER")),
            Map.entry("POST /agent/query", Map.of("endUserId", "matrix-visitor", "message", "Hello?")),
            Map.entry("POST /agent/events", Map.of("type", "widget_open")));

    private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");

    @Test
    void everyEndpointRefusesTheCallersItShould() {
        JsonNode spec = api.get("/v3/api-docs", null).json();
        Map<String, Access> served = new TreeMap<>();
        List<String> unclassified = new ArrayList<>();
        spec.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            String endpoint = method.toUpperCase() + " " + path.getKey();
            Access access = TABLE.get(endpoint);
            if (access == null) {
                unclassified.add(endpoint);
            } else {
                served.put(endpoint, access);
            }
        }));
        Set<String> stale = new TreeSet<>(TABLE.keySet());
        stale.removeAll(served.keySet());
        assertThat(unclassified).as("endpoints in /v3/api-docs that RbacMatrixIT.TABLE does not classify: add them "
                + "with who may call them").isEmpty();
        assertThat(stale).as("RbacMatrixIT.TABLE entries no longer in /v3/api-docs").isEmpty();
        served.forEach(RbacMatrixIT::assertMirrorsSecurityConfig);
        served.putAll(EXTRA);

        // one company with an agent, its admin and a member; the platform admin
        TestAgent agent = newAgent(Map.of());
        String memberEmail = unique("member") + "@example.com";
        assertThat(api.post("/company/users", agent.token(),
                Map.of("email", memberEmail, "password", PASSWORD, "role", "COMPANY_MEMBER")).status()).isEqualTo(201);
        Map<Caller, String> tokens = Map.of(Caller.PLATFORM_ADMIN, adminToken(), Caller.COMPANY_ADMIN, agent.token(),
                Caller.COMPANY_MEMBER, login("/company/login", memberEmail, PASSWORD),
                Caller.GARBAGE_TOKEN, "not.a-valid.token");
        String companyId = api.get("/auth/me", agent.token()).json().get("companyId").asText();
        Map<String, String> ownIds = Map.of("agentId", agent.id(), "companyId", companyId);

        List<String> mismatches = new ArrayList<>();
        int calls = 0;
        for (Map.Entry<String, Access> entry : served.entrySet()) {
            String endpoint = entry.getKey();
            String method = endpoint.substring(0, endpoint.indexOf(' '));
            String template = endpoint.substring(endpoint.indexOf(' ') + 1);
            for (Caller caller : Caller.values()) {
                // reads use the caller's own ids; writes random ones, so nothing the matrix needs is changed
                String path = fill(template, method.equals("GET") ? ownIds : Map.of());
                Object body = body(endpoint, method);
                List<String> headers = new ArrayList<>(List.of("Accept", "application/json"));
                if (caller == Caller.WIDGET_KEY) {
                    headers.addAll(List.of("X-Engage-Key", agent.key()));
                }
                Api.Response response = api.send(method, path, tokens.get(caller), body,
                        body == null ? null : "application/json", headers.toArray(String[]::new));
                calls++;
                int expected = entry.getValue().expected(caller);
                int actual = response.status();
                boolean refused = actual == 401 || actual == 403;
                if (expected == 0 ? refused : actual != expected) {
                    mismatches.add(String.format("%-6s %-62s %-15s expected %-8s actual %d", method, template, caller,
                            expected == 0 ? "allowed" : expected, actual));
                }
            }
        }
        System.out.printf("RBAC matrix: %d endpoints × %d callers = %d calls%n", served.size(),
                Caller.values().length, calls);
        assertThat(mismatches).as("access differs from the RBAC matrix (%d endpoints × %d callers):%n%s",
                served.size(), Caller.values().length, String.join("\n", mismatches)).isEmpty();
    }

    /** The table's rows agree with SecurityConfig's rules by path. */
    private static void assertMirrorsSecurityConfig(String endpoint, Access access) {
        String path = endpoint.substring(endpoint.indexOf(' ') + 1);
        Set<Access> possible = path.startsWith("/admin/") ? Set.of(Access.PLATFORM_ADMIN, Access.PUBLIC)
                : path.startsWith("/company/") || path.startsWith("/rag/")
                        ? Set.of(Access.COMPANY_USER, Access.COMPANY_ADMIN, Access.PUBLIC)
                : path.startsWith("/agent/") ? Set.of(Access.WIDGET_KEY)
                : Set.of(Access.PUBLIC, Access.SIGNED_IN);
        assertThat(possible).as("%s is classified %s, which SecurityConfig's path rules do not allow", endpoint,
                access).contains(access);
    }

    private static String fill(String template, Map<String, String> ids) {
        Matcher matcher = VARIABLE.matcher(template);
        StringBuilder path = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(path, ids.getOrDefault(matcher.group(1), UUID.randomUUID().toString()));
        }
        matcher.appendTail(path);
        String query = template.endsWith("/search") ? "?q=hello" : template.equals("/agent/conversation")
                ? "?endUserId=matrix-visitor" : "";
        return path + query;
    }

    private static Object body(String endpoint, String method) {
        Object body = BODIES.get(endpoint);
        if (body instanceof Map<?, ?> map && map.get("email") instanceof String email && email.contains("%s")) {
            Map<Object, Object> copy = new java.util.HashMap<>(map);
            copy.put("email", String.format(email, UUID.randomUUID().toString().substring(0, 8)));
            return copy;
        }
        if (body == null && (method.equals("POST") || method.equals("PUT") || method.equals("PATCH"))) {
            return Map.of();
        }
        return body;
    }
}
