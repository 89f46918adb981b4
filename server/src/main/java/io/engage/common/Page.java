package io.engage.common;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * One page of a list, as every list endpoint returns it: {@code {"items": [...], "nextCursor": "..." | null}}.
 * The cursor is opaque to clients.
 */
public record Page<T>(List<T> items, String nextCursor) {

    /**
     * Builds a page from rows fetched with {@code limit + 1}: the extra row only tells that more exist.
     */
    public static <T> Page<T> of(List<T> rowsPlusOne, PageQuery query, Function<T, UUID> idOf) {
        if (rowsPlusOne.size() <= query.limit()) {
            return new Page<>(List.copyOf(rowsPlusOne), null);
        }
        List<T> items = List.copyOf(rowsPlusOne.subList(0, query.limit()));
        return new Page<>(items, PageQuery.encodeCursor(idOf.apply(items.get(items.size() - 1))));
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), nextCursor);
    }
}
