package dev.quarry.rollup;

/** Names written into the rollup's statements. */
final class Sql {

    private Sql() {
    }

    /** A column or table name quoted for PostgreSQL. */
    static String identifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** A table of the rollup schema, qualified and quoted. */
    static String rollupTable(String name) {
        return "quarry_rollup." + identifier(name);
    }
}
