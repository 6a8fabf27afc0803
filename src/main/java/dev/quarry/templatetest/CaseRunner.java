package dev.quarry.templatetest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import dev.quarry.encode.ValueText;
import dev.quarry.execute.CheckedTemplate;
import dev.quarry.execute.QueryExecutor;
import dev.quarry.execute.QueryFailure;
import dev.quarry.execute.QueryProblem;
import dev.quarry.execute.ScratchTransaction;
import dev.quarry.execute.StatementSettings;
import dev.quarry.execute.TenancySettings;
import dev.quarry.render.CursorCodec;
import dev.quarry.render.QueryRenderer;
import dev.quarry.render.QueryRequest;
import dev.quarry.render.RenderedQuery;
import dev.quarry.render.RequestException;
import dev.quarry.render.RequestParser;
import dev.quarry.render.RowSource;
import dev.quarry.render.Tenant;
import dev.quarry.rollup.RollupCandidate;
import dev.quarry.rollup.RollupDecision;
import dev.quarry.rollup.RollupMatcher;
import dev.quarry.template.ParamType;
import dev.quarry.template.ResultColumn;
import dev.quarry.template.RollupDeclaration;
import dev.quarry.template.Template;
import dev.quarry.templatetest.TestCase.ExpectedProblem;
import dev.quarry.templatetest.TestCase.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.pgclient.PgException;

/**
 * Runs one case as a request would run: its query string parsed by {@link RequestParser}, the SQL
 * written by {@link QueryRenderer}, executed read-only under the template's statement settings (the
 * case's own timeout instead, when it sets one), a failure told as a request's problem; but in a
 * transaction of its own whose temporary tables shadow the real ones, rolled back at the end
 * ({@link ScratchTransaction}).
 */
final class CaseRunner {

    /** The HTTP status of a request the parser refuses. */
    private static final int BAD_REQUEST = 400;
    /** Beyond the statement timeout, for the round trips around the statement. */
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final QueryExecutor executor;
    private final ScratchTransaction transaction;
    private final CursorCodec cursors;
    private final TenancySettings tenancy;

    CaseRunner(QueryExecutor executor, ScratchTransaction transaction, CursorCodec cursors, TenancySettings tenancy) {
        this.executor = executor;
        this.transaction = transaction;
        this.cursors = cursors;
        this.tenancy = tenancy;
    }

    CaseResult run(CheckedTemplate checked, TestCase testCase) {
        long started = System.nanoTime();
        Optional<QueryRequest> exercised = Optional.empty();
        Optional<String> failure;
        try {
            if (checked.broken().isPresent()) {
                throw new TestFileException(testCase.source(), testCase.line(), "the template is broken: " + checked.broken().get());
            }
            QueryRequest request = request(checked, testCase);
            if (request == null) {
                failure = Optional.empty();
            } else {
                exercised = Optional.of(request);
                failure = execute(checked, testCase, request);
            }
        } catch (TestFileException e) {
            failure = Optional.of(e.getMessage());
        } catch (RuntimeException e) {
            failure = Optional.of(testCase.location() + ": " + describe(e));
        }
        return new CaseResult(testCase.template(), testCase.name(), failure, exercised,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** The parsed request, or {@code null} when the case expected it refused and it was, as expected. */
    private QueryRequest request(CheckedTemplate checked, TestCase testCase) {
        QueryRequest request;
        try {
            request = RequestParser.parse(checked.template(), checked.columns(), testCase.params(), tenant(checked, testCase),
                    OptionalInt.empty(), cursors, Optional.empty());
        } catch (RequestException e) {
            Optional<ExpectedProblem> expected = testCase.problem();
            if (expected.isEmpty()) {
                throw new TestFileException(testCase.source(), testCase.line(), "the request is refused (400): "
                        + e.parameter() + " " + e.getMessage());
            }
            if (expected.get().status() != BAD_REQUEST
                    || expected.get().parameter().filter(parameter -> !parameter.equals(e.parameter())).isPresent()) {
                throw new TestFileException(testCase.source(), testCase.line(), "expected a " + expected.get().status()
                        + expected.get().parameter().map(parameter -> " naming " + parameter).orElse("") + ", got a 400 naming "
                        + e.parameter() + ": " + e.getMessage());
            }
            return null;
        }
        if (testCase.problem().isPresent()) {
            throw new TestFileException(testCase.source(), testCase.line(), "expected a " + testCase.problem().get().status()
                    + testCase.problem().get().parameter().map(parameter -> " naming " + parameter).orElse("")
                    + ", but the request was accepted");
        }
        return request;
    }

    /**
     * The case's tenant, read as the configured claim's type; with tenancy off (as when the shipped
     * templates are tested), a whole number is an int and anything else text.
     */
    private Optional<Tenant> tenant(CheckedTemplate checked, TestCase testCase) {
        if (checked.template().tenant() != testCase.tenant().isPresent()) {
            throw new TestFileException(testCase.source(), testCase.line(), checked.template().tenant()
                    ? "the template uses :" + Template.TENANT + ": the case names the caller's tenant, as tenant: 7"
                    : "the template does not use :" + Template.TENANT + ", so the case has no tenant");
        }
        return testCase.tenant().map(text -> {
            ParamType type = tenancy.enabled() ? tenancy.claimType() : text.matches("-?[0-9]{1,9}") ? ParamType.INT : ParamType.TEXT;
            try {
                return new Tenant(type.parse(text));
            } catch (IllegalArgumentException e) {
                throw new TestFileException(testCase.source(), testCase.line(), "tenant " + e.getMessage());
            }
        });
    }

    private Optional<String> execute(CheckedTemplate checked, TestCase testCase, QueryRequest request) {
        StatementSettings settings = executor.settings(checked.template().header());
        if (testCase.timeout().isPresent()) {
            settings = settings.withTimeout(testCase.timeout().get());
        }
        Optional<String> failure = compare(testCase, request, fetch(testCase, QueryRenderer.render(checked.template(), request), settings));
        if (failure.isPresent() || testCase.rollup().isEmpty()) {
            return failure;
        }
        return fromRollup(checked, testCase, request, settings);
    }

    /**
     * A case with {@code rollup:} run again from that rollup, over rows it builds from the case's own: the rollup
     * must answer the request, and give the same rows.
     */
    private Optional<String> fromRollup(CheckedTemplate checked, TestCase testCase, QueryRequest request, StatementSettings settings) {
        String name = testCase.rollup().get();
        RollupDeclaration rollup = checked.template().header().rollups().stream().filter(declared -> declared.name().equals(name))
                .findFirst().orElseThrow(() -> new TestFileException(testCase.source(), testCase.line(), checked.name()
                        + " declares no rollup '" + name + "'"));
        RollupCandidate candidate = new RollupCandidate(rollup, checked.rollupParts().getOrDefault(name, Map.of()),
                Optional.of(Instant.EPOCH));
        RollupDecision decision = RollupMatcher.match(checked.template(), request, List.of(candidate), false);
        if (decision.rollup().isEmpty()) {
            return Optional.of(testCase.location() + ": rollup " + name + " does not answer this request: "
                    + decision.rejections().get(0).reason());
        }
        RowSource source = new RowSource.Rollup(checked.template(), rollup, candidate.partTypes(), true);
        return compare(testCase, request, fetch(testCase, QueryRenderer.render(source, request), settings))
                .map(failure -> "from rollup " + name + ": " + failure);
    }

    private RowSet<io.vertx.mutiny.sqlclient.Row> fetch(TestCase testCase, RenderedQuery query, StatementSettings settings) {
        Duration wait = settings.timeout().plus(GRACE);
        try {
            return transaction.fetch(query, settings, wait, connection -> new Fixtures(connection, wait).load(testCase));
        } catch (TestFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TestFileException(testCase.source(), testCase.line(), failure(e, query, settings));
        }
    }

    /** What a request would be told (its problem's status, title and detail), and where in the template PostgreSQL points. */
    private static String failure(RuntimeException e, RenderedQuery query, StatementSettings settings) {
        // PostgreSQL stopped the statement at its timeout, or did not even answer within the grace after it
        if (e instanceof io.smallrye.mutiny.TimeoutException || QueryFailure.of(e) == QueryFailure.TIMEOUT) {
            return "ran past its timeout of " + settings.timeout().toMillis() + " ms";
        }
        QueryProblem problem = QueryProblem.of(e);
        if (problem.unexpected()) {
            return describe(e);
        }
        String where = e instanceof PgException pg ? Optional.ofNullable(pg.getPosition())
                .flatMap(position -> query.locate(Integer.parseInt(position) - 1))
                .map(position -> " (at " + position + ")").orElse("") : "";
        return "the request fails (" + problem.status() + " " + problem.title() + "): " + problem.detail() + where;
    }

    private Optional<String> compare(TestCase testCase, QueryRequest request, RowSet<io.vertx.mutiny.sqlclient.Row> rows) {
        List<String> names = rows.columnsNames();
        List<String> failures = new ArrayList<>();
        if (testCase.columns().isPresent()) {
            LinkedHashMap<String, String> actual = new LinkedHashMap<>();
            for (String name : names) {
                actual.put(name, request.columns().stream().filter(column -> column.name().equals(name)).findFirst()
                        .map(ResultColumn::type).orElse("?"));
            }
            if (!actual.equals(testCase.columns().get())) {
                failures.add("columns differ:\n  - " + RowComparison.show(testCase.columns().get()) + "\n  + "
                        + RowComparison.show(actual));
            }
        }
        List<Row> expected = testCase.expect().orElseThrow();
        List<String> compared = expected.isEmpty() ? names : List.copyOf(expected.get(0).values().keySet());
        for (String column : compared) {
            if (!names.contains(column)) {
                throw new TestFileException(testCase.source(), expected.get(0).line(), "the answer has no column '" + column
                        + "'; its columns are " + String.join(", ", names));
            }
        }
        List<Map<String, String>> actual = new ArrayList<>();
        for (io.vertx.mutiny.sqlclient.Row row : rows) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                values.put(names.get(i), ValueText.of(row.getValue(i)));
            }
            actual.add(RowComparison.project(values, compared));
        }
        List<Map<String, String>> want = expected.stream().map(row -> (Map<String, String>) row.values()).toList();
        RowComparison.compare(want, actual, !request.ordering().isEmpty()).ifPresent(failures::add);
        if (failures.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(testCase.location() + ": " + String.join("\n", failures));
    }

    private static String describe(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
