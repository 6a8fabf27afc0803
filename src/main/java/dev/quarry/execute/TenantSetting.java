package dev.quarry.execute;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A tenant's value in a transaction-local setting ({@code set_config(name, value, true)}), which
 * row-level security policies read with {@code current_setting(name, true)}. Local to the query's own
 * transaction, so no later transaction on the same session (behind PgBouncer in transaction mode,
 * another client's) ever sees it.
 *
 * @param name  a custom setting's name, {@code prefix.name}, checked when configured
 * @param value the tenant as text
 */
public record TenantSetting(String name, String value) {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*");

    public TenantSetting {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a custom setting's name such as quarry.tenant");
        }
    }

    /**
     * The statement that sets it, for the string of statements that begins a transaction. The value is
     * written as hexadecimal digits decoded by PostgreSQL, so no text of a token's ever becomes SQL.
     */
    String statement() {
        return "SELECT set_config('" + name + "', convert_from(decode('"
                + HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8)) + "', 'hex'), 'UTF8'), true)";
    }
}
