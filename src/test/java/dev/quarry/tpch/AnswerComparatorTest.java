package dev.quarry.tpch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.quarry.tpch.AnswerComparator.Answer;

/** The comparator passes what the rules allow and fails, naming query, row and column, on the rest. */
class AnswerComparatorTest {

    // padded like the reference files: text on the right, integers on the left
    private static final Answer ANSWER = Answer.parse("""
            name      |day       |count       |revenue            |avg_price          |o_totalprice
            Customer#1|1995-03-05|         120|56586554400.73|38273.13|544089.09
            Customer#2|1996-12-31|           7|1487504710.38|0.05|530604.44
            """);
    private static final List<String> COLUMNS = List.of("name", "day", "count", "revenue", "avg_price", "o_totalprice");

    private static List<List<Object>> rows() {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(row("Customer#1", "1995-03-05", 120L, "56586554400.73", "38273.1275", "544089.09"));
        rows.add(row("Customer#2", "1996-12-31", 7, "1487504710.38", "0.0500", "530604.44"));
        return rows;
    }

    private static List<Object> row(String name, String day, Number count, String revenue, String average, String price) {
        return new ArrayList<>(Arrays.asList(name, day, count, new BigDecimal(revenue), new BigDecimal(average), new BigDecimal(price)));
    }

    private static void compare(List<List<Object>> rows) {
        AnswerComparator.assertMatches("q99", ANSWER, COLUMNS, rows);
    }

    private static AssertionError failure(List<List<Object>> rows) {
        return assertThrows(AssertionError.class, () -> compare(rows));
    }

    @Test
    void parsesThePaddedFormat() {
        assertThat(ANSWER.header(), contains("name", "day", "count", "revenue", "avg_price", "o_totalprice"));
        assertThat(ANSWER.rows(), hasSize(2));
        assertThat(ANSWER.rows().get(0).get(2), equalTo("         120"));
    }

    @Test
    void passesTheSameResult() {
        assertDoesNotThrow(() -> compare(rows()));
    }

    @Test
    void failsOnAWrongRowCount() {
        List<List<Object>> rows = rows();
        rows.remove(1);
        assertThat(failure(rows).getMessage(), equalTo("q99: expected 2 rows, got 1"));
        List<List<Object>> more = rows();
        more.add(more.get(0));
        assertThat(failure(more).getMessage(), equalTo("q99: expected 2 rows, got 3"));
    }

    @Test
    void failsOnAWrongColumnCount() {
        List<List<Object>> rows = rows();
        rows.forEach(row -> row.remove(5));
        AssertionError error = assertThrows(AssertionError.class,
                () -> AnswerComparator.assertMatches("q99", ANSWER, COLUMNS.subList(0, 5), rows));
        assertThat(error.getMessage(), startsWith("q99: expected 6 columns"));
        // a row short of a value under the full header
        assertThat(failure(rows).getMessage(), equalTo("q99 row 1: expected 6 values, got 5"));
    }

    @Test
    void failsOnAChangedTextValue() {
        List<List<Object>> rows = rows();
        rows.get(1).set(0, "Customer#3");
        assertThat(failure(rows).getMessage(), containsString("q99 row 2 column 1 (name): expected 'Customer#2', got 'Customer#3'"));
    }

    @Test
    void comparesDatesAsIsoText() {
        List<List<Object>> rows = rows();
        rows.get(0).set(1, "1995-03-06");
        assertThat(failure(rows).getMessage(), containsString("q99 row 1 column 2 (day)"));
    }

    @Test
    void integersMatchExactlyAndMustBeIntegers() {
        List<List<Object>> rows = rows();
        rows.get(0).set(2, 121);
        assertThat(failure(rows).getMessage(), containsString("q99 row 1 column 3 (count): expected 120, got 121"));
        List<List<Object>> decimal = rows();
        decimal.get(0).set(2, new BigDecimal("120.00"));
        assertThat(failure(decimal).getMessage(), containsString("row 1 column 3 (count): expected the integer 120"));
    }

    @Test
    void moneySumsPassWithin100() {
        List<List<Object>> rows = rows();
        rows.get(0).set(3, new BigDecimal("56586554500.73")); // +100
        rows.get(1).set(3, new BigDecimal("1487504610.38")); // -100
        assertDoesNotThrow(() -> compare(rows));
    }

    @Test
    void failsOnAMoneySumOffBy101() {
        List<List<Object>> rows = rows();
        rows.get(1).set(3, new BigDecimal("1487504811.38"));
        assertThat(failure(rows).getMessage(),
                containsString("q99 row 2 column 4 (revenue): expected 1487504710.38 ±100, got 1487504811.38 (off by 101.00)"));
        List<List<Object>> below = rows();
        below.get(0).set(3, new BigDecimal("56586554299.73"));
        assertThat(failure(below).getMessage(), containsString("q99 row 1 column 4 (revenue)"));
    }

    @Test
    void averagesPassWithinOnePercentAfterRounding() {
        List<List<Object>> rows = rows();
        rows.get(0).set(4, new BigDecimal("38655.86")); // 1% of 38273.13 is 382.73
        rows.get(1).set(4, new BigDecimal("0.050499")); // rounds to 0.05
        assertDoesNotThrow(() -> compare(rows));
    }

    @Test
    void failsOnAnAverageBeyondOnePercent() {
        List<List<Object>> rows = rows();
        rows.get(0).set(4, new BigDecimal("38655.87"));
        assertThat(failure(rows).getMessage(), containsString("q99 row 1 column 5 (avg_price): expected 38273.13 ±1%"));
        List<List<Object>> small = rows();
        small.get(1).set(4, new BigDecimal("0.0550")); // rounds to 0.06: 20% off
        assertThat(failure(small).getMessage(), containsString("q99 row 2 column 5 (avg_price)"));
    }

    @Test
    void storedDecimalsMatchExactly() {
        List<List<Object>> rows = rows();
        rows.get(0).set(5, new BigDecimal("544089.10"));
        assertThat(failure(rows).getMessage(), containsString("q99 row 1 column 6 (o_totalprice): expected exactly 544089.09"));
        List<List<Object>> scale = rows();
        scale.get(0).set(5, new BigDecimal("544089.090"));
        assertDoesNotThrow(() -> compare(scale));
    }

    @Test
    void failsOnANullOrAWrongType() {
        List<List<Object>> rows = rows();
        rows.get(0).set(3, null);
        rows.get(1).set(2, "7");
        String message = failure(rows).getMessage();
        assertThat(message,
                allOf(containsString("q99: 2 value(s) differ"),
                        containsString("row 1 column 4 (revenue): expected 56586554400.73, got null"),
                        containsString("row 2 column 3 (count): expected '           7', got '7'")));
    }

    @Test
    void failsOnRowsInAnotherOrder() {
        List<List<Object>> rows = rows();
        rows.add(0, rows.remove(1));
        assertThat(failure(rows).getMessage(),
                allOf(containsString("q99 row 1 column 1 (name)"), containsString("q99 row 2 column 1 (name)")));
        // ordered by name, which is unique: no ties to excuse it
        assertThrows(AssertionError.class, () -> AnswerComparator.assertMatches("q99", ANSWER, COLUMNS, rows, 0));
    }

    @Test
    void rowsTiedInTheOrderByColumnsMayComeInAnyOrder() {
        Answer tied = Answer.parse("""
                ps_partkey|value
                        11|500.00
                        12|400.00
                        13|400.00
                        14|300.00
                """);
        List<String> columns = List.of("ps_partkey", "value");
        List<List<Object>> swapped = List.of(
                List.of(11, new BigDecimal("500.00")),
                List.of(13, new BigDecimal("400.00")),
                List.of(12, new BigDecimal("400.00")),
                List.of(14, new BigDecimal("300.00")));
        assertDoesNotThrow(() -> AnswerComparator.assertMatches("q11", tied, columns, swapped, 1));
        // without the ORDER BY columns every row must be in place
        AssertionError error = assertThrows(AssertionError.class, () -> AnswerComparator.assertMatches("q11", tied, columns, swapped));
        assertThat(error.getMessage(), containsString("q11 row 2 column 1 (ps_partkey): expected 12, got 13"));
        // a tie excuses the order, not a different row
        List<List<Object>> wrong = List.of(
                List.of(11, new BigDecimal("500.00")),
                List.of(15, new BigDecimal("400.00")),
                List.of(12, new BigDecimal("400.00")),
                List.of(14, new BigDecimal("300.00")));
        assertThat(assertThrows(AssertionError.class, () -> AnswerComparator.assertMatches("q11", tied, columns, wrong, 1)).getMessage(),
                containsString("q11 row 3 column 1 (ps_partkey): expected 13, got 15"));
        // rows that are not tied must keep their order
        List<List<Object>> outOfOrder = List.of(
                List.of(12, new BigDecimal("400.00")),
                List.of(11, new BigDecimal("500.00")),
                List.of(13, new BigDecimal("400.00")),
                List.of(14, new BigDecimal("300.00")));
        assertThrows(AssertionError.class, () -> AnswerComparator.assertMatches("q11", tied, columns, outOfOrder, 1));
    }
}
