package io.engage.knowledge;

/** An FAQ source's question and answer as they were added (not as chunked for search). */
public record FaqEntry(String question, String answer) {
}
