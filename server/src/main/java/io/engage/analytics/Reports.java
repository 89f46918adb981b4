package io.engage.analytics;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Analytics response shapes. Rates are fractions in [0, 1], null when there is nothing to divide by. */
final class Reports {

    private Reports() {
    }

    /**
     * Figures over a range. {@code messages}: questions asked by end-users. {@code answered}: grounded answers.
     * {@code resolvedConversations}: conversations without a handoff and without an answer voted down.
     * {@code feedbackScore}: share of positive votes. Latency: server time per answer (p50/p95 from buckets, see
     * docs/architecture.md). {@code costUsd}: estimated from tokens and the configured prices.
     */
    record Metrics(long conversations, long messages, long endUsers, long answered, Double answerRate,
            long resolvedConversations, Double resolutionRate, long handoffs, long handoffRequests, long gaps,
            long providerFallbacks, long cancelled, long feedbackUp, long feedbackDown, Double feedbackScore,
            Integer latencyP50Ms, Integer latencyP95Ms, Integer latencyAvgMs, long tokensIn, long tokensOut,
            BigDecimal costUsd, long widgetOpens, long linkClicks, long conversationsEnded) {

        static Metrics of(long[] c, long endUsers) {
            long conversations = c[Counters.CONVERSATIONS];
            long messages = c[Counters.MESSAGES];
            long resolved = conversations - c[Counters.UNRESOLVED];
            long votes = c[Counters.FEEDBACK_UP] + c[Counters.FEEDBACK_DOWN];
            long[] latency = Counters.latencyBuckets(c);
            return new Metrics(conversations, messages, endUsers, c[Counters.ANSWERED],
                    rate(c[Counters.ANSWERED], messages), resolved, rate(resolved, conversations),
                    c[Counters.HANDOFFS], c[Counters.HANDOFF_REQUESTS], c[Counters.GAPS], c[Counters.FALLBACKS],
                    c[Counters.CANCELLED], c[Counters.FEEDBACK_UP], c[Counters.FEEDBACK_DOWN],
                    rate(c[Counters.FEEDBACK_UP], votes), LatencyBuckets.percentile(latency, 0.50),
                    LatencyBuckets.percentile(latency, 0.95),
                    messages == 0 ? null : (int) Math.round((double) c[Counters.LATENCY_SUM_MS] / messages),
                    c[Counters.TOKENS_IN], c[Counters.TOKENS_OUT],
                    BigDecimal.valueOf(c[Counters.COST_NANOS], 9).setScale(6, RoundingMode.HALF_UP),
                    c[Counters.WIDGET_OPENS], c[Counters.LINK_CLICKS], c[Counters.CONVERSATIONS_ENDED]);
        }

        private static Double rate(long part, long whole) {
            return whole == 0 ? null : Math.round(part * 10000.0 / whole) / 10000.0;
        }
    }

    record Point(Instant start, @JsonUnwrapped Metrics metrics) {
    }

    /** A question by how often it was asked (questions differing only in case, spacing or final "?" are one). */
    record TopQuestion(String question, long count, long answered) {
    }

    record CompanyReport(Instant from, Instant to, String interval, UUID agentId, Metrics totals, List<Point> series,
            List<TopQuestion> topQuestions) {
    }

    record CompanyFigures(UUID companyId, String name, long activeAgents, @JsonUnwrapped Metrics metrics) {
    }

    record PlatformReport(Instant from, Instant to, String interval, long activeCompanies, long activeAgents,
            Metrics totals, List<Point> series, List<CompanyFigures> companies) {
    }
}
