package dev.quarry.template;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.Locale;

/** A span of time a rollup's time column is truncated to, by PostgreSQL's {@code date_trunc} field of the same name. */
public enum TimeGrain {
    DAY, WEEK, MONTH, QUARTER, YEAR;

    /** The {@code date_trunc} field: {@code month}. */
    public String field() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The grain a header names, or an {@link IllegalArgumentException} listing the grains. */
    public static TimeGrain of(String text) {
        return Arrays.stream(values()).filter(grain -> grain.field().equals(text)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "'" + text + "' is not a grain; the grains are day, week, month, quarter, year"));
    }

    /** The first day of the grain's span that holds a day, as {@code date_trunc} gives it (weeks start on Monday). */
    public LocalDate truncate(LocalDate day) {
        return switch (this) {
            case DAY -> day;
            case WEEK -> day.minusDays(day.getDayOfWeek().getValue() - 1L);
            case MONTH -> day.with(TemporalAdjusters.firstDayOfMonth());
            case QUARTER -> LocalDate.of(day.getYear(), (day.getMonthValue() - 1) / 3 * 3 + 1, 1);
            case YEAR -> day.with(TemporalAdjusters.firstDayOfYear());
        };
    }

    /** Whether a date or timestamp value is the start of a span: {@code date_trunc(grain, v) = v}. */
    public boolean starts(Object value) {
        if (value instanceof LocalDate day) {
            return truncate(day).equals(day);
        }
        if (value instanceof LocalDateTime moment) {
            return moment.truncatedTo(ChronoUnit.DAYS).equals(moment) && truncate(moment.toLocalDate()).equals(moment.toLocalDate());
        }
        return false;
    }

    /** The start of the span after the one starting at {@code start}. */
    public LocalDate next(LocalDate start) {
        return switch (this) {
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
            case QUARTER -> start.plusMonths(3);
            case YEAR -> start.plusYears(1);
        };
    }
}
