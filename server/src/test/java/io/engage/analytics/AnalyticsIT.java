package io.engage.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.support.Api;
import io.engage.support.FakeOpenAi;
import io.engage.support.IntegrationTest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Analytics end to end: a scripted series of conversations over the AI Agent API, then the company and platform
 * reports checked against figures this test recomputes on its own from the raw event log; knowledge gaps grouped
 * by meaning and turned into FAQ knowledge; bad ranges and other tenants refused.
 */
class AnalyticsIT extends IntegrationTest {

    record TestAgent(String id, String key) {
    }

    /** A raw event row, as the test reads it from analytics_events. */
    record Raw(UUID id, UUID companyId, UUID agentId, UUID endUserId, UUID conversationId, UUID messageId,
            String type, Instant at, String question, Integer latencyMs, Integer tokensIn, Integer tokensOut,
            String model, Boolean grounded, Boolean handoff, Boolean gap, Integer score) {
    }

    private TestAgent extractiveAgent(String token) {
        JsonNode agent = createAgent(token, Map.of("name", "Shop help", "fallbackMessage", "Sorry, I don't know.",
                "retrieval", Map.of("minScore", 0.35)));
        String id = agent.get("id").asText();
        index(token, id, "Shipping", "We ship to every country in the European Union within 3 working days. "
                + "Shipping is free for orders above 50 euros.");
        index(token, id, "Returns", "You can return any product within 30 days of delivery for a full refund.");
        return new TestAgent(id, agent.get("apiKey").asText());
    }

    private void index(String token, String agentId, String title, String content) {
        Api.Response response = api.post("/rag/agents/" + agentId + "/index", token,
                Map.of("type", "text", "title", title, "content", content));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
    }

    private JsonNode ask(TestAgent agent, String endUserId, String message) {
        Api.Response response = api.send("POST", "/agent/query", null, Map.of("endUserId", endUserId, "message",
                message), "application/json", "X-Engage-Key", agent.key());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private void event(TestAgent agent, Map<String, ?> body) {
        Api.Response response = api.send("POST", "/agent/events", null, body, "application/json", "X-Engage-Key",
                agent.key());
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
    }

    /** Two agents, eight end-users, grounded and ungrounded answers, handoffs, votes (one changed), widget events. */
    private List<TestAgent> scriptedConversations(String token, FakeOpenAi model) {
        TestAgent shop = extractiveAgent(token);
        JsonNode modelAgent = createAgent(token, Map.of("name", "Model help", "llm", Map.of("provider",
                "openai-compatible", "baseUrl", model.baseUrl(), "model", "test-model")));
        String modelAgentId = modelAgent.get("id").asText();
        index(token, modelAgentId, "Opening hours", "Our store is open from 9 to 18 on weekdays.");
        TestAgent helper = new TestAgent(modelAgentId, modelAgent.get("apiKey").asText());
        model.answerWith(List.of("We are open ", "from 9 to 18 [1]."));

        JsonNode first = ask(shop, "ann", "How long does shipping take?");
        assertThat(first.get("grounded").asBoolean()).as(first.toString()).isTrue();
        ask(shop, "ann", "How long do I have to return a product?");
        ask(shop, "bob", "how long does shipping take");
        JsonNode giftCards = ask(shop, "bob", "Do you sell gift cards?");
        assertThat(giftCards.get("grounded").asBoolean()).as(giftCards.toString()).isFalse();
        ask(shop, "cid", "Do you sell gift cards?");
        ask(shop, "dan", "Do you also sell gift cards?");
        ask(shop, "eve", "What is the favourite colour of your CEO?");
        JsonNode human = ask(shop, "fay", "I want to talk to a human");
        assertThat(human.get("handoff").asBoolean()).isTrue();
        JsonNode open = ask(helper, "gus", "When is the store open?");
        ask(helper, "hal", "When is the store open?");

        event(shop, Map.of("type", "widget_open"));
        event(shop, Map.of("type", "widget_open", "endUserId", "ann"));
        event(shop, Map.of("type", "link_clicked", "value", "https://example.com/shipping",
                "conversationId", first.get("conversationId").asText()));
        event(shop, Map.of("type", "feedback", "messageId", first.get("messageId").asText(), "value", "up"));
        // bob changes his mind: only the latest vote counts
        event(shop, Map.of("type", "feedback", "messageId", giftCards.get("messageId").asText(), "value", "up"));
        event(shop, Map.of("type", "feedback", "messageId", giftCards.get("messageId").asText(), "value", "down",
                "comment", "not helpful"));
        event(helper, Map.of("type", "feedback", "messageId", open.get("messageId").asText(), "value", "up"));
        event(helper, Map.of("type", "handoff_requested", "conversationId", open.get("conversationId").asText()));
        return List.of(shop, helper);
    }

    @Test
    void reportsMatchFiguresRecomputedFromTheRawEvents() throws Exception {
        TestCompany company = signup();
        try (FakeOpenAi model = new FakeOpenAi()) {
            scriptedConversations(company.token(), model);
        }
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonNode report = api.get("/company/analytics?from=" + today + "&to=" + today, company.token()).json();
        Instant from = LocalDate.parse(today).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = from.plus(1, ChronoUnit.DAYS);
        assertThat(Instant.parse(report.get("from").asText())).isEqualTo(from);
        assertThat(Instant.parse(report.get("to").asText())).isEqualTo(to);

        List<Raw> raw = rawEvents(from, to).stream().filter(e -> e.companyId().equals(company.id())).toList();
        JsonNode totals = report.get("totals");
        assertMetrics(totals, raw);
        // the script's own numbers, as a sanity check of the recomputation itself
        assertThat(totals.get("messages").asLong()).isEqualTo(10);
        assertThat(totals.get("endUsers").asLong()).isEqualTo(8);
        assertThat(totals.get("gaps").asLong()).isEqualTo(4);
        assertThat(totals.get("feedbackDown").asLong()).isEqualTo(1);
        assertThat(totals.get("feedbackUp").asLong()).isEqualTo(2);
        assertThat(totals.get("costUsd").decimalValue().signum()).isPositive();

        // one point per day, this one holding everything
        assertThat(report.get("series")).hasSize(1);
        assertThat(report.at("/series/0/messages").asLong()).isEqualTo(10);

        // top questions by normalised text
        Map<String, Long> asked = raw.stream().filter(e -> "turn".equals(e.type()))
                .collect(Collectors.groupingBy(e -> normalised(e.question()), Collectors.counting()));
        JsonNode top = report.get("topQuestions");
        assertThat(top.get(0).get("count").asLong()).isEqualTo(asked.values().stream().max(Long::compare).orElseThrow());
        for (JsonNode question : top) {
            assertThat(question.get("count").asLong()).as(question.toString())
                    .isEqualTo(asked.get(normalised(question.get("question").asText())));
        }
        assertThat(top.findValuesAsText("question")).contains("How long does shipping take?");

        // one agent only
        UUID shopId = raw.stream().filter(e -> "turn".equals(e.type()) && e.question().contains("shipping"))
                .findFirst().orElseThrow().agentId();
        JsonNode shopReport = api.get("/company/analytics?from=" + today + "&to=" + today + "&agentId=" + shopId,
                company.token()).json();
        assertMetrics(shopReport.get("totals"), raw.stream().filter(e -> e.agentId().equals(shopId)).toList());

        assertSeries(report, raw, ChronoUnit.DAYS);

        // hourly points: each recomputed from the events of its hour
        Instant hourFrom = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
        JsonNode hourly = api.get("/company/analytics?interval=hour&from=" + hourFrom + "&to="
                + hourFrom.plus(3, ChronoUnit.HOURS), company.token()).json();
        assertThat(hourly.get("series")).hasSize(3);
        assertSeries(hourly, raw, ChronoUnit.HOURS);

        // a range that starts and ends inside days: hourly rows at the edges, daily rows in between
        Instant edgeFrom = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
        JsonNode edges = api.get("/company/analytics?from=" + edgeFrom + "&to=" + edgeFrom.plus(50,
                ChronoUnit.HOURS), company.token()).json();
        assertThat(edges.get("series").size()).isBetween(3, 4);
        assertMetrics(edges.get("totals"), raw.stream().filter(e -> !e.at().isBefore(edgeFrom)).toList());
        assertSeries(edges, raw, ChronoUnit.DAYS);

        // the platform: totals over every company, this company's row equal to its own report
        JsonNode platform = api.get("/admin/analytics?from=" + today + "&to=" + today, adminToken()).json();
        List<Raw> everyone = rawEvents(from, to);
        assertMetrics(platform.get("totals"), everyone);
        assertThat(platform.get("activeCompanies").asLong()).isEqualTo(everyone.stream()
                .filter(e -> "turn".equals(e.type()) || "conversation_start".equals(e.type()))
                .map(Raw::companyId).distinct().count());
        JsonNode ours = null;
        for (JsonNode row : platform.get("companies")) {
            if (row.get("companyId").asText().equals(company.id().toString())) {
                ours = row;
            }
        }
        assertThat(ours).isNotNull();
        assertThat(ours.get("name").asText()).startsWith("Company-");
        assertThat(ours.get("activeAgents").asLong()).isEqualTo(2);
        assertMetrics(ours, raw);
    }

    /** Each point against the raw events of its interval (clipped to the report's range). */
    private static void assertSeries(JsonNode report, List<Raw> raw, ChronoUnit unit) {
        Instant from = Instant.parse(report.get("from").asText());
        Instant to = Instant.parse(report.get("to").asText());
        for (JsonNode point : report.get("series")) {
            Instant start = Instant.parse(point.get("start").asText());
            Instant pointFrom = start.isBefore(from) ? from : start;
            Instant pointTo = start.plus(1, unit).isAfter(to) ? to : start.plus(1, unit);
            assertMetrics(point, raw.stream().filter(e -> !e.at().isBefore(pointFrom) && e.at().isBefore(pointTo))
                    .toList());
        }
    }

    /** Every figure of a report node against the same figure computed here from raw events. */
    private static void assertMetrics(JsonNode m, List<Raw> events) {
        List<Raw> turns = events.stream().filter(e -> "turn".equals(e.type())).toList();
        Set<UUID> started = events.stream().filter(e -> "conversation_start".equals(e.type()))
                .map(Raw::conversationId).collect(Collectors.toSet());
        // latest vote per answer
        Map<UUID, Raw> votes = new HashMap<>();
        events.stream().filter(e -> "feedback".equals(e.type()))
                .sorted(Comparator.comparing(Raw::at).thenComparing(Raw::id))
                .forEach(e -> votes.put(e.messageId(), e));
        long up = votes.values().stream().filter(v -> v.score() > 0).count();
        long down = votes.values().stream().filter(v -> v.score() < 0).count();
        Set<UUID> unresolved = new HashSet<>();
        turns.stream().filter(Raw::handoff).forEach(t -> unresolved.add(t.conversationId()));
        events.stream().filter(e -> "handoff_requested".equals(e.type()) && e.conversationId() != null)
                .forEach(e -> unresolved.add(e.conversationId()));
        votes.values().stream().filter(v -> v.score() < 0).forEach(v -> unresolved.add(turns.stream()
                .filter(t -> t.messageId().equals(v.messageId())).findFirst().orElseThrow().conversationId()));
        unresolved.retainAll(started);
        long answered = turns.stream().filter(Raw::grounded).count();
        long tokensIn = turns.stream().mapToLong(Raw::tokensIn).sum();
        long tokensOut = turns.stream().mapToLong(Raw::tokensOut).sum();
        // the prices configured for the tests: 1000 / 2000 USD per million tokens of test-model
        double cost = turns.stream().filter(t -> "test-model".equals(t.model()))
                .mapToDouble(t -> t.tokensIn() * 1000e-6 + t.tokensOut() * 2000e-6).sum();

        String where = m.toString();
        assertThat(m.get("conversations").asLong()).as(where).isEqualTo(started.size());
        assertThat(m.get("messages").asLong()).as(where).isEqualTo(turns.size());
        assertThat(m.get("endUsers").asLong()).as(where)
                .isEqualTo(turns.stream().map(Raw::endUserId).distinct().count());
        assertThat(m.get("answered").asLong()).as(where).isEqualTo(answered);
        assertThat(m.get("handoffs").asLong()).as(where).isEqualTo(turns.stream().filter(Raw::handoff).count());
        assertThat(m.get("gaps").asLong()).as(where).isEqualTo(turns.stream().filter(Raw::gap).count());
        assertThat(m.get("feedbackUp").asLong()).as(where).isEqualTo(up);
        assertThat(m.get("feedbackDown").asLong()).as(where).isEqualTo(down);
        assertThat(m.get("resolvedConversations").asLong()).as(where).isEqualTo(started.size() - unresolved.size());
        assertThat(m.get("tokensIn").asLong()).as(where).isEqualTo(tokensIn);
        assertThat(m.get("tokensOut").asLong()).as(where).isEqualTo(tokensOut);
        assertThat(m.get("costUsd").asDouble()).as(where).isCloseTo(cost, within(0.000001));
        assertThat(m.get("widgetOpens").asLong()).as(where)
                .isEqualTo(events.stream().filter(e -> "widget_open".equals(e.type())).count());
        assertThat(m.get("linkClicks").asLong()).as(where)
                .isEqualTo(events.stream().filter(e -> "link_clicked".equals(e.type())).count());
        assertThat(m.get("handoffRequests").asLong()).as(where)
                .isEqualTo(events.stream().filter(e -> "handoff_requested".equals(e.type())).count());
        if (turns.isEmpty()) {
            assertThat(m.get("answerRate").isNull()).as(where).isTrue();
            assertThat(m.get("latencyP50Ms").isNull()).as(where).isTrue();
        } else {
            assertThat(m.get("answerRate").asDouble()).as(where)
                    .isCloseTo((double) answered / turns.size(), within(0.0001));
            List<Integer> latencies = turns.stream().map(Raw::latencyMs).sorted().toList();
            assertWithinBucketOf(m.get("latencyP50Ms").asInt(), nearestRank(latencies, 0.50), where);
            assertWithinBucketOf(m.get("latencyP95Ms").asInt(), nearestRank(latencies, 0.95), where);
        }
        if (started.isEmpty()) {
            assertThat(m.get("resolutionRate").isNull()).as(where).isTrue();
        } else {
            assertThat(m.get("resolutionRate").asDouble()).as(where)
                    .isCloseTo((double) (started.size() - unresolved.size()) / started.size(), within(0.0001));
        }
        if (up + down > 0) {
            assertThat(m.get("feedbackScore").asDouble()).as(where).isCloseTo((double) up / (up + down),
                    within(0.0001));
        }
    }

    private static int nearestRank(List<Integer> sorted, double q) {
        return sorted.get((int) Math.max(0, Math.ceil(q * sorted.size()) - 1));
    }

    /** Percentiles come from latency buckets: the reported value lies within the bucket of the exact one. */
    private static void assertWithinBucketOf(int reported, int exact, String where) {
        int bucket = LatencyBuckets.bucketOf(exact);
        int upper = bucket < LatencyBuckets.UPPER_BOUNDS_MS.length ? LatencyBuckets.UPPER_BOUNDS_MS[bucket]
                : Integer.MAX_VALUE;
        assertThat(reported).as(where + " exact " + exact).isBetween(LatencyBuckets.lowerBound(bucket), upper);
    }

    private static String normalised(String question) {
        return question.strip().replaceAll("\\s+", " ").replaceAll("[\\s?!.]+$", "").toLowerCase(Locale.ROOT);
    }

    private List<Raw> rawEvents(Instant from, Instant to) {
        return jdbc.sql("SELECT * FROM analytics_events WHERE occurred_at >= ? AND occurred_at < ?")
                .params(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC))
                .query((rs, n) -> new Raw(rs.getObject("id", UUID.class), rs.getObject("company_id", UUID.class),
                        rs.getObject("agent_id", UUID.class), rs.getObject("end_user_id", UUID.class),
                        rs.getObject("conversation_id", UUID.class), rs.getObject("message_id", UUID.class),
                        rs.getString("type"), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                        cipher.open(rs.getString("question"),
                                EventStore.eventQuestionContext(rs.getObject("id", UUID.class))),
                        (Integer) rs.getObject("latency_ms"),
                        (Integer) rs.getObject("tokens_in"), (Integer) rs.getObject("tokens_out"),
                        rs.getString("model"), (Boolean) rs.getObject("grounded"), (Boolean) rs.getObject("handoff"),
                        (Boolean) rs.getObject("gap"), rs.getObject("score") == null ? null
                                : ((Number) rs.getObject("score")).intValue())).list();
    }

    @Test
    void gapsGroupUnansweredQuestionsByMeaningAndBecomeFaqEntries() throws Exception {
        TestCompany company = signup();
        TestAgent shop;
        try (FakeOpenAi model = new FakeOpenAi()) {
            shop = scriptedConversations(company.token(), model).get(0);
        }
        String gapsPath = "/company/agents/" + shop.id() + "/gaps";
        JsonNode gaps = api.get(gapsPath, company.token()).json().get("items");
        assertThat(gaps).as(gaps.toString()).hasSize(2);
        JsonNode giftCards = gaps.get(0);
        assertThat(giftCards.get("count").asLong()).isEqualTo(3);
        assertThat(giftCards.get("question").asText()).isEqualTo("Do you sell gift cards?");
        List<String> examples = new ArrayList<>();
        giftCards.get("examples").forEach(e -> examples.add(e.asText()));
        assertThat(examples).containsExactly("Do you sell gift cards?", "Do you also sell gift cards?");
        JsonNode ceo = gaps.get(1);
        assertThat(ceo.get("count").asLong()).isEqualTo(1);
        assertThat(ceo.get("question").asText()).contains("CEO");

        // one call turns the gap into an FAQ entry; its questions leave the list
        Api.Response answered = api.post(gapsPath + "/" + giftCards.get("id").asText() + "/answer", company.token(),
                Map.of("answer", "Yes, gift cards from 10 to 200 euros are sold in our online shop."));
        assertThat(answered.status()).as(answered.toString()).isEqualTo(201);
        assertThat(answered.json().get("resolvedQuestions").asInt()).isEqualTo(3);
        String sourceId = answered.json().get("sourceId").asText();
        JsonNode remaining = api.get(gapsPath, company.token()).json().get("items");
        assertThat(remaining.findValuesAsText("id")).containsExactly(ceo.get("id").asText());
        awaitReady(company.token(), shop.id(), sourceId);
        JsonNode now = ask(shop, "zoe", "Do you sell gift cards?");
        assertThat(now.get("grounded").asBoolean()).as(now.toString()).isTrue();
        assertThat(now.get("answer").asText()).contains("gift cards");

        // dismissing closes a gap without knowledge; a closed gap is gone
        assertThat(api.delete(gapsPath + "/" + ceo.get("id").asText(), company.token()).status()).isEqualTo(204);
        assertThat(api.get(gapsPath, company.token()).json().get("items")).isEmpty();
        // both are in the audit log, by the company admin
        assertThat(jdbc.sql("SELECT action FROM audit_log WHERE target_type = 'gap' AND target_id IN (?, ?) ORDER BY id")
                .params(giftCards.get("id").asText(), ceo.get("id").asText()).query(String.class).list())
                .containsExactly("gap.answered", "gap.dismissed");
        assertProblem(api.delete(gapsPath + "/" + ceo.get("id").asText(), company.token()), 404);
        assertProblem(api.post(gapsPath + "/" + giftCards.get("id").asText() + "/answer", company.token(),
                Map.of("answer", "again")), 404);

        // other tenants see nothing of it
        TestCompany other = signup();
        assertProblem(api.get(gapsPath, other.token()), 404);
        assertProblem(api.post(gapsPath + "/" + ceo.get("id").asText() + "/answer", other.token(),
                Map.of("answer", "x")), 404);
        assertProblem(api.get("/company/analytics?agentId=" + shop.id(), other.token()), 404);
        JsonNode otherReport = api.get("/company/analytics", other.token()).json();
        assertThat(otherReport.at("/totals/messages").asLong()).isZero();
        assertThat(otherReport.get("topQuestions")).isEmpty();
    }

    private void awaitReady(String token, String agentId, String sourceId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            for (JsonNode source : api.get("/company/agents/" + agentId + "/knowledge", token).json().get("items")) {
                if (source.get("id").asText().equals(sourceId) && "ready".equals(source.get("status").asText())) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("FAQ source " + sourceId + " did not become ready");
    }

    @Test
    void badRangesAndParametersAreClearProblems() {
        TestCompany company = signup();
        String admin = adminToken();
        for (String query : List.of("from=2026-11-10&to=2026-11-01", "from=2024-01-01&to=2026-01-01",
                "from=2026-13-45", "to=yesterday", "interval=week", "from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z"
                        + "&interval=hour", "from=2026-11-01T10:00:00Z&to=2026-11-01T10:00:00Z")) {
            assertProblem(api.get("/company/analytics?" + query, company.token()), 400);
            assertProblem(api.get("/admin/analytics?" + query, admin), 400);
        }
        assertProblem(api.get("/company/analytics?agentId=not-a-uuid", company.token()), 400);
        JsonNode agent = createAgent(company.token(), Map.of("name", "Gaps"));
        String gapsPath = "/company/agents/" + agent.get("id").asText() + "/gaps";
        assertProblem(api.get(gapsPath + "?limit=0", company.token()), 400);
        assertProblem(api.get(gapsPath + "?from=2026-13-01", company.token()), 400);
        assertProblem(api.post(gapsPath + "/" + UUID.randomUUID() + "/answer", company.token(),
                Map.of("answer", "x")), 404);
        // roles: a company token cannot read platform analytics, an admin token has no company analytics
        assertProblem(api.get("/admin/analytics", company.token()), 403);
        assertThat(api.get("/company/analytics", admin).status()).isIn(401, 403);
        assertThat(api.get("/company/analytics", null).status()).isEqualTo(401);
    }
}
