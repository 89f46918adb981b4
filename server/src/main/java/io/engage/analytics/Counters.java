package io.engage.analytics;

import java.util.ArrayList;
import java.util.List;

/** The additive columns of {@code analytics_rollups}, in one order shared by writes and reads. */
final class Counters {

    static final int CONVERSATIONS = 0;
    static final int UNRESOLVED = 1;
    static final int CONVERSATIONS_ENDED = 2;
    static final int MESSAGES = 3;
    static final int ANSWERED = 4;
    static final int GAPS = 5;
    static final int HANDOFFS = 6;
    static final int FALLBACKS = 7;
    static final int CANCELLED = 8;
    static final int TOKENS_IN = 9;
    static final int TOKENS_OUT = 10;
    static final int COST_NANOS = 11;
    static final int LATENCY_SUM_MS = 12;
    static final int FEEDBACK_UP = 13;
    static final int FEEDBACK_DOWN = 14;
    static final int WIDGET_OPENS = 15;
    static final int LINK_CLICKS = 16;
    static final int HANDOFF_REQUESTS = 17;
    /** Distinct end-users of one agent in one bucket: a sum over agents is exact, a sum over buckets is not. */
    static final int END_USERS = 18;
    static final int FIRST_LATENCY_BUCKET = 19;

    static final List<String> COLUMNS;

    static {
        List<String> columns = new ArrayList<>(List.of("conversations", "unresolved", "conversations_ended",
                "messages", "answered", "gaps", "handoffs", "fallbacks", "cancelled", "tokens_in", "tokens_out",
                "cost_nanos", "latency_sum_ms", "feedback_up", "feedback_down", "widget_opens", "link_clicks",
                "handoff_requests", "end_users"));
        for (int bucket = 0; bucket < LatencyBuckets.COUNT; bucket++) {
            columns.add(LatencyBuckets.column(bucket));
        }
        COLUMNS = List.copyOf(columns);
    }

    static final int SIZE = COLUMNS.size();

    private Counters() {
    }

    /** The latency-bucket part of a counter row. */
    static long[] latencyBuckets(long[] counters) {
        long[] buckets = new long[LatencyBuckets.COUNT];
        System.arraycopy(counters, FIRST_LATENCY_BUCKET, buckets, 0, LatencyBuckets.COUNT);
        return buckets;
    }
}
