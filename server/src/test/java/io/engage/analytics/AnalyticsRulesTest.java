package io.engage.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.engage.common.ApiProblem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ranges, percentiles from buckets, question normalisation and cost estimates. */
class AnalyticsRulesTest {

    private static final AnalyticsProperties PROPERTIES = new AnalyticsProperties(Duration.ofDays(90), 0.75, 50,
            Duration.ofDays(366), Duration.ofDays(31), Map.of("gpt-4o-mini", new AnalyticsProperties.Price(0.15, 0.60)));
    private static final Instant NOW = Instant.parse("2026-11-27T13:20:05Z");

    @Test
    void datesCoverWholeDaysAndInstantsWidenToWholeHours() {
        AnalyticsRange days = AnalyticsRange.parse("2026-11-01", "2026-11-03", null, NOW, PROPERTIES);
        assertThat(days.from()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(days.to()).as("a date as 'to' includes that day").isEqualTo(Instant.parse("2026-11-04T00:00:00Z"));
        assertThat(days.interval()).isEqualTo(AnalyticsRange.Interval.DAY);

        AnalyticsRange hours = AnalyticsRange.parse("2026-11-01T10:30:00Z", "2026-11-02T08:15:00+01:00", "hour", NOW,
                PROPERTIES);
        assertThat(hours.from()).isEqualTo(Instant.parse("2026-11-01T10:00:00Z"));
        assertThat(hours.to()).isEqualTo(Instant.parse("2026-11-02T08:00:00Z"));
        assertThat(hours.firstWholeDay()).isEqualTo(Instant.parse("2026-11-02T00:00:00Z"));
        assertThat(hours.endOfWholeDays()).isEqualTo(Instant.parse("2026-11-02T00:00:00Z"));

        AnalyticsRange defaults = AnalyticsRange.parse(null, null, null, NOW, PROPERTIES);
        assertThat(defaults.to()).isEqualTo(Instant.parse("2026-11-27T14:00:00Z"));
        assertThat(defaults.from()).isEqualTo(Instant.parse("2026-10-28T14:00:00Z"));
    }

    @Test
    void badRangesAreRefused() {
        for (String[] bad : List.of(new String[] {"2026-11-10", "2026-11-01", null},
                new String[] {"2024-01-01", "2026-01-01", null}, new String[] {"2026-02-30", null, null},
                new String[] {"last week", null, null}, new String[] {null, null, "minute"},
                new String[] {"2026-01-01", "2026-03-01", "hour"})) {
            assertThatThrownBy(() -> AnalyticsRange.parse(bad[0], bad[1], bad[2], NOW, PROPERTIES))
                    .as(String.join(",", String.valueOf(bad[0]), String.valueOf(bad[1]), String.valueOf(bad[2])))
                    .isInstanceOf(ApiProblem.class);
        }
    }

    @Test
    void segmentsUseDailyRowsForWholeDaysAndHourlyRowsAtTheEdges() {
        AnalyticsRange range = AnalyticsRange.parse("2026-11-01T22:00:00Z", "2026-11-04T03:00:00Z", null, NOW,
                PROPERTIES);
        assertThat(ReportQueries.segments(range)).containsExactly(
                new ReportQueries.Segment('h', Instant.parse("2026-11-01T22:00:00Z"),
                        Instant.parse("2026-11-02T00:00:00Z")),
                new ReportQueries.Segment('d', Instant.parse("2026-11-02T00:00:00Z"),
                        Instant.parse("2026-11-04T00:00:00Z")),
                new ReportQueries.Segment('h', Instant.parse("2026-11-04T00:00:00Z"),
                        Instant.parse("2026-11-04T03:00:00Z")));
        AnalyticsRange shortRange = AnalyticsRange.parse("2026-11-01T08:00:00Z", "2026-11-01T12:00:00Z", null, NOW,
                PROPERTIES);
        assertThat(ReportQueries.segments(shortRange)).containsExactly(new ReportQueries.Segment('h',
                Instant.parse("2026-11-01T08:00:00Z"), Instant.parse("2026-11-01T12:00:00Z")));
    }

    @Test
    void percentilesInterpolateWithinTheBucketOfTheExactValue() {
        long[] counts = new long[LatencyBuckets.COUNT];
        int[] latencies = {3, 40, 60, 80, 90, 120, 180, 250, 900, 4500};
        for (int latency : latencies) {
            counts[LatencyBuckets.bucketOf(latency)]++;
        }
        // exact nearest-rank p50 = 90 (bucket 75..100], p95 = 4500 (bucket 4000..5000]
        assertThat(LatencyBuckets.percentile(counts, 0.50)).isBetween(75, 100);
        assertThat(LatencyBuckets.percentile(counts, 0.95)).isBetween(4000, 5000);
        assertThat(LatencyBuckets.percentile(new long[LatencyBuckets.COUNT], 0.5)).isNull();
        long[] slow = new long[LatencyBuckets.COUNT];
        slow[LatencyBuckets.bucketOf(200_000)] = 1;
        assertThat(LatencyBuckets.percentile(slow, 0.5)).isEqualTo(60_000);
        assertThat(Counters.COLUMNS).hasSize(Counters.FIRST_LATENCY_BUCKET + LatencyBuckets.COUNT);
    }

    @Test
    void questionsDifferingInCaseSpacingOrFinalPunctuationAreOne() {
        assertThat(AnalyticsRecorder.questionKey("  How long does   shipping take?? ")).isEqualTo(
                AnalyticsRecorder.questionKey("how long does shipping take"));
        assertThat(AnalyticsRecorder.questionKey("Wie lange dauert der Versand？")).isEqualTo(
                "wie lange dauert der versand");
        assertThat(AnalyticsRecorder.questionKey("x".repeat(900))).hasSize(500);
        assertThat(AnalyticsRecorder.questionKey(" ?! ")).isEmpty();
    }

    @Test
    void questionKeysAreWhatTheRegularExpressionsMadeOfThem() {
        java.util.Random random = new java.util.Random(7);
        String alphabet = "aB ?!.。？！\t\n\u000B\f\r\u3000\u00A0xÉ";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder question = new StringBuilder();
            for (int length = random.nextInt(12); length > 0; length--) {
                question.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String q = question.toString();
            String expected = q.strip().replaceAll("\\s+", " ").replaceAll("[\\s?!.。？！]+$", "")
                    .toLowerCase(java.util.Locale.ROOT);
            assertThat(AnalyticsRecorder.questionKey(q)).as("key of \"%s\"", q).isEqualTo(expected);
        }
    }

    @Test
    void costsComeFromConfiguredPricesAndSelfHostedModelsAreFree() {
        // 1000 tokens in at $0.15/M + 500 out at $0.60/M = $0.00015 + $0.0003
        assertThat(PROPERTIES.costNanos("openai", "gpt-4o-mini", 1000, 500)).isEqualTo(450_000);
        assertThat(PROPERTIES.costNanos("ollama", "gpt-4o-mini", 1000, 500)).isZero();
        assertThat(PROPERTIES.costNanos("openai", "unknown-model", 1000, 500)).isZero();
        assertThat(PROPERTIES.costNanos("none", null, 0, 0)).isZero();
    }
}
