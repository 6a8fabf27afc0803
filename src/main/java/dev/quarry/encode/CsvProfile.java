package dev.quarry.encode;

/**
 * How a CSV answer writes its cells. Both write every value as PostgreSQL's text output of it;
 * {@link #SPREADSHEET} also keeps a spreadsheet from running a text cell as a formula.
 */
public enum CsvProfile {
    /** Byte for byte what {@code COPY (statement) TO STDOUT WITH (FORMAT csv, HEADER)} writes. */
    EXACT,
    /**
     * As {@link #EXACT}, but a cell of a column that is not a number, boolean, date or timestamp
     * whose text starts with a character a spreadsheet reads as the start of a formula ({@code =},
     * {@code +}, {@code -}, {@code @}, tab, carriage return, or the full-width {@code ＝ ＋ － ＠})
     * is written quoted, after a single quote, as OWASP's advice on CSV injection has it.
     */
    SPREADSHEET
}
