package io.engage.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.support.Api;
import io.engage.support.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AdminCompaniesIT extends IntegrationTest {

    @Test
    void adminCreatesCompanyWhoseAdminCanSignIn() {
        String admin = adminToken();
        String email = unique("boss") + "@acme.test";
        Api.Response created = api.post("/admin/companies", admin,
                Map.of("name", "Acme Inc", "adminEmail", email, "adminPassword", PASSWORD));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode company = created.json();
        assertThat(company.get("name").asText()).isEqualTo("Acme Inc");
        assertThat(company.get("status").asText()).isEqualTo("active");
        assertThat(created.header("Location")).endsWith("/admin/companies/" + company.get("id").asText());

        String companyToken = login("/company/login", email, PASSWORD);
        JsonNode me = api.get("/auth/me", companyToken).json();
        assertThat(me.get("role").asText()).isEqualTo("COMPANY_ADMIN");
        assertThat(me.get("companyId").asText()).isEqualTo(company.get("id").asText());
        assertThat(me.get("companyName").asText()).isEqualTo("Acme Inc");

        assertThat(api.get("/admin/companies/" + company.get("id").asText(), admin).json().get("name").asText())
                .isEqualTo("Acme Inc");
    }

    @Test
    void listPagesWithCursorAndFiltersByName() {
        String admin = adminToken();
        String marker = unique("pagetest");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(api.post("/admin/companies", admin, Map.of("name", marker + " " + i,
                    "adminEmail", unique("a") + "@example.com", "adminPassword", PASSWORD)).json().get("id").asText());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Api.Response page = api.get("/admin/companies?limit=2&q=" + marker.toUpperCase()
                    + (cursor == null ? "" : "&cursor=" + cursor), admin);
            assertThat(page.status()).isEqualTo(200);
            JsonNode body = page.json();
            assertThat(body.get("items").size()).isLessThanOrEqualTo(2);
            body.get("items").forEach(item -> seen.add(item.get("id").asText()));
            cursor = body.get("nextCursor").isNull() ? null : body.get("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(seen).containsExactlyElementsOf(ids);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void duplicateAdminEmailConflicts() {
        String admin = adminToken();
        String email = unique("dup") + "@example.com";
        assertThat(api.post("/admin/companies", admin, Map.of("name", "One", "adminEmail", email,
                "adminPassword", PASSWORD)).status()).isEqualTo(201);
        long before = jdbc.sql("SELECT COUNT(*) FROM companies").query(Long.class).single();
        assertProblem(api.post("/admin/companies", admin, Map.of("name", "Two", "adminEmail", email,
                "adminPassword", PASSWORD)), 409);
        // the failed creation left no half-made company behind
        assertThat(jdbc.sql("SELECT COUNT(*) FROM companies").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void invalidCompaniesAreRejectedWithFieldErrors() {
        Api.Response response = api.post("/admin/companies", adminToken(),
                Map.of("name", " ", "adminEmail", "nope", "adminPassword", "123"));
        assertProblem(response, 422);
        assertThat(response.json().get("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("name", "adminEmail", "adminPassword");
    }

    @Test
    void deletingACompanyCascadesToEverythingItOwns() {
        String admin = adminToken();
        TestCompany doomed = signup();
        TestCompany survivor = signup();
        JsonNode agent = createAgent(doomed.token(), Map.of("name", "Doomed agent"));
        UUID agentId = UUID.fromString(agent.get("id").asText());
        String key = agent.get("apiKey").asText();
        jdbc.sql("INSERT INTO end_users (id, agent_id, company_id, external_id, first_seen_at, last_seen_at) "
                + "VALUES (?, ?, ?, 'visitor-1', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
                .params(UUID.randomUUID(), agentId, doomed.id()).update();
        JsonNode survivorAgent = createAgent(survivor.token(), Map.of("name", "Survivor agent"));

        assertThat(api.delete("/admin/companies/" + doomed.id(), admin).status()).isEqualTo(204);

        assertProblem(api.get("/admin/companies/" + doomed.id(), admin), 404);
        assertProblem(api.get("/admin/agents/" + agentId, admin), 404);
        for (String table : List.of("agents", "agent_api_keys", "end_users", "users")) {
            assertThat(jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE company_id = ?").param(doomed.id())
                    .query(Long.class).single()).as(table).isZero();
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM agent_api_keys WHERE prefix = ?").param(key.substring(0, 11))
                .query(Long.class).single()).isZero();
        // the other tenant is untouched
        assertThat(api.get("/company/agents/" + survivorAgent.get("id").asText(), survivor.token()).status())
                .isEqualTo(200);
        assertProblem(api.delete("/admin/companies/" + doomed.id(), admin), 404);
    }

    @Test
    void adminSeesAllAgentsAndTheirEndUsers() {
        String admin = adminToken();
        TestCompany a = signup();
        TestCompany b = signup();
        String agentA = createAgent(a.token(), Map.of("name", "A1")).get("id").asText();
        String agentB = createAgent(b.token(), Map.of("name", "B1", "status", "published")).get("id").asText();

        JsonNode forA = api.get("/admin/agents?companyId=" + a.id(), admin).json();
        assertThat(forA.get("items").findValuesAsText("id")).containsExactly(agentA);
        JsonNode published = api.get("/admin/agents?status=published&companyId=" + b.id(), admin).json();
        assertThat(published.get("items").findValuesAsText("id")).containsExactly(agentB);
        JsonNode drafts = api.get("/admin/agents?status=draft&companyId=" + b.id(), admin).json();
        assertThat(drafts.get("items")).isEmpty();

        JsonNode users = api.get("/admin/agents/" + agentA + "/users", admin).json();
        assertThat(users.get("items")).isEmpty();
        assertThat(users.get("nextCursor").isNull()).isTrue();
        assertProblem(api.get("/admin/agents/" + UUID.randomUUID() + "/users", admin), 404);
    }
}
