package io.engage.common;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Identifiers are UUIDv7 (RFC 9562): unique across nodes and ordered by creation time, which keyset paging relies
 * on. Generated without a lock: the millisecond and a 12-bit sequence advance by compare-and-set, so ids of one JVM
 * are strictly increasing even within a millisecond, and the 62 random bits come from the calling thread's own
 * generator. Ids are names, not secrets: every access to what they name is authorised separately.
 */
public final class Ids {

    /** (Unix milliseconds << 12) | sequence of the latest id issued by this JVM. */
    private static final AtomicLong LAST = new AtomicLong();

    private Ids() {
    }

    public static UUID newId() {
        long now = System.currentTimeMillis() << 12;
        long next = LAST.updateAndGet(last -> Math.max(now, last + 1));
        long mostSignificant = ((next >>> 12) << 16) | 0x7000L | (next & 0xFFFL);
        long leastSignificant = (ThreadLocalRandom.current().nextLong() & 0x3FFF_FFFF_FFFF_FFFFL)
                | 0x8000_0000_0000_0000L;
        return new UUID(mostSignificant, leastSignificant);
    }
}
