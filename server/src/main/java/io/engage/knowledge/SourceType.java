package io.engage.knowledge;

import io.engage.common.WireEnum;

/** What a knowledge source is made of. */
public enum SourceType implements WireEnum {
    TEXT, FAQ, URL, FILE
}
