package io.engage.analytics;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code engage.analytics.*}.
 *
 * @param rawRetention how long raw events and knowledge-gap questions are kept; rollups are kept for good
 * @param gapSimilarity cosine similarity from which two unanswered questions count as the same gap
 * @param topQuestionsPerDay questions kept per agent and past day for "top questions" (the long tail is dropped)
 * @param maxRange the longest range one analytics request may cover
 * @param maxHourlyRange the longest range with {@code interval=hour}
 * @param prices USD per million tokens by model name, for cost estimates; models not listed (and self-hosted
 *     Ollama and the extractive responder) cost nothing
 */
@ConfigurationProperties(prefix = "engage.analytics")
record AnalyticsProperties(
        @DefaultValue("90d") Duration rawRetention,
        @DefaultValue("0.75") double gapSimilarity,
        @DefaultValue("50") int topQuestionsPerDay,
        @DefaultValue("366d") Duration maxRange,
        @DefaultValue("31d") Duration maxHourlyRange,
        Map<String, Price> prices) {

    AnalyticsProperties {
        prices = prices == null ? Map.of() : Map.copyOf(prices);
    }

    /** USD per million input and output tokens. */
    record Price(double input, double output) {
    }

    /** Estimated cost in billionths of a dollar (integers, so sums over millions of answers stay exact). */
    long costNanos(String provider, String model, int tokensIn, int tokensOut) {
        if (model == null || "ollama".equals(provider) || "extractive".equals(provider)) {
            return 0;
        }
        Price price = prices.get(model);
        if (price == null) {
            return 0;
        }
        // USD per million tokens = 1000 nano-USD per token
        return Math.round(tokensIn * price.input() * 1000 + tokensOut * price.output() * 1000);
    }
}
