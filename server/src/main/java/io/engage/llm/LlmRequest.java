package io.engage.llm;

import java.util.List;

/**
 * Everything a model needs for one answer. {@code systemPrompt} and {@code userMessage} are already composed and
 * delimited by the caller (the conversation module: persona, rules, knowledge block); chat models receive them as
 * the system message, the {@code history} turns, then the user message. The extractive responder ignores them and
 * answers {@code question} from {@code passages} directly.
 */
public record LlmRequest(LlmSettings settings, String systemPrompt, List<ChatTurn> history, String userMessage,
        String question, List<Passage> passages) {
}
