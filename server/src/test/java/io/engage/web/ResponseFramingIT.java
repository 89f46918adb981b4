package io.engage.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.support.Api;
import io.engage.support.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * JSON responses carry their length instead of being sent chunked (one write per response, see SizedJsonConverter):
 * answers, other API documents, problems from the controllers and from the security filters.
 */
class ResponseFramingIT extends IntegrationTest {

    private static void assertSized(Api.Response response) {
        assertThat(response.header("transfer-encoding")).as(response.headers().toString()).isNull();
        assertThat(response.header("content-length")).as(response.headers().toString())
                .isEqualTo(String.valueOf(response.body().getBytes(StandardCharsets.UTF_8).length));
    }

    @Test
    void answersAndDocumentsAreSized() {
        TestAgent agent = newAgent(Map.of("status", "published", "greeting", "Hej, hur kan jag hjälpa dig? ✈"));
        Api.Response answer = api.send("POST", "/agent/query", null, Map.of("endUserId", "visitor-1", "message",
                "Was kostet die Drohne?"), "application/json", "X-Engage-Key", agent.key());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json().get("answer").asText()).isNotBlank();
        assertSized(answer);

        Api.Response config = api.send("GET", "/agent/config", null, null, null, "X-Engage-Key", agent.key());
        assertThat(config.json().get("greeting").asText()).isEqualTo("Hej, hur kan jag hjälpa dig? ✈");
        assertSized(config);

        Api.Response me = api.get("/auth/me", signup().token());
        assertThat(me.status()).isEqualTo(200);
        assertSized(me);
    }

    @Test
    void problemsAreSized() {
        Api.Response invalid = api.send("POST", "/company/signup", null, Map.of("email", "not an address"),
                "application/json");
        assertProblem(invalid, invalid.status());
        assertThat(invalid.status()).isBetween(400, 499);
        assertSized(invalid);

        Api.Response unauthorized = api.get("/company/agents", null); // written by the security filters
        assertProblem(unauthorized, 401);
        assertSized(unauthorized);

        Api.Response badKey = api.send("POST", "/agent/query", null, Map.of("endUserId", "v", "message", "hi"),
                "application/json", "X-Engage-Key", "not-a-key");
        assertProblem(badKey, 401);
        assertSized(badKey);
    }
}
