package dev.quarry.execute;

import java.time.Duration;

/**
 * How PostgreSQL runs one template's statements.
 *
 * @param timeout    the statement timeout: the template's own or the configured default
 * @param customPlan whether every run is planned for its own values ({@code @plan custom}), rather than
 *                   PostgreSQL switching a prepared statement to one generic plan after five runs
 */
public record StatementSettings(Duration timeout, boolean customPlan) {

    /** The same, under another statement timeout: a template test's case may set its own. */
    public StatementSettings withTimeout(Duration other) {
        return new StatementSettings(other, customPlan);
    }
}
