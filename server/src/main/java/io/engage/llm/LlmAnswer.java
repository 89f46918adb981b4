package io.engage.llm;

import io.engage.agents.LlmProvider;
import java.util.List;

/**
 * A finished answer. {@code provider}/{@code model} say who actually answered: after a provider failure that is the
 * extractive responder, with {@code fallback} true and {@code fallbackReason} saying why (never containing secrets).
 * {@code citedPassages} are the passage numbers the answer cites ("[2]"), in first-cited order. {@code cancelled}
 * is true when the caller cancelled mid-generation ({@code text} is then what was produced so far).
 */
public record LlmAnswer(String text, LlmProvider provider, String model, int tokensIn, int tokensOut,
        List<Integer> citedPassages, boolean fallback, String fallbackReason, boolean cancelled) {
}
