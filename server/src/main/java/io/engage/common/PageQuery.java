package io.engage.common;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Keyset paging parameters ({@code ?limit=&cursor=}): rows are ordered by their time-ordered id and a page starts
 * after the cursor's id, so paging stays stable while rows are added.
 */
public record PageQuery(int limit, UUID after) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    public static PageQuery of(Integer limit, String cursor) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ApiProblem.badRequest("Invalid limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        return new PageQuery(size, cursor == null || cursor.isBlank() ? null : decodeCursor(cursor));
    }

    public static PageQuery first(int limit) {
        return new PageQuery(limit, null);
    }

    /** Rows to fetch: one more than the page, to know whether a next page exists. */
    public int fetchSize() {
        return limit + 1;
    }

    static String encodeCursor(UUID id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static UUID decodeCursor(String cursor) {
        try {
            return UUID.fromString(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("Invalid cursor", "cursor is not a value returned as nextCursor");
        }
    }
}
