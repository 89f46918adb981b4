package io.engage.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.support.Api;
import io.engage.support.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/** ENGAGE_DEMO=true: a fresh install answers from the demo agent's knowledge with the key in the data dir. */
@DirtiesContext
@TestPropertySource(properties = {"engage.demo=true", "engage.demo-admin.password=skyhawk-pilot-42"})
class DemoIT extends IntegrationTest {

    @Value("${engage.data-dir}")
    Path dataDir;

    @Autowired
    DemoSeeder seeder;

    @Test
    void theDemoAgentAnswersFromItsKnowledge() throws Exception {
        Path keyFile = dataDir.resolve("demo-widget-key");
        assertThat(keyFile).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        String key = Files.readString(keyFile).strip();

        JsonNode config = api.send("GET", "/agent/config", null, null, null, "X-Engage-Key", key).json();
        assertThat(config.get("name").asText()).isEqualTo(DemoSeeder.AGENT_NAME);
        assertThat(config.get("suggestedQuestions")).hasSize(3);

        // knowledge is ingested in the background: wait until every demo source is ready (a question asked while
        // only some are can be grounded on another one), then until the answer is grounded
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        String owner = login("/company/login", "demo@engage.local", "skyhawk-pilot-42");
        String agentPath = "/company/agents/" + api.get("/company/agents", owner).json().at("/items/0/id").asText();
        while (!allReady(api.get(agentPath + "/knowledge", owner).json().get("items"))
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        JsonNode answer;
        do {
            Api.Response response = api.send("POST", "/agent/query", null, Map.of("endUserId", "demo-visitor",
                    "message", "How long does shipping take?"), "application/json", "X-Engage-Key", key);
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            answer = response.json();
            if (!answer.get("grounded").asBoolean()) {
                Thread.sleep(500);
            }
        } while (!answer.get("grounded").asBoolean() && Instant.now().isBefore(deadline));
        assertThat(answer.get("answer").asText()).contains("business day");

        // seeding again (a restart) changes nothing and keeps the same key working
        seeder.seed();
        assertThat(Files.readString(keyFile).strip()).isEqualTo(key);
        String token = login("/company/login", "demo@engage.local", "skyhawk-pilot-42");
        assertThat(api.get("/company/agents", token).json().get("items")).hasSize(1);
    }

    @Test
    void demoPagesEmbedTheWidgetWithTheDemoKey() throws Exception {
        String key = Files.readString(dataDir.resolve("demo-widget-key")).strip();
        JsonNode config = api.send("GET", "/agent/config", null, null, null, "X-Engage-Key", key).json();
        assertThat(config.get("launcherIcon").asText()).isEqualTo("chat");
        assertThat(config.get("handoffUrl").asText()).isEqualTo("mailto:support@skyhawk.example");

        Api.Response landing = api.send("GET", "/demo", null, null, null, "Accept", "text/html");
        assertThat(landing.status()).as(landing.toString()).isEqualTo(200);
        assertStrictHtml(landing);
        assertThat(landing.body()).startsWith("<!doctype html>")
                .contains("<script src=\"/widget.js\" data-engage-key=\"" + key + "\" async></script>")
                .contains("Skyhawk", "Skyhawk DS-3", "499 €", "Skyhawk Mini 2", "299 €", "649 €", "<footer");

        Api.Response help = api.get("/demo/help", null);
        assertThat(help.status()).as(help.toString()).isEqualTo(200);
        assertStrictHtml(help);
        assertThat(help.body()).contains("<div id=\"engage-help\"></div>")
                .contains("<script src=\"/widget.js\" data-engage-key=\"" + key + "\" data-engage-mode=\"qa\" "
                        + "data-engage-target=\"#engage-help\" async></script>");

        // ?key= tries another agent's snippet on the page; anything but a widget key is refused, never echoed
        Api.Response other = api.get("/demo?key=ek_AnotherAgentsKey_123", null);
        assertThat(other.body()).contains("data-engage-key=\"ek_AnotherAgentsKey_123\"").doesNotContain(key);
        assertProblem(api.get("/demo?key=%22%3E%3Cscript%3Ealert(1)%3C/script%3E", null), 400);
        assertProblem(api.get("/demo/help?key=not-a-key", null), 400);
    }

    /** Served fresh, with a CSP that allows this server's scripts and fetches and nothing inline but styles. */
    private static void assertStrictHtml(Api.Response page) {
        assertThat(page.contentType()).isEqualToIgnoringCase("text/html;charset=UTF-8");
        assertThat(page.header("Cache-Control")).contains("no-store");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'", "script-src 'self'",
                "connect-src 'self'", "style-src 'self' 'unsafe-inline'", "frame-ancestors 'none'")
                .doesNotContain("script-src 'self' 'unsafe-inline'");
        // the only script is the widget's: no inline script, no event-handler attributes
        assertThat(page.body().split("<script", -1)).hasSize(2);
        assertThat(page.body()).doesNotContainPattern("\\son[a-z]+=").doesNotContain("javascript:");
    }

    private static boolean allReady(JsonNode sources) {
        if (sources.isEmpty()) {
            return false;
        }
        for (JsonNode source : sources) {
            if (!"ready".equals(source.get("status").asText())) {
                return false;
            }
        }
        return true;
    }
}
