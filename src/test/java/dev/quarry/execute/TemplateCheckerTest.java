package dev.quarry.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.quarry.template.ResultColumn;
import dev.quarry.template.Template;
import dev.quarry.template.TemplateException;
import dev.quarry.template.TemplateLibrary;
import dev.quarry.template.TemplateParser;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** PostgreSQL itself confirms each template: these are the answers it gives for broken ones. */
@QuarkusTest
class TemplateCheckerTest {

    @Inject
    Pool pool;

    private SqlConnection connection;

    @BeforeEach
    void connect() {
        connection = pool.getConnection().await().indefinitely();
    }

    @AfterEach
    void close() {
        connection.closeAndAwait();
    }

    @Test
    void describesTheOutputColumnsWithPostgresTypes() {
        List<ResultColumn> columns = check("t/ok", """
                -- Orders of a customer
                -- @param customer int = 1
                SELECT o_orderkey, o_orderdate, o_totalprice, o_orderstatus, o_comment
                FROM orders WHERE o_custkey = :customer
                """);
        // with each type's modifier from the row description: numeric(15,2), character(1) and varchar(79) (each plus 4)
        assertThat(columns).containsExactly(new ResultColumn("o_orderkey", "bigint"), new ResultColumn("o_orderdate", "date"),
                new ResultColumn("o_totalprice", "numeric", (15 << 16 | 2) + 4), new ResultColumn("o_orderstatus", "character", 1 + 4),
                new ResultColumn("o_comment", "character varying", 79 + 4));
        assertThat(columns.get(2).numericPrecision()).hasValue(15);
        assertThat(columns.get(2).numericScale()).hasValue(2);
        assertThat(columns.get(0).numericPrecision()).isEmpty();
    }

    @Test
    void typesOfComputedColumnsAreTheExactPostgresTypes() {
        List<ResultColumn> columns = check("t/computed", """
                -- Expressions, an array and a literal
                SELECT array_agg(o_orderkey) AS keys, sum(o_totalprice) / 2 AS half, now() AS at,
                       'x' AS letter, interval '1 day' AS span, o_orderdate - 1 AS before
                FROM orders GROUP BY o_orderdate LIMIT 1
                """);
        assertThat(columns).containsExactly(new ResultColumn("keys", "bigint[]"), new ResultColumn("half", "numeric"),
                new ResultColumn("at", "timestamp with time zone"), new ResultColumn("letter", "text"),
                new ResultColumn("span", "interval"), new ResultColumn("before", "date"));
    }

    @Test
    void aSyntaxErrorIsReportedAtItsFileAndLine() {
        assertThatThrownBy(() -> check("t/typo", """
                -- A typo on line 4
                SELECT o_orderkey
                FROM orders
                WHERE o_custkey = = 1
                """)).isInstanceOf(TemplateException.class)
                .hasMessage("t/typo.sql:4: PostgreSQL: syntax error at or near \"=\"");
    }

    @Test
    void anUnknownColumnInsideALayerIsReportedInTheLayersFile() {
        Map<String, Template> library = TemplateLibrary.resolve(Map.of(
                "t/child", TemplateParser.parse("t/child", "t/child.sql", """
                        -- A child with a wrong column on line 3
                        SELECT o_orderkey,
                               o_no_such_column
                        FROM orders
                        """),
                "t/parent", TemplateParser.parse("t/parent", "t/parent.sql", """
                        -- A parent
                        SELECT * FROM {{t/child}} AS c
                        """)));
        assertThatThrownBy(() -> new TemplateChecker(connection).check(library.get("t/parent")))
                .hasMessage("t/child.sql:3: PostgreSQL: column \"o_no_such_column\" does not exist");
    }

    @Test
    void aParameterPostgresReadsAsAnotherTypeIsRejectedWithTheCastToWrite() {
        assertThatThrownBy(() -> check("t/types", """
                -- Declared text, used as a date
                -- @param since text = 1995-01-01
                SELECT o_orderkey FROM orders
                WHERE o_orderdate >= :since
                """)).hasMessage("t/types.sql:4: parameter :since is declared text but PostgreSQL reads it as date; "
                + "cast it in the SQL, as :since::text");
    }

    @Test
    void aTemplateThatWritesIsRejected() {
        assertThatThrownBy(() -> check("t/writes", """
                -- Writes, which no template may
                WITH gone AS (DELETE FROM region RETURNING r_regionkey)
                SELECT r_regionkey FROM gone
                """)).hasMessage("t/writes.sql:1: the statement writes; templates only read");
    }

    @Test
    void sqlThatIsOnlyValidWithItsOptionalBlocksIsRejected() {
        assertThatThrownBy(() -> check("t/blocks", """
                -- Invalid once the block is dropped
                -- @param segment text optional
                SELECT c_custkey FROM customer WHERE
                /*[ c_mktsegment = :segment ]*/
                """)).isInstanceOf(TemplateException.class).hasMessageContaining("PostgreSQL: syntax error at end of input");
    }

    @Test
    void anErrorInAMeasureIsReportedInTheTemplatesFile() {
        assertThatThrownBy(() -> check("t/measure", """
                -- A measure over a column the fact rows do not have
                -- @dimension segment: c_mktsegment
                -- @measure balance: sum(c_no_such_balance)
                SELECT c_mktsegment, c_acctbal FROM customer
                """)).hasMessage("t/measure.sql:1: PostgreSQL: column \"c_no_such_balance\" does not exist");
    }

    @Test
    void sortAndKeyColumnsMustBeOutputColumns() {
        assertThatThrownBy(() -> check("t/sort", """
                -- Sorts on a column it does not return
                -- @sort o_orderdate
                SELECT o_orderkey FROM orders
                """)).hasMessage("t/sort.sql:1: 'o_orderdate' in @sort or @key is not an output column; the columns are o_orderkey");
    }

    private static final String ROLLED_UP = """
            -- Orders by status
            -- @param since date = 1995-01-01
            -- @dimension status: o_orderstatus
            -- @measure orders: count(*)
            -- @measure total: sum(o_totalprice)
            -- @measure lines: sum(o_shippriority)
            -- @rollup byday dimensions status
            -- @rollup byday measures orders, total, lines
            %s
            SELECT * FROM orders WHERE o_orderdate >= :since::date
            """;

    private Map<String, Map<String, String>> checkRollups(String rollupLines) {
        Template template = TemplateLibrary.resolve(Map.of("t/cube", TemplateParser.parse("t/cube", "t/cube.sql",
                ROLLED_UP.formatted(rollupLines)))).get("t/cube");
        TemplateChecker checker = new TemplateChecker(connection);
        checker.check(template);
        return checker.checkRollups(template);
    }

    @Test
    void aRollupsAggregateColumnsAreDescribed() {
        // sum(int) is a bigint, sum(numeric) a numeric, count a bigint: the types the re-aggregated sums are cast back to
        assertThat(checkRollups("-- @rollup byday time o_orderdate day\n-- @rollup byday where o_orderdate >= :since::date"))
                .containsExactly(Map.entry("byday", Map.of("orders__count", "bigint", "total__sum", "numeric", "lines__sum", "bigint")));
    }

    @Test
    void aTimeColumnThatIsNoDateOrAWhereOnAMissingColumnStopsAtTheRollupsLine() {
        assertThatThrownBy(() -> checkRollups("-- @rollup byday time o_orderkey day")).isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("t/cube.sql:7: rollup 'byday': PostgreSQL: cannot cast type bigint to timestamp");
        assertThatThrownBy(() -> checkRollups("-- @rollup byday time o_orderdate day\n-- @rollup byday where no_such >= :since::date"))
                .isInstanceOf(TemplateException.class)
                .hasMessage("t/cube.sql:7: rollup 'byday': PostgreSQL: column \"no_such\" does not exist");
    }

    private List<ResultColumn> check(String name, String text) {
        Template template = TemplateLibrary.resolve(Map.of(name, TemplateParser.parse(name, name + ".sql", text))).get(name);
        return new TemplateChecker(connection).check(template);
    }
}
