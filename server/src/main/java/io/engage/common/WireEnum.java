package io.engage.common;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An enum whose JSON, query-parameter and column form is its lowercase name with dashes (OPENAI_COMPATIBLE →
 * "openai-compatible"). {@link WireEnumSupport} teaches Jackson and Spring MVC this form for every such enum.
 */
public interface WireEnum {

    default String wire() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static <E extends Enum<E> & WireEnum> E parse(Class<E> type, String value) {
        String wanted = value == null ? "" : value.trim();
        for (E constant : type.getEnumConstants()) {
            if (constant.wire().equalsIgnoreCase(wanted)) {
                return constant;
            }
        }
        throw new IllegalArgumentException(allowed(type));
    }

    static String allowed(Class<?> type) {
        return "must be one of " + Arrays.stream(type.getEnumConstants()).map(c -> ((WireEnum) c).wire())
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
