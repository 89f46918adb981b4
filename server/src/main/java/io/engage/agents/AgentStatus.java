package io.engage.agents;

import io.engage.common.WireEnum;

/** Whether the widget and AI Agent API serve the agent to end-users. */
public enum AgentStatus implements WireEnum {
    DRAFT, PUBLISHED
}
