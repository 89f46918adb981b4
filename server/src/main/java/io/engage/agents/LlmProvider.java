package io.engage.agents;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Which model composes answers. The extractive responder is built in and needs no key. */
public enum LlmProvider implements WireEnum {
    EXTRACTIVE("extractive"),
    OPENAI("openai"),
    GEMINI("gemini"),
    OLLAMA("ollama"),
    OPENAI_COMPATIBLE("openai-compatible");

    private final String wire;

    LlmProvider(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static LlmProvider from(String value) {
        return WireEnum.parse(LlmProvider.class, value);
    }
}
