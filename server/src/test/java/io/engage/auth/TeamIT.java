package io.engage.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.support.Api;
import io.engage.support.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TeamIT extends IntegrationTest {

    @Test
    void companyAdminManagesTeamAndMembersAreReadOnly() {
        TestCompany company = signup();
        String memberEmail = unique("member") + "@example.com";
        Api.Response added = api.post("/company/users", company.token(),
                Map.of("email", memberEmail, "password", PASSWORD, "role", "COMPANY_MEMBER"));
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        assertThat(added.body()).doesNotContain(PASSWORD).doesNotContain("password");
        String memberId = added.json().get("id").asText();

        JsonNode team = api.get("/company/users", company.token()).json();
        assertThat(team.get("items").findValuesAsText("email")).containsExactlyInAnyOrder(company.email(), memberEmail);

        String member = login("/company/login", memberEmail, PASSWORD);
        JsonNode agent = createAgent(company.token(), Map.of("name", "Support"));
        String agentPath = "/company/agents/" + agent.get("id").asText();

        // members read
        assertThat(api.get("/company/agents", member).status()).isEqualTo(200);
        assertThat(api.get(agentPath, member).status()).isEqualTo(200);
        assertThat(api.get("/company/users", member).status()).isEqualTo(200);
        // members do not change
        assertProblem(api.post("/company/agents", member, Map.of("name", "X")), 403);
        assertProblem(api.put(agentPath, member, Map.of("name", "Y")), 403);
        assertProblem(api.delete(agentPath, member), 403);
        assertProblem(api.post(agentPath + "/keys", member, null), 403);
        assertProblem(api.get(agentPath + "/keys", member), 403);
        assertProblem(api.post("/company/users", member,
                Map.of("email", unique("x") + "@example.com", "password", PASSWORD, "role", "COMPANY_ADMIN")), 403);

        // promotion applies at once, without a new token
        assertThat(api.patch("/company/users/" + memberId, company.token(), Map.of("role", "COMPANY_ADMIN")).status())
                .isEqualTo(200);
        assertThat(api.put(agentPath, member, Map.of("name", "Renamed")).status()).isEqualTo(200);
    }

    @Test
    void aCompanyKeepsAtLeastOneAdmin() {
        TestCompany company = signup();
        String selfId = api.get("/auth/me", company.token()).json().get("userId").asText();
        assertProblem(api.delete("/company/users/" + selfId, company.token()), 409);
        assertProblem(api.patch("/company/users/" + selfId, company.token(), Map.of("role", "COMPANY_MEMBER")), 409);
        assertProblem(api.post("/company/users", company.token(),
                Map.of("email", unique("x") + "@example.com", "password", PASSWORD, "role", "PLATFORM_ADMIN")), 422);
    }

    @Test
    void removedMembersLoseAccessAtOnce() {
        TestCompany company = signup();
        String email = unique("member") + "@example.com";
        String memberId = api.post("/company/users", company.token(),
                Map.of("email", email, "password", PASSWORD, "role", "COMPANY_MEMBER")).json().get("id").asText();
        String member = login("/company/login", email, PASSWORD);
        assertThat(api.delete("/company/users/" + memberId, company.token()).status()).isEqualTo(204);
        assertProblem(api.get("/company/agents", member), 401);
    }
}
