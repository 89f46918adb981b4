package io.engage.agents;

import io.engage.common.WireEnum;

/** How the widget presents the agent: chat box, Q/A help-center panel, or inline in a page element. */
public enum WidgetMode implements WireEnum {
    CHAT, QA, INLINE
}
