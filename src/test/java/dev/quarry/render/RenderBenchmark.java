package dev.quarry.render;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import dev.quarry.template.Template;
import dev.quarry.template.TemplateLibrary;
import dev.quarry.template.TemplateParser;

/**
 * How long the engine takes for a realistic template: a 50-line file with three optional blocks
 * and one layer. Not a test: run it by hand (see {@link #main}).
 *
 * <pre>
 * ./mvnw -q test-compile &amp;&amp; java -cp "target/test-classes:target/classes:$(./mvnw -q dependency:build-classpath \
 *     -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)" dev.quarry.render.RenderBenchmark
 * </pre>
 *
 * It runs one fork, 3 warm-up and 5 measured iterations of 1 s for each benchmark; arguments are
 * JMH's own, such as {@code -prof gc} or {@code -f 3}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class RenderBenchmark {

    /** The layer: order lines with their revenue in a period. */
    static final String LINES = """
            -- Order lines with their revenue
            --
            -- @param since date -- first day
            -- @param until date -- day after the last
            SELECT l_orderkey, l_suppkey, l_extendedprice * (1 - l_discount) AS revenue
            FROM lineitem
            WHERE l_shipdate >= :since::date
              AND l_shipdate < :until::date
            """;

    /** 50 lines: a header with seven parameters, a body with one layer and three optional blocks. */
    static final String CUSTOMERS = """
            -- Top customers by revenue
            --
            -- The customers of a market segment who paid the most in a period,
            -- optionally only from some nations, with some balance, or for some order priorities.
            -- Revenue counts the line items shipped in the period.
            --
            -- @param segment text = BUILDING in AUTOMOBILE|BUILDING|FURNITURE|HOUSEHOLD|MACHINERY -- market segment
            -- @param since date = 1995-01-01 range 1992-01-01..1998-12-31 -- first day of the period
            -- @param until date = 1996-01-01 range 1992-01-01..1998-12-31 -- day after the period
            -- @param nations text[] optional -- nation names, such as FRANCE,GERMANY
            -- @param min_balance numeric optional -- smallest account balance
            -- @param priorities text[] optional in 1-URGENT|2-HIGH|3-MEDIUM|'4-NOT SPECIFIED'|5-LOW -- order priorities
            -- @param min_orders int = 1 range 1..1000 -- fewest orders a customer placed
            -- @sort c_custkey, c_name, nation, orders, revenue, last_order
            -- @key c_custkey
            -- @timeout 30s
            WITH lines AS {{bench/lines(since = :since, until = :until)}},
            customers AS (
                SELECT c_custkey, c_name, c_acctbal, c_mktsegment, n_name
                FROM customer
                JOIN nation ON n_nationkey = c_nationkey
                WHERE c_mktsegment = :segment
                  /*[ AND n_name = ANY(:nations) ]*/
                  /*[ AND c_acctbal >= :min_balance ]*/
            )
            SELECT
                c_custkey,
                c_name,
                n_name                          AS nation,
                count(DISTINCT o_orderkey)      AS orders,
                sum(lines.revenue)              AS revenue,
                avg(lines.revenue)              AS average_line,
                min(o_orderdate)                AS first_order,
                max(o_orderdate)                AS last_order,
                max(o_totalprice)               AS largest_order,
                'since ' || :since::text        AS period -- :since is bound, ':since' is text
            FROM customers
            JOIN orders ON o_custkey = c_custkey
            JOIN lines  ON lines.l_orderkey = o_orderkey
            WHERE o_orderdate >= :since::date
              AND o_orderdate < :until::date
              /*[ AND o_orderpriority = ANY(:priorities) ]*/
              AND o_comment NOT LIKE '%special%requests%'
              AND o_orderstatus <> 'P' -- finished orders only
              AND o_clerk <> E'Clerk\\'s :name'
              /* a comment with :nothing inside /* nested */ */
            GROUP BY c_custkey, c_name, n_name
            HAVING count(DISTINCT o_orderkey) >= :min_orders
            ORDER BY revenue DESC, c_custkey
            ;
            """;

    private Template template;
    private Map<String, List<String>> query;

    @Setup
    public void setUp() {
        template = parse().get("bench/customers");
        query = new LinkedHashMap<>();
        query.put("segment", List.of("AUTOMOBILE"));
        query.put("since", List.of("1995-03-01"));
        query.put("nations", List.of("FRANCE,GERMANY", "JAPAN"));
        query.put("min_balance", List.of("1000.50"));
        query.put("_sort", List.of("-revenue,c_custkey"));
        query.put("_limit", List.of("100"));
        RenderedQuery rendered = render();
        if (CUSTOMERS.lines().count() != 50 || rendered.values().size() != 7 || !rendered.sql().contains("ANY($4)")) {
            throw new IllegalStateException("the benchmark does not measure what it says: " + CUSTOMERS.lines().count()
                    + " lines, " + rendered.values().size() + " values in " + rendered.sql());
        }
    }

    /** TemplateParser on both files, then TemplateLibrary.resolve. */
    @Benchmark
    public Map<String, Template> parse() {
        Map<String, Template> parsed = new LinkedHashMap<>();
        parsed.put("bench/lines", TemplateParser.parse("bench/lines", "queries/bench/lines.sql", LINES));
        parsed.put("bench/customers", TemplateParser.parse("bench/customers", "queries/bench/customers.sql", CUSTOMERS));
        return TemplateLibrary.resolve(parsed);
    }

    /** RequestParser, then QueryRenderer, for a request that keeps two of the three optional blocks. */
    @Benchmark
    public RenderedQuery render() {
        return QueryRenderer.render(template, Templates.parse(template, query, OptionalInt.of(100)));
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        Options options = new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(RenderBenchmark.class.getName() + "\\.")
                .build();
        new Runner(options).run();
    }
}
