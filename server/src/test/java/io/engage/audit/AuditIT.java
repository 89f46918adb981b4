package io.engage.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.support.Api;
import io.engage.support.IntegrationTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

class AuditIT extends IntegrationTest {

    private static final String AGENT = "AuditIT/1.0 (audit test)";

    @Autowired
    Audit audit;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    AuditRetention retention;

    private Api.Response send(String method, String path, String token, Object body) {
        return api.send(method, path, token, body, body == null ? null : "application/json", "User-Agent", AGENT);
    }

    private List<JsonNode> entries(String admin, String query) {
        Api.Response response = api.get("/admin/audit?limit=200&" + query, admin);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        response.json().get("items").forEach(items::add);
        return items;
    }

    private static JsonNode only(List<JsonNode> entries, String action) {
        List<JsonNode> found = entries.stream().filter(e -> e.get("action").asText().equals(action)).toList();
        assertThat(found).as(action + " in " + entries).hasSize(1);
        return found.get(0);
    }

    @Test
    void recordsWhoDidWhatWhenAndFromWhereWithoutSecrets() {
        String admin = adminToken();
        String ownerEmail = unique("audit-owner") + "@example.com";
        String ownerPassword = "audit-secret-password-77";
        Api.Response created = send("POST", "/admin/companies", admin,
                Map.of("name", unique("Audited"), "adminEmail", ownerEmail, "adminPassword", ownerPassword));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String companyId = created.json().get("id").asText();

        // a failed sign-in, then a good one
        assertThat(send("POST", "/company/login", null, Map.of("email", ownerEmail, "password", "wrong-password-1"))
                .status()).isEqualTo(401);
        Api.Response login = send("POST", "/company/login", null, Map.of("email", ownerEmail, "password", ownerPassword));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        String token = login.json().get("accessToken").asText();

        Api.Response agent = send("POST", "/company/agents", token, Map.of("name", "Audited Help"));
        assertThat(agent.status()).as(agent.toString()).isEqualTo(201);
        String agentId = agent.json().get("id").asText();
        String firstKey = agent.json().get("apiKey").asText();
        assertThat(send("PUT", "/company/agents/" + agentId, token,
                Map.of("name", "Audited Help 2", "llm", Map.of("apiKey", "sk-should-never-be-logged"))).status()).isEqualTo(200);
        Api.Response rotated = send("POST", "/company/agents/" + agentId + "/keys", token, null);
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(201);
        String secondKey = rotated.json().get("key").asText();
        Api.Response knowledge = send("POST", "/company/agents/" + agentId + "/knowledge", token,
                Map.of("type", "text", "title", "Returns", "content", "Returns are free within 30 days."));
        assertThat(knowledge.status()).as(knowledge.toString()).isEqualTo(202);
        String sourceId = knowledge.json().get("sourceId").asText();

        // an end-user appears on first contact through the agent API, then the company blocks it
        Api.Response asked = api.send("POST", "/agent/query", null,
                Map.of("endUserId", "visitor-1", "message", "Can I return it?"), "application/json",
                "X-Engage-Key", secondKey);
        assertThat(asked.status()).as(asked.toString()).isEqualTo(200);
        String endUserId = api.get("/company/agents/" + agentId + "/users", token).json().at("/items/0/id").asText();
        assertThat(send("POST", "/company/agents/" + agentId + "/users/" + endUserId + "/block", token, null)
                .status()).isEqualTo(200);
        assertThat(send("POST", "/company/agents/" + agentId + "/users/" + endUserId + "/unblock", token, null)
                .status()).isEqualTo(200);
        assertThat(send("DELETE", "/company/agents/" + agentId, token, null).status()).isEqualTo(204);

        List<JsonNode> entries = entries(admin, "companyId=" + companyId);
        JsonNode companyCreated = only(entries, "company.created");
        assertThat(companyCreated.get("actorEmail").asText()).isEqualTo(ADMIN_EMAIL);
        assertThat(companyCreated.get("actorRole").asText()).isEqualTo("PLATFORM_ADMIN");
        assertThat(companyCreated.get("targetType").asText()).isEqualTo("company");
        assertThat(companyCreated.get("targetId").asText()).isEqualTo(companyId);

        JsonNode failed = entries(admin, "action=auth.login_failed&actorEmail=" + ownerEmail).get(0);
        assertThat(failed.get("actorUserId").isNull()).isTrue();
        assertThat(failed.get("userAgent").asText()).isEqualTo(AGENT);

        JsonNode loggedIn = only(entries, "auth.login_succeeded");
        assertThat(loggedIn.get("actorEmail").asText()).isEqualTo(ownerEmail);
        assertThat(loggedIn.get("actorRole").asText()).isEqualTo("COMPANY_ADMIN");
        String ownerId = loggedIn.get("actorUserId").asText();

        JsonNode agentCreated = only(entries, "agent.created");
        assertThat(agentCreated.get("actorUserId").asText()).isEqualTo(ownerId);
        assertThat(agentCreated.get("targetType").asText()).isEqualTo("agent");
        assertThat(agentCreated.get("targetId").asText()).isEqualTo(agentId);
        assertThat(agentCreated.get("ip").asText()).isNotBlank();
        assertThat(agentCreated.get("userAgent").asText()).isEqualTo(AGENT);
        assertThat(agentCreated.get("occurredAt").asText()).isNotBlank();

        JsonNode updated = only(entries, "agent.updated");
        List<String> fields = new ArrayList<>();
        updated.at("/details/fields").forEach(f -> fields.add(f.asText()));
        assertThat(fields).containsExactlyInAnyOrder("name", "llm.apiKey");
        assertThat(only(entries, "agent.key_rotated").get("targetId").asText()).isEqualTo(agentId);
        assertThat(only(entries, "knowledge.added").get("targetId").asText()).isEqualTo(sourceId);
        assertThat(only(entries, "enduser.blocked").get("targetId").asText()).isEqualTo(endUserId);
        assertThat(only(entries, "agent.deleted").get("targetId").asText()).isEqualTo(agentId);
        assertThat(only(entries, "enduser.unblocked").at("/details/agentId").asText()).isEqualTo(agentId);

        // newest first
        List<String> actions = entries.stream().map(e -> e.get("action").asText()).toList();
        assertThat(actions.indexOf("agent.deleted")).isLessThan(actions.indexOf("agent.created"));
        assertThat(actions.get(actions.size() - 1)).isEqualTo("company.created");

        // no secret anywhere in the log
        String everything = jdbc.sql("SELECT * FROM audit_log").query().listOfRows().toString();
        assertThat(everything).doesNotContain(ownerPassword, "wrong-password-1", "sk-should-never-be-logged",
                firstKey, secondKey, token, admin);

        // the company's deletion keeps its entries and adds one
        assertThat(send("DELETE", "/admin/companies/" + companyId, admin, null).status()).isEqualTo(204);
        assertThat(only(entries(admin, "companyId=" + companyId), "company.deleted").get("actorEmail").asText())
                .isEqualTo(ADMIN_EMAIL);
        assertThat(entries(admin, "companyId=" + companyId)).hasSize(entries.size() + 1);
    }

    @Test
    void signupAndTeamChangesAreRecorded() {
        String admin = adminToken();
        TestCompany company = signup();
        Api.Response added = api.post("/company/users", company.token(),
                Map.of("email", unique("member") + "@example.com", "password", "member-password-9",
                        "role", "COMPANY_MEMBER"));
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        String memberId = added.json().get("id").asText();
        assertThat(api.patch("/company/users/" + memberId, company.token(), Map.of("role", "COMPANY_ADMIN")).status())
                .isEqualTo(200);
        assertThat(api.delete("/company/users/" + memberId, company.token()).status()).isEqualTo(204);

        List<JsonNode> entries = entries(admin, "companyId=" + company.id());
        assertThat(only(entries, "auth.signup").get("actorEmail").asText()).isEqualTo(company.email());
        assertThat(only(entries, "team.member_added").get("targetId").asText()).isEqualTo(memberId);
        assertThat(only(entries, "team.role_changed").at("/details/role").asText()).isEqualTo("COMPANY_ADMIN");
        assertThat(only(entries, "team.member_removed").get("targetId").asText()).isEqualTo(memberId);
        assertThat(jdbc.sql("SELECT * FROM audit_log WHERE company_id = ?").param(company.id()).query().listOfRows()
                .toString()).doesNotContain("member-password-9", PASSWORD);
    }

    @Test
    void filtersAndPagesNewestFirst() {
        String admin = adminToken();
        TestCompany company = signup();
        for (int i = 0; i < 5; i++) {
            createAgent(company.token(), Map.of("name", "Agent " + i));
        }
        List<JsonNode> created = entries(admin, "companyId=" + company.id() + "&action=agent.created");
        assertThat(created).hasSize(5);
        assertThat(entries(admin, "companyId=" + company.id())).hasSize(6); // plus the sign-up

        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        do {
            JsonNode page = api.get("/admin/audit?action=agent.created&companyId=" + company.id() + "&limit=2"
                    + (cursor.isEmpty() ? "" : "&cursor=" + cursor), admin).json();
            page.get("items").forEach(item -> {
                assertThat(seen.add(item.get("id").asText())).isTrue();
                order.add(item.get("id").asText());
            });
            cursor = page.get("nextCursor").isNull() ? "" : page.get("nextCursor").asText();
            pages++;
        } while (!cursor.isEmpty());
        assertThat(pages).isEqualTo(3);
        assertThat(order).containsExactlyElementsOf(created.stream().map(e -> e.get("id").asText()).toList());
        assertThat(order).isSortedAccordingTo((a, b) -> UUID.fromString(b).compareTo(UUID.fromString(a)));

        // a time range: nothing in the future
        assertThat(entries(admin, "companyId=" + company.id() + "&from=2999-01-01T00:00:00Z")).isEmpty();
        assertThat(entries(admin, "companyId=" + company.id() + "&from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00Z"))
                .hasSize(6);
    }

    @Test
    void adminSwitchesKeyRevocationAndKnowledgeChangesAreRecorded() {
        String admin = adminToken();
        TestAgent agent = newAgent(Map.of());
        String keyId = api.get(agent.path() + "/keys", agent.token()).json().get(0).get("id").asText();
        assertThat(api.delete(agent.path() + "/keys/" + keyId, agent.token()).status()).isEqualTo(204);
        String sourceId = api.post(agent.path() + "/knowledge", agent.token(),
                Map.of("type", "text", "content", "Shipping takes two days.")).json().get("sourceId").asText();
        assertThat(api.delete(agent.path() + "/knowledge/" + sourceId, agent.token()).status()).isEqualTo(204);
        Api.Response indexed = api.post("/rag/agents/" + agent.id() + "/index", agent.token(),
                Map.of("type", "text", "externalId", "doc-0", "content", "Returns take five days."));
        assertThat(indexed.status()).as(indexed.toString()).isEqualTo(201);
        Api.Response synced = api.put("/rag/agents/" + agent.id() + "/knowledge", agent.token(),
                Map.of("documents", List.of(Map.of("externalId", "doc-1", "content", "Warranty is two years."))));
        assertThat(synced.status()).as(synced.toString()).isEqualTo(200);
        assertThat(api.post("/admin/agents/" + agent.id() + "/disable", admin, null).status()).isEqualTo(200);
        assertThat(api.post("/admin/agents/" + agent.id() + "/enable", admin, null).status()).isEqualTo(200);

        String companyId = api.get("/auth/me", agent.token()).json().get("companyId").asText();
        List<JsonNode> entries = entries(admin, "companyId=" + companyId);
        JsonNode revoked = only(entries, "agent.key_revoked");
        assertThat(revoked.get("targetId").asText()).isEqualTo(agent.id());
        assertThat(revoked.at("/details/keyId").asText()).isEqualTo(keyId);
        assertThat(only(entries, "knowledge.deleted").get("targetId").asText()).isEqualTo(sourceId);
        assertThat(entries.stream().filter(e -> e.get("action").asText().equals("knowledge.added")
                && e.at("/details/via").asText().equals("rag")).toList()).hasSize(1);
        JsonNode sync = only(entries, "knowledge.synced");
        assertThat(sync.at("/details/added").asInt()).isEqualTo(1);
        assertThat(sync.at("/details/removed").asInt()).isEqualTo(1); // the full sync removed the indexed text
        JsonNode disabled = only(entries, "agent.disabled");
        assertThat(disabled.get("actorEmail").asText()).isEqualTo(ADMIN_EMAIL);
        assertThat(disabled.get("companyId").asText()).isEqualTo(companyId);
        assertThat(only(entries, "agent.enabled").get("targetId").asText()).isEqualTo(agent.id());
        assertThat(entries(admin, "actorEmail=" + ADMIN_EMAIL.toUpperCase() + "&companyId=" + companyId)
                .stream().map(e -> e.get("action").asText()).toList())
                .containsExactly("agent.enabled", "agent.disabled");
    }

    @Test
    void badParametersAreProblems() {
        String admin = adminToken();
        for (String query : List.of("companyId=nope", "from=yesterday", "to=2026-13-01", "limit=0", "limit=201",
                "cursor=%21%21", "action=DROP%20TABLE", "from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")) {
            assertProblem(api.get("/admin/audit?" + query, admin), 400);
        }
    }

    @Test
    void onlyThePlatformAdminReadsTheLog() {
        TestCompany company = signup();
        assertProblem(api.get("/admin/audit", null), 401);
        assertProblem(api.get("/admin/audit", company.token()), 403);
        assertProblem(api.get("/admin/audit?companyId=" + company.id(), company.token()), 403);
    }

    @Test
    void anActionThatRollsBackLeavesNoEntry() {
        UUID companyId = UUID.randomUUID();
        try {
            transactions.executeWithoutResult(status -> {
                audit.record(AuditEntry.of("agent.created").company(companyId).target("agent", "x"));
                throw new IllegalStateException("the action failed after recording");
            });
        } catch (IllegalStateException expected) {
            // rolled back
        }
        audit.record(AuditEntry.of("agent.deleted").company(companyId).target("agent", "y"));
        assertThat(jdbc.sql("SELECT action FROM audit_log WHERE company_id = ?").param(companyId).query(String.class)
                .list()).containsExactly("agent.deleted");
        // and a request that fails validation records nothing
        TestCompany company = signup();
        assertThat(api.post("/company/agents", company.token(), Map.of("name", "")).status()).isEqualTo(422);
        assertThat(jdbc.sql("SELECT action FROM audit_log WHERE company_id = ?").param(company.id())
                .query(String.class).list()).containsExactly("auth.signup");
    }

    @Test
    void entriesOlderThanTheRetentionAreDeletedAndNewerOnesKept() {
        String action = "test." + UUID.randomUUID().toString().substring(0, 8);
        java.time.Instant now = io.engage.common.Times.now();
        for (int daysAgo : new int[] {400, 366, 364, 0}) {
            jdbc.sql("INSERT INTO audit_log (id, occurred_at, action, target_id) VALUES (?, ?, ?, ?)")
                    .params(UUID.randomUUID(), io.engage.common.Times.sql(now.minus(java.time.Duration.ofDays(daysAgo))),
                            action, Integer.toString(daysAgo))
                    .update();
        }

        assertThat(retention.deleteOlderThan(now.minus(java.time.Duration.ofDays(365)))).isGreaterThanOrEqualTo(2);

        assertThat(jdbc.sql("SELECT target_id FROM audit_log WHERE action = ? ORDER BY occurred_at").param(action)
                .query(String.class).list()).containsExactly("364", "0");
    }
}
