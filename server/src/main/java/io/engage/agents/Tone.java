package io.engage.agents;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The voice the agent answers in. */
public enum Tone implements WireEnum {
    NEUTRAL("neutral"),
    FRIENDLY("friendly"),
    PROFESSIONAL("professional"),
    CASUAL("casual"),
    FORMAL("formal"),
    CONCISE("concise"),
    EMPATHETIC("empathetic");

    private final String wire;

    Tone(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static Tone from(String value) {
        return WireEnum.parse(Tone.class, value);
    }
}
