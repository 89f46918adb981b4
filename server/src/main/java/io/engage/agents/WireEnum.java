package io.engage.agents;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Enums whose JSON form is a lowercase word (e.g. "openai-compatible"). */
interface WireEnum {

    String wire();

    static <E extends Enum<E> & WireEnum> E parse(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.wire().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return constant;
            }
        }
        throw new IllegalArgumentException("must be one of " + Arrays.stream(type.getEnumConstants())
                .map(WireEnum::wire).collect(Collectors.joining(", ", "[", "]")));
    }
}
