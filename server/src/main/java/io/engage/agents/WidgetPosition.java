package io.engage.agents;

import io.engage.common.WireEnum;

/** Corner of the floating launcher. */
public enum WidgetPosition implements WireEnum {
    BOTTOM_RIGHT, BOTTOM_LEFT
}
