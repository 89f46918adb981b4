package io.engage.agents;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Corner of the floating launcher. */
public enum WidgetPosition implements WireEnum {
    BOTTOM_RIGHT("bottom-right"),
    BOTTOM_LEFT("bottom-left");

    private final String wire;

    WidgetPosition(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static WidgetPosition from(String value) {
        return WireEnum.parse(WidgetPosition.class, value);
    }
}
