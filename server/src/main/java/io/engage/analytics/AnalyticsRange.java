package io.engage.analytics;

import io.engage.common.ApiProblem;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * A validated report range at hour resolution, [from, to) in UTC. {@code from} and {@code to} are dates
 * ({@code 2026-11-01}; a date as {@code to} includes that whole day) or ISO-8601 instants; partial hours are widened
 * to whole hours. Defaults: the last 30 days up to the current hour.
 */
record AnalyticsRange(Instant from, Instant to, Interval interval) {

    enum Interval {
        HOUR(ChronoUnit.HOURS), DAY(ChronoUnit.DAYS);

        final ChronoUnit unit;

        Interval(ChronoUnit unit) {
            this.unit = unit;
        }

        String wire() {
            return name().toLowerCase();
        }
    }

    static AnalyticsRange parse(String fromText, String toText, String intervalText, Instant now,
            AnalyticsProperties limits) {
        Interval interval;
        if (intervalText == null || intervalText.isBlank() || "day".equals(intervalText.strip())) {
            interval = Interval.DAY;
        } else if ("hour".equals(intervalText.strip())) {
            interval = Interval.HOUR;
        } else {
            throw ApiProblem.badRequest("Invalid interval", "interval must be \"day\" or \"hour\"");
        }
        Instant to = isBlank(toText) ? ceilHour(now) : ceilHour(parse("to", toText, true));
        Instant from = isBlank(fromText) ? to.minus(Duration.ofDays(30))
                : parse("from", fromText, false).truncatedTo(ChronoUnit.HOURS);
        if (!from.isBefore(to)) {
            throw ApiProblem.badRequest("Invalid range", "from must be before to");
        }
        Duration length = Duration.between(from, to);
        if (length.compareTo(limits.maxRange()) > 0) {
            throw ApiProblem.badRequest("Range too long", "a report covers at most " + limits.maxRange().toDays()
                    + " days");
        }
        if (interval == Interval.HOUR && length.compareTo(limits.maxHourlyRange()) > 0) {
            throw ApiProblem.badRequest("Range too long for hourly figures", "interval=hour covers at most "
                    + limits.maxHourlyRange().toDays() + " days; use interval=day");
        }
        return new AnalyticsRange(from, to, interval);
    }

    /** Whole UTC days inside the range: [firstDay, endDay); empty when firstDay >= endDay. */
    Instant firstWholeDay() {
        Instant day = from.truncatedTo(ChronoUnit.DAYS);
        return day.equals(from) ? day : day.plus(1, ChronoUnit.DAYS);
    }

    Instant endOfWholeDays() {
        return to.truncatedTo(ChronoUnit.DAYS);
    }

    private static Instant parse(String name, String text, boolean endOfDate) {
        String value = text.strip();
        try {
            if (value.length() == 10) {
                LocalDate date = LocalDate.parse(value);
                return (endOfDate ? date.plusDays(1) : date).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest("Invalid " + name, name + " must be a date (YYYY-MM-DD) or an ISO-8601 "
                    + "instant such as 2026-11-01T00:00:00Z");
        }
    }

    private static Instant ceilHour(Instant instant) {
        Instant hour = instant.truncatedTo(ChronoUnit.HOURS);
        return hour.equals(instant) ? hour : hour.plus(1, ChronoUnit.HOURS);
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
