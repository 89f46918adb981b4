package io.engage.analytics;

import io.engage.analytics.ReportQueries.Scope;
import io.engage.analytics.ReportQueries.Segment;
import io.engage.analytics.ReportQueries.Sums;
import io.engage.common.WriteBarrier;
import io.engage.tenancy.Company;
import io.engage.tenancy.CompanyService;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** Company and platform reports from the rollups. */
@Service
class AnalyticsReports {

    private static final int TOP_QUESTIONS = 10;

    private final ReportQueries queries;
    private final ReportsDatabase database;
    private final CompanyService companies;
    private final List<WriteBarrier> pendingWrites;

    AnalyticsReports(ReportQueries queries, ReportsDatabase database, CompanyService companies,
            List<WriteBarrier> pendingWrites) {
        this.queries = queries;
        this.database = database;
        this.companies = companies;
        this.pendingWrites = pendingWrites;
    }

    /** This node's queued writes are stored first, then the report reads its database (see {@link ReportsDatabase}). */
    Reports.CompanyReport company(UUID companyId, UUID agentId, AnalyticsRange range) {
        pendingWrites.forEach(WriteBarrier::awaitWritten);
        return database.read(() -> companyReport(companyId, agentId, range));
    }

    private Reports.CompanyReport companyReport(UUID companyId, UUID agentId, AnalyticsRange range) {
        queries.allowMemoryForGrouping();
        Scope scope = new Scope(companyId, agentId);
        List<Segment> segments = ReportQueries.segments(range);
        long[] totals = new long[Counters.SIZE];
        List<Reports.Point> series = series(scope, range, segments, totals);
        Reports.Metrics metrics = Reports.Metrics.of(totals, queries.distinctUsers(scope, segments));
        List<Reports.TopQuestion> top = queries.topQuestions(scope, range.from().truncatedTo(ChronoUnit.DAYS),
                range.to(), TOP_QUESTIONS);
        return new Reports.CompanyReport(range.from(), range.to(), range.interval().wire(), agentId, metrics, series,
                top);
    }

    Reports.PlatformReport platform(AnalyticsRange range) {
        pendingWrites.forEach(WriteBarrier::awaitWritten);
        return database.read(() -> platformReport(range));
    }

    private Reports.PlatformReport platformReport(AnalyticsRange range) {
        queries.allowMemoryForGrouping();
        List<Segment> segments = ReportQueries.segments(range);
        List<Reports.Point> series = series(Scope.PLATFORM, range, segments, new long[Counters.SIZE]);
        long[] totals = new long[Counters.SIZE];
        Map<UUID, long[]> byCompany = new HashMap<>();
        Map<UUID, Set<UUID>> activeAgents = new HashMap<>();
        for (Sums sums : queries.sumsByAgent(Scope.PLATFORM, segments)) {
            long[] c = sums.counters();
            add(totals, c);
            add(byCompany.computeIfAbsent(sums.companyId(), id -> new long[Counters.SIZE]), c);
            if (c[Counters.CONVERSATIONS] + c[Counters.MESSAGES] > 0) {
                activeAgents.computeIfAbsent(sums.companyId(), id -> new HashSet<>()).add(sums.agentId());
            }
        }
        Map<UUID, Long> usersByCompany = queries.distinctUsersByCompany(Scope.PLATFORM, segments);
        Map<UUID, String> names = new HashMap<>();
        for (Company company : companies.getAll(byCompany.keySet())) {
            names.put(company.id(), company.name());
        }
        List<Reports.CompanyFigures> perCompany = new ArrayList<>();
        byCompany.forEach((companyId, c) -> perCompany.add(new Reports.CompanyFigures(companyId,
                names.get(companyId), activeAgents.getOrDefault(companyId, Set.of()).size(),
                Reports.Metrics.of(c, usersByCompany.getOrDefault(companyId, 0L)))));
        perCompany.sort(Comparator.comparingLong((Reports.CompanyFigures f) -> f.metrics().messages()).reversed()
                .thenComparing(f -> f.companyId()));
        long users = usersByCompany.values().stream().mapToLong(Long::longValue).sum();
        return new Reports.PlatformReport(range.from(), range.to(), range.interval().wire(), activeAgents.size(),
                activeAgents.values().stream().mapToLong(Set::size).sum(), Reports.Metrics.of(totals, users), series,
                perCompany);
    }

    /** One point per interval of the range, zeros included, so charts get a continuous line; sums into totals. */
    private List<Reports.Point> series(Scope scope, AnalyticsRange range, List<Segment> segments, long[] totals) {
        Map<Instant, long[]> counters = new LinkedHashMap<>();
        for (Instant t = range.from().truncatedTo(range.interval().unit); t.isBefore(range.to());
                t = t.plus(1, range.interval().unit)) {
            counters.put(t, new long[Counters.SIZE]);
        }
        for (Sums sums : queries.sumsByBucket(scope, segments)) {
            add(counters.get(sums.bucket().truncatedTo(range.interval().unit)), sums.counters());
            add(totals, sums.counters());
        }
        // end-users per point: the rows' own distinct counts summed over agents, except on a partial first or last
        // day, whose hourly counts would count a visitor of several hours more than once
        Map<Instant, Long> partialDays = new HashMap<>();
        for (Segment segment : segments) {
            if (segment.grain() != AnalyticsRecorder.HOUR || range.interval() != AnalyticsRange.Interval.DAY) {
                continue;
            }
            for (Instant day = segment.from().truncatedTo(ChronoUnit.DAYS); day.isBefore(segment.to());
                    day = day.plus(1, ChronoUnit.DAYS)) {
                Instant from = day.isBefore(segment.from()) ? segment.from() : day;
                Instant next = day.plus(1, ChronoUnit.DAYS);
                Instant to = next.isAfter(segment.to()) ? segment.to() : next;
                partialDays.put(day, queries.distinctUsers(scope, List.of(new Segment(AnalyticsRecorder.HOUR, from,
                        to))));
            }
        }
        List<Reports.Point> points = new ArrayList<>(counters.size());
        counters.forEach((start, c) -> points.add(new Reports.Point(start,
                Reports.Metrics.of(c, partialDays.getOrDefault(start, c[Counters.END_USERS])))));
        return points;
    }

    private static void add(long[] into, long[] counters) {
        for (int i = 0; i < counters.length; i++) {
            into[i] += counters[i];
        }
    }
}
