package io.engage.llm;

/** One earlier turn of the conversation (short-term memory). */
public record ChatTurn(Speaker speaker, String text) {

    public enum Speaker {
        USER, ASSISTANT
    }
}
