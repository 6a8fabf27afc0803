package dev.quarry.execute;

/**
 * Where a query is made read-only and given its statement timeout ({@code quarry.query.guard}).
 */
public enum QueryGuard {

    /**
     * Once per connection, at login: the startup parameters {@code default_transaction_read_only=on}
     * and {@code statement_timeout} (the default timeout) hold for every statement of the session.
     * A page of a template without a timeout of its own is then one statement, answered in one
     * round trip; a page with its count, a template's own timeout and every stream still take a
     * transaction of their own.
     */
    SESSION,

    /**
     * Around every query: {@code BEGIN READ ONLY; SET LOCAL statement_timeout = N}, the statements,
     * {@code COMMIT}. For poolers that lend server sessions to one client transaction at a time
     * (PgBouncer in transaction mode): settings made at login do not follow a client there.
     */
    TRANSACTION
}
