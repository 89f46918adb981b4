package io.engage.agents;

import io.engage.common.WireEnum;

/** Which model composes answers. The extractive responder is built in and needs no key. */
public enum LlmProvider implements WireEnum {
    EXTRACTIVE, OPENAI, GEMINI, OLLAMA, OPENAI_COMPATIBLE
}
