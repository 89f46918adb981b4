package io.engage.agents;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How the widget presents the agent: chat box, Q/A help-center panel, or inline in a page element. */
public enum WidgetMode implements WireEnum {
    CHAT("chat"),
    QA("qa"),
    INLINE("inline");

    private final String wire;

    WidgetMode(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static WidgetMode from(String value) {
        return WireEnum.parse(WidgetMode.class, value);
    }
}
