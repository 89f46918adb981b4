package io.engage.agents;

import io.engage.common.WireEnum;

/** The voice the agent answers in. */
public enum Tone implements WireEnum {
    NEUTRAL, FRIENDLY, PROFESSIONAL, CASUAL, FORMAL, CONCISE, EMPATHETIC
}
