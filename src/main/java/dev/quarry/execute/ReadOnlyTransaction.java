package dev.quarry.execute;

/**
 * The transaction a query runs in when the session alone does not guard it: read-only, under a
 * statement timeout that is the template's or the configured default, never request text, and
 * planned for each run's values when the template asks for that; under row-level security, with the
 * tenant's setting made local to it.
 *
 * @param snapshot whether its statements must see one snapshot (REPEATABLE READ), as a page and its count do
 */
record ReadOnlyTransaction(boolean snapshot, StatementSettings settings) {

    /** Makes a transaction begun by {@link #beginWritable()} read-only from here on, before its query. */
    static final String READ_ONLY_FROM_HERE = "SET LOCAL transaction_read_only = on";

    /** BEGIN and the settings, one string: sent together, answered in one round trip. */
    String begin() {
        return "BEGIN" + (snapshot ? " ISOLATION LEVEL REPEATABLE READ" : "") + " READ ONLY; " + statementSettings();
    }

    /**
     * BEGIN with the same settings, but writable until {@link #READ_ONLY_FROM_HERE}: for a query whose
     * temporary tables are filled first in its own transaction.
     */
    String beginWritable() {
        return "BEGIN READ WRITE; " + statementSettings();
    }

    private String statementSettings() {
        return "SET LOCAL statement_timeout = " + settings.timeout().toMillis()
                + (settings.customPlan() ? "; SET LOCAL plan_cache_mode = force_custom_plan" : "")
                + settings.tenant().map(tenant -> "; " + tenant.statement()).orElse("");
    }
}
