package io.engage.agents;

import io.engage.common.WireEnum;

/** The icon on the widget's floating launcher button. */
public enum LauncherIcon implements WireEnum {
    CHAT, HELP, SPARKLES
}
