package dev.quarry.execute;

import java.time.Duration;
import java.util.Optional;

/**
 * How PostgreSQL runs one template's statements.
 *
 * @param timeout    the statement timeout: the template's own or the configured default
 * @param customPlan whether every run is planned for its own values ({@code @plan custom}), rather than
 *                   PostgreSQL switching a prepared statement to one generic plan after five runs
 * @param tenant     the transaction-local setting that row-level security policies read, for a tenant's run
 *                   with {@code quarry.tenant.row-security.setting} configured
 */
public record StatementSettings(Duration timeout, boolean customPlan, Optional<TenantSetting> tenant) {

    /** The same, under another statement timeout: a template test's case may set its own. */
    public StatementSettings withTimeout(Duration other) {
        return new StatementSettings(other, customPlan, tenant);
    }

    /** The same, for a run of one tenant under row-level security. */
    public StatementSettings withTenant(Optional<TenantSetting> setting) {
        return new StatementSettings(timeout, customPlan, setting);
    }
}
