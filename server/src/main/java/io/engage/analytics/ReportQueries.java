package io.engage.analytics;

import static io.engage.common.Times.sql;

import io.engage.common.SqlDialect;
import io.engage.crypto.SecretCipher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Reads of the rollups. A range is covered by daily rows for its whole UTC days and hourly rows for the hours
 * before the first and after the last whole day, each part one index range scan (UNION ALL).
 */
@Repository
class ReportQueries {

    /** Which rows: one company (and optionally one agent), or the whole platform (companyId null). */
    record Scope(UUID companyId, UUID agentId) {

        static final Scope PLATFORM = new Scope(null, null);

        String sql() {
            return (companyId == null ? "" : " AND company_id = ?") + (agentId == null ? "" : " AND agent_id = ?");
        }

        void addParams(List<Object> params) {
            if (companyId != null) {
                params.add(companyId);
            }
            if (agentId != null) {
                params.add(agentId);
            }
        }
    }

    /** A part of the range read from one grain. */
    record Segment(char grain, Instant from, Instant to) {
    }

    /** Summed counters of one group (a bucket, or an agent with its company). */
    record Sums(Instant bucket, UUID companyId, UUID agentId, long[] counters) {
    }

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;
    private final SecretCipher cipher;

    ReportQueries(ReportsDatabase database, SqlDialect dialect, SecretCipher cipher) {
        this.jdbc = database.jdbc();
        this.dialect = dialect;
        this.cipher = cipher;
    }

    /**
     * Lets this report transaction group in memory: top questions over a year group ~10^5 rows, which spill to
     * disk at PostgreSQL's default 4 MB.
     */
    void allowMemoryForGrouping() {
        if (dialect.postgres()) {
            jdbc.execute("SET LOCAL work_mem = '64MB'");
        }
    }

    static List<Segment> segments(AnalyticsRange range) {
        Instant firstDay = range.firstWholeDay();
        Instant endOfDays = range.endOfWholeDays();
        if (range.interval() == AnalyticsRange.Interval.HOUR || !firstDay.isBefore(endOfDays)) {
            return List.of(new Segment(AnalyticsRecorder.HOUR, range.from(), range.to()));
        }
        List<Segment> segments = new ArrayList<>();
        if (range.from().isBefore(firstDay)) {
            segments.add(new Segment(AnalyticsRecorder.HOUR, range.from(), firstDay));
        }
        segments.add(new Segment(AnalyticsRecorder.DAY, firstDay, endOfDays));
        if (endOfDays.isBefore(range.to())) {
            segments.add(new Segment(AnalyticsRecorder.HOUR, endOfDays, range.to()));
        }
        return segments;
    }

    /** Counters summed per stored bucket (hourly rows of partial days come back per hour). */
    List<Sums> sumsByBucket(Scope scope, List<Segment> segments) {
        return sums(scope, segments, "bucket_start", rs -> new Sums(
                rs.getObject("bucket_start", OffsetDateTime.class).toInstant(), null, null, counters(rs)));
    }

    /** Counters summed per agent (with its company). */
    List<Sums> sumsByAgent(Scope scope, List<Segment> segments) {
        return sums(scope, segments, "company_id, agent_id", rs -> new Sums(null,
                rs.getObject("company_id", UUID.class), rs.getObject("agent_id", UUID.class), counters(rs)));
    }

    private interface RowMapper {
        Sums map(ResultSet rs) throws SQLException;
    }

    private List<Sums> sums(Scope scope, List<Segment> segments, String groupBy, RowMapper mapper) {
        String sums = Counters.COLUMNS.stream().map(c -> "SUM(" + c + ") AS " + c).collect(Collectors.joining(", "));
        List<Object> params = new ArrayList<>();
        String sql = overSegments(scope, segments, "SELECT " + groupBy + ", " + sums + " FROM analytics_rollups",
                " GROUP BY " + groupBy, params);
        return jdbc.query(sql, (rs, n) -> mapper.map(rs), params.toArray());
    }

    /** One select per segment (one index range scan each), joined by UNION ALL; fills in their parameters. */
    private static String overSegments(Scope scope, List<Segment> segments, String select, String suffix,
            List<Object> params) {
        return segments.stream().map(segment -> {
            params.add(String.valueOf(segment.grain()));
            params.add(sql(segment.from()));
            params.add(sql(segment.to()));
            scope.addParams(params);
            return select + " WHERE grain = ? AND bucket_start >= ? AND bucket_start < ?" + scope.sql() + suffix;
        }).collect(Collectors.joining(" UNION ALL "));
    }

    private static long[] counters(ResultSet rs) throws SQLException {
        long[] counters = new long[Counters.SIZE];
        for (int i = 0; i < Counters.SIZE; i++) {
            counters[i] = rs.getLong(Counters.COLUMNS.get(i));
        }
        return counters;
    }

    /** Distinct end-users active anywhere in the segments: the size of the union of their sets. */
    long distinctUsers(Scope scope, List<Segment> segments) {
        List<RoaringBitmap> sets = new ArrayList<>();
        forEachUserSet(scope, segments, (companyId, users) -> sets.add(users));
        return union(sets);
    }

    /** Distinct end-users per company. */
    Map<UUID, Long> distinctUsersByCompany(Scope scope, List<Segment> segments) {
        Map<UUID, List<RoaringBitmap>> sets = new HashMap<>();
        forEachUserSet(scope, segments, (companyId, users) -> sets.computeIfAbsent(companyId,
                id -> new ArrayList<>()).add(users));
        Map<UUID, Long> counts = new HashMap<>();
        sets.forEach((companyId, users) -> counts.put(companyId, union(users)));
        return counts;
    }

    /** One lazy union of all sets at once: OR-ing them into one set one by one is quadratic in array containers. */
    private static long union(List<RoaringBitmap> sets) {
        return sets.isEmpty() ? 0 : FastAggregation.or(sets.iterator()).getLongCardinality();
    }

    private void forEachUserSet(Scope scope, List<Segment> segments, BiConsumer<UUID, RoaringBitmap> consumer) {
        List<Object> params = new ArrayList<>();
        String sql = overSegments(scope, segments, "SELECT company_id, users FROM analytics_user_sets", "", params);
        jdbc.query(sql, (ResultSet rs) -> {
            consumer.accept(rs.getObject("company_id", UUID.class), UserSets.bitmap(rs.getBytes("users")));
        }, params.toArray());
    }

    /** The most asked questions of the UTC days overlapping the range. */
    List<Reports.TopQuestion> topQuestions(Scope scope, Instant fromDay, Instant to, int limit) {
        List<Object> params = new ArrayList<>(List.of(sql(fromDay), sql(to)));
        scope.addParams(params);
        params.add(limit);
        return jdbc.query("SELECT question_key, MIN(question) AS question, SUM(asked) AS asked, SUM(answered) AS "
                + "answered FROM analytics_questions WHERE day_start >= ? AND day_start < ?" + scope.sql()
                + " GROUP BY question_key ORDER BY SUM(asked) DESC, question_key LIMIT ?",
                (rs, n) -> new Reports.TopQuestion(cipher.open(rs.getString("question"),
                        EventStore.countedQuestionContext(rs.getString("question_key"))), rs.getLong("asked"),
                        rs.getLong("answered")), params.toArray());
    }
}
