package io.engage.llm;

/**
 * One retrieved knowledge passage handed to a model. {@code number} is its 1-based label in the prompt ("[1]"), the
 * label answers cite.
 */
public record Passage(int number, String title, String url, String text, double score) {
}
