package io.engage.llm;

import java.util.List;

/** Token counts when a provider reports none: about four characters a token for English text. */
final class TokenEstimate {

    private TokenEstimate() {
    }

    static int of(String text) {
        return text == null ? 0 : (text.length() + 3) / 4;
    }

    static int ofPassages(List<Passage> passages) {
        return passages == null ? 0 : passages.stream().mapToInt(p -> of(p.text())).sum();
    }

    /** What a chat model is sent: the system prompt, the history and the user message. */
    static int ofPrompt(LlmRequest request) {
        int total = of(request.systemPrompt()) + of(request.userMessage());
        if (request.history() != null) {
            total += request.history().stream().mapToInt(turn -> of(turn.text())).sum();
        }
        return total;
    }
}
