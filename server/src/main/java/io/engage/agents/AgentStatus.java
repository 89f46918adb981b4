package io.engage.agents;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Whether the widget and AI Agent API serve the agent to end-users. */
public enum AgentStatus implements WireEnum {
    DRAFT("draft"),
    PUBLISHED("published");

    private final String wire;

    AgentStatus(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static AgentStatus from(String value) {
        return WireEnum.parse(AgentStatus.class, value);
    }
}
