package io.engage.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.memory.ConversationMemory;
import io.engage.memory.MemoryTurn;
import io.engage.support.Api;
import io.engage.support.IntegrationTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What the embeddable widget needs beyond asking: its settings in /agent/config, the help-center search
 * (/agent/search), resuming the visitor's conversation after a reload (/agent/conversation) and starting a new one.
 */
class WidgetApiIT extends IntegrationTest {

    @Autowired
    ConversationMemory memory;

    private TestAgent agentWithKnowledge(Map<String, ?> settings) {
        TestAgent agent = newAgent(settings);
        index(agent, Map.of("type", "text", "title", "Skyhawk DS-3 drone", "content", """
                # Skyhawk DS-3 drone

                The Skyhawk DS-3 is our foldable camera drone. It films 4K video and flies for 34 minutes on one \
                battery.

                ## Battery
                A full battery charge takes 70 minutes. Spare batteries cost 59 euros.

                ## Price
                The Skyhawk DS-3 costs 499 euros, including two batteries and a carrying case.
                """));
        index(agent, Map.of("type", "faq", "question", "How do I return a drone?", "answer", "You can return any "
                + "product within 30 days of delivery for a full refund. The return label is free."));
        index(agent, Map.of("type", "faq", "question", "How long does shipping take?", "answer", "Orders ship "
                + "within one business day; delivery takes 2 to 4 business days in the EU."));
        return agent;
    }

    private void index(TestAgent agent, Map<String, ?> body) {
        Api.Response response = api.post("/rag/agents/" + agent.id() + "/index", agent.token(), body);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
    }

    private Api.Response get(TestAgent agent, String path, String... headers) {
        List<String> all = new ArrayList<>(List.of("X-Engage-Key", agent.key()));
        all.addAll(List.of(headers));
        return api.send("GET", path, null, null, null, all.toArray(String[]::new));
    }

    private Api.Response search(TestAgent agent, String query) {
        return get(agent, "/agent/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    }

    private Api.Response conversation(TestAgent agent, String endUserId, String... headers) {
        return get(agent, "/agent/conversation?endUserId=" + URLEncoder.encode(endUserId, StandardCharsets.UTF_8),
                headers);
    }

    private JsonNode ask(TestAgent agent, Map<String, ?> body) {
        Api.Response response = api.send("POST", "/agent/query", null, body, "application/json", "X-Engage-Key",
                agent.key());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    // ---- settings and config ----

    @Test
    void widgetSettingsReachTheConfigAndKeepTheirValuesOnUpdate() {
        TestAgent plain = newAgent(Map.of());
        JsonNode defaults = get(plain, "/agent/config").json();
        assertThat(defaults.get("launcherIcon").asText()).isEqualTo("chat");
        assertThat(defaults.get("handoffUrl").isNull()).isTrue();
        assertThat(defaults.get("conversationTtlSeconds").asLong()).isEqualTo(86400);

        TestAgent agent = newAgent(Map.of("widget", Map.of("launcherIcon", "sparkles",
                "handoffUrl", "https://skyhawk.example/contact")));
        JsonNode agentJson = api.get(agent.path(), agent.token()).json();
        assertThat(agentJson.at("/widget/launcherIcon").asText()).isEqualTo("sparkles");
        assertThat(agentJson.at("/widget/handoffUrl").asText()).isEqualTo("https://skyhawk.example/contact");
        JsonNode config = get(agent, "/agent/config").json();
        assertThat(config.get("launcherIcon").asText()).isEqualTo("sparkles");
        assertThat(config.get("handoffUrl").asText()).isEqualTo("https://skyhawk.example/contact");

        // absent keeps, present replaces, "" clears
        api.put(agent.path(), agent.token(), Map.of("widget", Map.of("title", "Help")));
        assertThat(get(agent, "/agent/config").json().get("handoffUrl").asText())
                .isEqualTo("https://skyhawk.example/contact");
        api.put(agent.path(), agent.token(), Map.of("widget", Map.of("launcherIcon", "help",
                "handoffUrl", "mailto:support@skyhawk.example")));
        config = get(agent, "/agent/config").json();
        assertThat(config.get("launcherIcon").asText()).isEqualTo("help");
        assertThat(config.get("handoffUrl").asText()).isEqualTo("mailto:support@skyhawk.example");
        api.put(agent.path(), agent.token(), Map.of("widget", Map.of("handoffUrl", "")));
        assertThat(get(agent, "/agent/config").json().get("handoffUrl").isNull()).isTrue();
    }

    @Test
    void badWidgetSettingsAreRefusedNamingTheField() {
        TestCompany company = signup();
        for (String url : List.of("javascript:alert(1)", "ftp://files.example.com/x", "/contact", "example.com",
                "https://", "mailto:", "data:text/html,hi", "https://exa mple.com")) {
            Api.Response response = api.post("/company/agents", company.token(),
                    Map.of("name", "A", "widget", Map.of("handoffUrl", url)));
            assertProblem(response, 422);
            assertThat(response.json().at("/errors/0/field").asText()).as(url).isEqualTo("widget.handoffUrl");
        }
        Api.Response tooLong = api.post("/company/agents", company.token(), Map.of("name", "A",
                "widget", Map.of("handoffUrl", "https://example.com/" + "x".repeat(500))));
        assertProblem(tooLong, 422);
        assertThat(tooLong.body()).contains("widget.handoffUrl");

        Api.Response icon = api.post("/company/agents", company.token(),
                Map.of("name", "A", "widget", Map.of("launcherIcon", "rocket")));
        assertThat(icon.status()).as(icon.toString()).isIn(400, 422);
        assertProblem(icon, icon.status());
        assertThat(icon.body()).contains("launcherIcon");

        // an existing agent is not changed by a refused update
        TestAgent agent = newAgent(Map.of("widget", Map.of("handoffUrl", "https://skyhawk.example/contact")));
        assertProblem(api.put(agent.path(), agent.token(), Map.of("widget", Map.of("handoffUrl", "javascript:x"))),
                422);
        assertThat(get(agent, "/agent/config").json().get("handoffUrl").asText())
                .isEqualTo("https://skyhawk.example/contact");
    }

    // ---- help-center search ----

    @Test
    void searchShowsFaqEntriesAsQuestionAndAnswerAndOneResultPerSource() {
        TestAgent agent = agentWithKnowledge(Map.of());
        Api.Response response = search(agent, "  How can I return my drone?  ");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode first = response.json().at("/results/0");
        assertThat(first.get("title").asText()).isEqualTo("How do I return a drone?");
        assertThat(first.get("answer").asText()).isEqualTo("You can return any product within 30 days of delivery "
                + "for a full refund. The return label is free.");
        assertThat(first.get("snippet").asText()).startsWith("You can return any product");
        assertThat(first.get("url").isNull()).isTrue();
        assertThat(first.get("score").asDouble()).isPositive();
        assertThat(first.get("sourceId").asText()).isNotBlank();

        // the text source has several passages about batteries; it shows once, with its best one
        JsonNode results = search(agent, "battery").json().get("results");
        assertThat(results).isNotEmpty();
        List<String> sources = results.findValuesAsText("sourceId");
        assertThat(new HashSet<>(sources)).hasSameSizeAs(sources);
        JsonNode text = results.get(0);
        assertThat(text.get("title").asText()).isEqualTo("Skyhawk DS-3 drone");
        assertThat(text.get("answer").isNull()).isTrue();
        assertThat(text.get("snippet").asText()).containsIgnoringCase("battery").hasSizeLessThanOrEqualTo(301);

        // results best first, at most k
        JsonNode all = search(agent, "drone shipping return price").json().get("results");
        assertThat(all.size()).isBetween(1, 3);
        JsonNode one = get(agent, "/agent/search?q=drone&k=1").json().get("results");
        assertThat(one).hasSize(1);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).get("score").asDouble()).isLessThanOrEqualTo(all.get(i - 1).get("score")
                    .asDouble());
        }
    }

    @Test
    void searchLeavesOutUnrelatedKnowledge() {
        TestAgent agent = agentWithKnowledge(Map.of());
        Api.Response response = search(agent, "Who won the football world cup in 1954?");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().get("results")).as(response.toString()).isEmpty();
        // an agent without any knowledge finds nothing either
        assertThat(search(newAgent(Map.of()), "drone").json().get("results")).isEmpty();
    }

    @Test
    void searchRefusesBadParametersAndKeys() {
        TestAgent agent = newAgent(Map.of());
        assertProblem(get(agent, "/agent/search"), 400);
        assertProblem(get(agent, "/agent/search?q=%20%20"), 400);
        assertProblem(search(agent, "x".repeat(301)), 400);
        assertThat(search(agent, "x".repeat(300)).status()).isEqualTo(200);
        assertProblem(get(agent, "/agent/search?q=drone&k=0"), 400);
        assertProblem(get(agent, "/agent/search?q=drone&k=11"), 400);
        assertProblem(get(agent, "/agent/search?q=drone&k=many"), 400);
        assertProblem(api.send("GET", "/agent/search?q=drone", null, null, null, "X-Engage-Key", "ek_wrong"), 401);
        assertProblem(api.send("GET", "/agent/search?q=drone", null, null, null), 401);
    }

    // ---- resuming a conversation ----

    @Test
    void theCurrentConversationComesBackWithIdsCitationsAndFeedback() {
        TestAgent agent = agentWithKnowledge(Map.of());
        JsonNode first = ask(agent, Map.of("endUserId", "reloader", "message", "How long does the drone fly?"));
        JsonNode second = ask(agent, Map.of("endUserId", "reloader", "message", "What does the DS-3 cost?"));
        String conversationId = first.get("conversationId").asText();
        assertThat(second.get("conversationId").asText()).isEqualTo(conversationId);
        Api.Response vote = api.send("POST", "/agent/events", null, Map.of("type", "feedback", "messageId",
                second.get("messageId").asText(), "value", "down"), "application/json", "X-Engage-Key", agent.key());
        assertThat(vote.status()).as(vote.toString()).isEqualTo(202);

        Api.Response response = conversation(agent, "reloader");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode current = response.json();
        assertThat(current.get("conversationId").asText()).isEqualTo(conversationId);
        JsonNode messages = current.get("messages");
        assertThat(messages.findValuesAsText("role")).containsExactly("user", "assistant", "user", "assistant");
        assertThat(messages.get(0).get("content").asText()).isEqualTo("How long does the drone fly?");
        assertThat(messages.get(1).get("id").asText()).isEqualTo(first.get("messageId").asText());
        assertThat(messages.get(1).get("content").asText()).isEqualTo(first.get("answer").asText());
        assertThat(messages.get(1).get("grounded").asBoolean()).isTrue();
        assertThat(messages.get(1).get("handoff").asBoolean()).isFalse();
        assertThat(messages.get(1).get("citations").findValuesAsText("title")).contains("Skyhawk DS-3 drone");
        assertThat(messages.get(1).at("/citations/0/sourceId").asText()).isNotBlank();
        assertThat(messages.get(1).get("feedback").isNull()).isTrue();
        assertThat(messages.get(3).get("id").asText()).isEqualTo(second.get("messageId").asText());
        assertThat(messages.get(3).get("feedback").asText()).isEqualTo("down");
        for (JsonNode message : messages) {
            assertThat(message.get("id").asText()).isNotBlank();
            assertThat(Instant.parse(message.get("createdAt").asText())).isBeforeOrEqualTo(Instant.now());
        }

        // "New conversation": the next question starts one, and it becomes the current one
        JsonNode fresh = ask(agent, Map.of("endUserId", "reloader", "message", "Can I return it?",
                "newConversation", true));
        assertThat(fresh.get("conversationId").asText()).isNotEqualTo(conversationId);
        JsonNode resumed = conversation(agent, "reloader").json();
        assertThat(resumed.get("conversationId").asText()).isEqualTo(fresh.get("conversationId").asText());
        assertThat(resumed.get("messages").findValuesAsText("content"))
                .containsExactly("Can I return it?", fresh.get("answer").asText());
        // and it continues without the flag; newConversation: false changes nothing
        assertThat(ask(agent, Map.of("endUserId", "reloader", "message", "And shipping?", "newConversation", false))
                .get("conversationId").asText()).isEqualTo(fresh.get("conversationId").asText());
        assertThat(conversation(agent, "reloader").json().get("messages")).hasSize(4);
    }

    @Test
    void turnsNotYetStoredComeFromMemory() {
        TestAgent agent = agentWithKnowledge(Map.of());
        JsonNode answer = ask(agent, Map.of("endUserId", "multi-node", "message", "What does the DS-3 cost?"));
        UUID conversationId = UUID.fromString(answer.get("conversationId").asText());
        // a turn answered by another node whose writer has not stored it yet: only memory knows it
        UUID question = UUID.randomUUID();
        UUID reply = UUID.randomUUID();
        Instant now = Instant.now();
        memory.append(UUID.fromString(agent.id()), "multi-node", List.of(
                new MemoryTurn(MemoryTurn.USER, "And the battery?", conversationId, now, question),
                new MemoryTurn(MemoryTurn.ASSISTANT, "Spare batteries cost 59 euros.", conversationId,
                        now.plusMillis(5), reply)));
        JsonNode messages = conversation(agent, "multi-node").json().get("messages");
        assertThat(messages.findValuesAsText("id")).containsExactly(
                messages.get(0).get("id").asText(), answer.get("messageId").asText(), question.toString(),
                reply.toString());
        assertThat(messages.get(3).get("content").asText()).isEqualTo("Spare batteries cost 59 euros.");
        assertThat(messages.get(3).get("citations")).isEmpty();
    }

    @Test
    void unknownVisitorsHaveNothingToResumeAndAreNotCreated() {
        TestAgent agent = agentWithKnowledge(Map.of());
        Api.Response response = conversation(agent, "never-seen");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().get("conversationId").isNull()).isTrue();
        assertThat(response.json().get("messages")).isEmpty();
        assertThat(api.get(agent.path() + "/users", agent.token()).json().get("items")).isEmpty();

        assertProblem(get(agent, "/agent/conversation"), 422);
        assertProblem(conversation(agent, "   "), 422);
        assertProblem(conversation(agent, "v".repeat(201)), 422);
        assertProblem(api.send("GET", "/agent/conversation?endUserId=x", null, null, null, "X-Engage-Key",
                "ek_wrong"), 401);
    }

    @Test
    void identityVerificationAndBlockingApplyToResuming() {
        String secret = "identity-secret-0123456789";
        TestAgent agent = agentWithKnowledge(Map.of("identityVerification", Map.of("enabled", true,
                "secret", secret)));
        String hash = AgentRuntime.hmacHex(secret, "customer-7");
        JsonNode answer = ask(agent, Map.of("endUserId", "customer-7", "message", "Can I return it?",
                "userHash", hash));

        assertProblem(conversation(agent, "customer-7"), 401);
        assertProblem(conversation(agent, "customer-7", "X-Engage-User-Hash",
                AgentRuntime.hmacHex(secret, "customer-8")), 401);
        // an unverified caller cannot even learn whether a visitor exists
        assertProblem(conversation(agent, "nobody"), 401);
        Api.Response verified = conversation(agent, "customer-7", "X-Engage-User-Hash", hash.toUpperCase());
        assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
        assertThat(verified.json().get("conversationId").asText()).isEqualTo(answer.get("conversationId").asText());
        assertThat(verified.json().get("messages")).hasSize(2);

        String userId = api.get(agent.path() + "/users", agent.token()).json().at("/items/0/id").asText();
        api.post(agent.path() + "/users/" + userId + "/block", agent.token(), null);
        assertProblem(conversation(agent, "customer-7", "X-Engage-User-Hash", hash), 403);
        api.post(agent.path() + "/users/" + userId + "/unblock", agent.token(), null);
        assertThat(conversation(agent, "customer-7", "X-Engage-User-Hash", hash).status()).isEqualTo(200);
    }

    @Test
    void preflightsAllowTheUserHashHeader() {
        Api.Response preflight = api.send("OPTIONS", "/agent/conversation", null, null, null,
                "Origin", "https://shop.example.com", "Access-Control-Request-Method", "GET",
                "Access-Control-Request-Headers", "x-engage-key,x-engage-user-hash");
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Headers")).containsIgnoringCase("X-Engage-User-Hash")
                .containsIgnoringCase("X-Engage-Key");
        assertThat(preflight.header("Access-Control-Allow-Methods")).contains("GET");
    }
}
