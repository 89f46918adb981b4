package io.engage.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.EngageApplication;
import io.engage.agents.AgentService;
import io.engage.support.Api;
import io.engage.support.AppNode;
import io.engage.support.FakeOpenAi;
import io.engage.support.IntegrationTest;
import io.engage.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What visitors and the model write is stored sealed (AES-256-GCM) wherever it lands in the database, secrets too;
 * the {@code reencrypt} command moves everything to a new master key (and seals rows from before encryption at
 * rest), after which a node holding only the new key reads it all. The test rotates the suite's key and back, so
 * the shared application context keeps reading the database afterwards.
 */
class EncryptionAtRestIT extends IntegrationTest {

    private static final String QUESTION = "Does the quokka-marmalade parcel ship to Zanzibar?";
    private static final String ANSWER_WORD = "hippogriff-express";
    private static final String COMMENT = "the narwhal-biscuit answer was wrong";
    private static final String PROVIDER_KEY = "sk-rotation-test-7f3c9a";
    private static final String LEGACY = "Legacy walrus-lantern question from before encryption?";

    @Test
    void conversationTextIsSealedEverywhereAndMovesToANewKeyWithTheReencryptCommand() throws Exception {
        TestCompany company = signup();
        JsonNode agent;
        JsonNode answer;
        try (FakeOpenAi model = new FakeOpenAi()) {
            model.answerWith(List.of("It ships with ", ANSWER_WORD, " [1]."));
            agent = createAgent(company.token(), Map.of("name", "Vault", "llm", Map.of("provider",
                    "openai-compatible", "baseUrl", model.baseUrl(), "model", "test-model", "apiKey",
                    PROVIDER_KEY)));
            Api.Response indexed = api.post("/rag/agents/" + agent.get("id").asText() + "/index", company.token(),
                    Map.of("type", "text", "title", "Shipping", "content", "Parcels ship to Zanzibar weekly."));
            assertThat(indexed.status()).as(indexed.toString()).isEqualTo(201);
            answer = ask(agent.get("apiKey").asText(), QUESTION);
            // an unanswerable question: a knowledge gap with its text
            ask(agent.get("apiKey").asText(), "What is the favourite opera of the quokka-marmalade CEO?");
        }
        String agentId = agent.get("id").asText();
        Api.Response voted = api.send("POST", "/agent/events", null, Map.of("type", "feedback", "messageId",
                answer.get("messageId").asText(), "value", "down", "comment", COMMENT), "application/json",
                "X-Engage-Key", agent.get("apiKey").asText());
        assertThat(voted.status()).as(voted.toString()).isEqualTo(202);
        String transcript = "/company/agents/" + agentId + "/conversations/" + answer.get("conversationId").asText();
        assertThat(messages(api, transcript, company.token())).contains(QUESTION);
        awaitGap(company.token(), agentId);

        // no clear text of the conversation or the provider key in any text column of any table
        assertThat(clearTextHits("quokka-marmalade", ANSWER_WORD, "narwhal-biscuit", PROVIDER_KEY)).isEmpty();
        Path keyFile = Path.of(TestDatabase.properties().get("engage.data-dir")).resolve("master.key");
        String suiteKey = Files.readString(keyFile).trim();
        String suiteKeyId = keyIdOf(suiteKey);
        assertThat(sealedValues(agentId)).isNotEmpty().allMatch(v -> v.startsWith("v1." + suiteKeyId + "."));

        // rows written before encryption at rest: plain text, still readable, sealed by the command
        UUID conversationId = UUID.fromString(answer.get("conversationId").asText());
        jdbc.sql("INSERT INTO messages (id, conversation_id, agent_id, company_id, role, content, created_at) "
                + "VALUES (?, ?, ?, (SELECT company_id FROM agents WHERE id = ?), 'user', ?, ?)")
                .params(UUID.randomUUID(), conversationId, UUID.fromString(agentId), UUID.fromString(agentId), LEGACY,
                        Timestamp.from(Instant.now().plusSeconds(60))).update();
        jdbc.sql("INSERT INTO analytics_questions (day_start, company_id, agent_id, question_key, question, asked, "
                + "answered) VALUES (?, (SELECT company_id FROM agents WHERE id = ?), ?, ?, ?, 5, 0)")
                .params(Timestamp.from(Instant.now().truncatedTo(ChronoUnit.DAYS)), UUID.fromString(agentId),
                        UUID.fromString(agentId), "legacy walrus-lantern question from before encryption", LEGACY)
                .update();
        assertThat(messages(api, transcript, company.token())).contains(LEGACY);

        // rotation: a new current key, the suite's key kept readable while the command runs
        String newKey = randomKey();
        assertThat(reencrypt(newKey, suiteKey)).isZero();
        assertThat(clearTextHits("quokka-marmalade", ANSWER_WORD, "narwhal-biscuit", PROVIDER_KEY, "walrus-lantern"))
                .isEmpty();
        assertThat(sealedValues(agentId)).isNotEmpty().allMatch(v -> v.startsWith("v1." + keyIdOf(newKey) + "."));
        assertThat(reencrypt(newKey, suiteKey)).as("a second run finds nothing to do and succeeds").isZero();

        // a node with only the new key reads transcripts, analytics, gaps and the agent's provider key
        try (AppNode node = AppNode.start(nodeSettings(newKey))) {
            Api onNode = node.api();
            Api.Response loggedIn = onNode.post("/company/login", null, Map.of("email", company.email(), "password",
                    PASSWORD));
            assertThat(loggedIn.status()).as(loggedIn.toString()).isEqualTo(200);
            String token = loggedIn.json().get("accessToken").asText();
            assertThat(messages(onNode, transcript, token)).contains(QUESTION, LEGACY)
                    .anyMatch(text -> text.contains(ANSWER_WORD));
            JsonNode top = onNode.get("/company/analytics?agentId=" + agentId, token).json().get("topQuestions");
            assertThat(top.findValuesAsText("question")).contains(QUESTION, LEGACY);
            assertThat(onNode.get("/company/agents/" + agentId + "/gaps", token).json().get("items")
                    .findValuesAsText("question")).anyMatch(q -> q.contains("favourite opera"));
            assertThat(node.bean(AgentService.class).secrets(company.id(), UUID.fromString(agentId)).llmApiKey())
                    .isEqualTo(PROVIDER_KEY);
        }

        // and back, so that the shared context (the suite's key) reads what the following tests need
        assertThat(reencrypt(suiteKey, newKey)).isZero();
        assertThat(sealedValues(agentId)).allMatch(v -> v.startsWith("v1." + suiteKeyId + "."));
        // a key the data was never sealed under: the command fails and changes nothing
        assertThat(reencrypt(randomKey(), null)).isEqualTo(1);
        assertThat(sealedValues(agentId)).allMatch(v -> v.startsWith("v1." + suiteKeyId + "."));
        assertThat(messages(api, transcript, company.token())).contains(QUESTION, LEGACY);
    }

    private JsonNode ask(String key, String message) {
        Api.Response response = api.send("POST", "/agent/query", null, Map.of("endUserId", "vera", "message",
                message), "application/json", "X-Engage-Key", key);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static List<String> messages(Api on, String transcript, String token) {
        Api.Response response = on.get(transcript, token);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().get("messages").findValuesAsText("content");
    }

    private void awaitGap(String token, String agentId) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            if (!api.get("/company/agents/" + agentId + "/gaps", token).json().get("items").isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no knowledge gap recorded");
    }

    /** "table.column" of every text column holding one of the needles in clear. */
    private List<String> clearTextHits(String... needles) {
        List<String> hits = new ArrayList<>();
        List<String[]> columns = jdbc.sql("""
                SELECT table_name, column_name FROM information_schema.columns
                WHERE LOWER(table_schema) = 'public' AND LOWER(table_name) <> 'flyway_schema_history'
                  AND LOWER(data_type) IN ('character varying', 'text', 'character large object')""")
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).list();
        assertThat(columns).hasSizeGreaterThan(20);
        for (String[] column : columns) {
            for (String needle : needles) {
                long found = jdbc.sql("SELECT COUNT(*) FROM " + column[0] + " WHERE LOWER(" + column[1]
                        + ") LIKE ?").params("%" + needle.toLowerCase() + "%").query(Long.class).single();
                if (found > 0) {
                    hits.add(column[0] + "." + column[1] + " has " + needle);
                }
            }
        }
        return hits;
    }

    /** Every sealed value this agent's conversation left in the database. */
    private List<String> sealedValues(String agentId) {
        UUID id = UUID.fromString(agentId);
        List<String> values = new ArrayList<>();
        values.addAll(jdbc.sql("SELECT content FROM messages WHERE agent_id = ?").params(id).query(String.class)
                .list());
        values.addAll(jdbc.sql("SELECT retrieval_query FROM messages WHERE agent_id = ? AND retrieval_query IS NOT "
                + "NULL").params(id).query(String.class).list());
        values.addAll(jdbc.sql("SELECT feedback_comment FROM messages WHERE agent_id = ? AND feedback_comment IS NOT "
                + "NULL").params(id).query(String.class).list());
        values.addAll(jdbc.sql("SELECT question FROM analytics_events WHERE agent_id = ? AND question IS NOT NULL")
                .params(id).query(String.class).list());
        values.addAll(jdbc.sql("SELECT question FROM analytics_questions WHERE agent_id = ?").params(id)
                .query(String.class).list());
        values.addAll(jdbc.sql("SELECT question FROM analytics_gaps WHERE agent_id = ?").params(id)
                .query(String.class).list());
        values.addAll(jdbc.sql("SELECT llm_api_key_enc FROM agents WHERE id = ?").params(id).query(String.class)
                .list());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM messages WHERE agent_id = ? AND feedback_comment IS NOT NULL")
                .params(id).query(Long.class).single()).isEqualTo(1);
        return values;
    }

    private static int reencrypt(String masterKey, String previousKey) {
        Map<String, String> settings = nodeSettings(masterKey);
        // the nodes' environment may name an HTTP redirect port (TLS is off here, so a node would refuse to start
        // with it): the command serves nothing and must neither take nor check it
        settings.put("engage.tls.redirect-port", "8081");
        if (previousKey != null) {
            settings.put("engage.previous-master-keys", previousKey);
        }
        return EngageApplication.runCommand(EngageApplication.REENCRYPT, AppNode.arguments(settings));
    }

    /** This run's database, with the given master key. */
    private static Map<String, String> nodeSettings(String masterKey) {
        Map<String, String> settings = new HashMap<>(TestDatabase.properties());
        settings.put("engage.master-key", masterKey);
        return settings;
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static String keyIdOf(String base64Key) {
        return new SecretCipher(Base64.getDecoder().decode(base64Key)).keyId();
    }
}
