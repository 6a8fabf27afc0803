package dev.quarry.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

import dev.quarry.template.SortKey;
import dev.quarry.template.Template;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of rendering over generated templates and requests: request text never becomes SQL,
 * literals, comments and casts are left alone, and optional blocks are kept exactly when their
 * parameters have values.
 */
class RenderPropertiesTest {

    private static final int PARAMETERS = 6;

    // ---------------------------------------------------------------- templates with optional blocks

    /** A template body as a tree: words, parameters and optional blocks. */
    sealed interface Node {
    }

    record Word(String text) implements Node {
    }

    record Param(int index) implements Node {
        String name() {
            return "p" + index;
        }
    }

    record Block(List<Node> body) implements Node {
    }

    /** A generated template: its body's nodes, separated by spaces, and which of its parameters are lists. */
    record Body(List<Node> nodes, Set<Integer> lists) {

        String text() {
            return join(nodes);
        }

        private static String join(List<Node> nodes) {
            return nodes.stream().map(node -> {
                if (node instanceof Word word) {
                    return word.text();
                }
                if (node instanceof Param param) {
                    return ":" + param.name();
                }
                return "/*[ " + join(((Block) node).body()) + " ]*/";
            }).collect(Collectors.joining(" "));
        }

        /** Parameters used anywhere, in the order of first use. */
        Set<String> used() {
            Set<String> used = new LinkedHashSet<>();
            collect(nodes, used);
            return used;
        }

        private static void collect(List<Node> nodes, Set<String> into) {
            for (Node node : nodes) {
                if (node instanceof Param param) {
                    into.add(param.name());
                } else if (node instanceof Block block) {
                    collect(block.body(), into);
                }
            }
        }

        /** Parameters used outside every block: they must be required, the others are optional. */
        Set<String> required() {
            return nodes.stream().filter(Param.class::isInstance).map(node -> ((Param) node).name())
                    .collect(Collectors.toCollection(LinkedHashSet::new));
        }

        Template template(String... extraHeader) {
            List<String> lines = new ArrayList<>(List.of("-- Generated"));
            for (String name : used()) {
                boolean list = lists.contains(Integer.parseInt(name.substring(1)));
                lines.add("-- @param " + name + (list ? " text[]" : " text") + (required().contains(name) ? "" : " optional"));
            }
            lines.addAll(List.of(extraHeader));
            lines.add("SELECT " + text());
            return Templates.template(lines.toArray(String[]::new));
        }
    }

    /** What the renderer should write for {@code nodes} given the parameters with values: the model. */
    static final class Model {

        final StringBuilder sql = new StringBuilder();
        final List<String> bound = new ArrayList<>();
        private final Set<String> present;
        private final Map<String, Integer> positions = new HashMap<>();

        Model(Body body, Set<String> present) {
            this.present = present;
            sql.append("SELECT ");
            write(body.nodes());
            sql.append('\n');
        }

        private void write(List<Node> nodes) {
            for (int i = 0; i < nodes.size(); i++) {
                if (i > 0) {
                    sql.append(' ');
                }
                Node node = nodes.get(i);
                if (node instanceof Word word) {
                    sql.append(word.text());
                } else if (node instanceof Param param) {
                    Integer position = positions.computeIfAbsent(param.name(), name -> {
                        bound.add(name);
                        return bound.size();
                    });
                    sql.append('$').append(position);
                } else if (node instanceof Block block) {
                    boolean kept = block.body().stream()
                            .allMatch(inner -> !(inner instanceof Param param) || present.contains(param.name()));
                    if (kept) {
                        sql.append(' ');
                        write(block.body());
                        sql.append(' ');
                    }
                }
            }
        }
    }

    private static final List<String> WORDS = List.of("a", "b.c", "1", "+", "=", "AND", "OR", "NOT", "(", ")", "<>",
            "IS NULL", "f(x)", "count(*)", "WHERE", "x > 0", "a[1:2]", "g(y := 2)", "::int", "x::date");

    private Arbitrary<Node> node(int depth) {
        Arbitrary<Node> word = Arbitraries.of(WORDS).map(Word::new);
        Arbitrary<Node> param = Arbitraries.integers().between(0, PARAMETERS - 1).map(Param::new);
        if (depth == 0) {
            return Arbitraries.frequencyOf(Tuple.of(1, word), Tuple.of(1, param));
        }
        Arbitrary<Node> block = Arbitraries.lazy(() -> node(depth - 1)).list().ofMaxSize(4).map(Block::new);
        return Arbitraries.frequencyOf(Tuple.of(2, word), Tuple.of(2, param),
                Tuple.of(2, block));
    }

    @Provide
    Arbitrary<Body> bodies() {
        Arbitrary<List<Node>> nodes = node(3).list().ofMinSize(1).ofMaxSize(6);
        Arbitrary<Set<Integer>> lists = Arbitraries.integers().between(0, PARAMETERS - 1).set();
        return Combinators.combine(nodes, lists).as(Body::new);
    }

    // ---------------------------------------------------------------- (c) optional blocks

    @Property
    void optionalBlocksAreKeptExactlyWhenTheirParametersArePresent(@ForAll("bodies") Body body,
            @ForAll @Size(max = PARAMETERS) Set<@IntRange(min = 0, max = PARAMETERS - 1) Integer> given) {
        Template template = body.template();
        Set<String> present = new LinkedHashSet<>(body.required());
        given.stream().map(index -> "p" + index).filter(body.used()::contains).forEach(present::add);
        Map<String, List<String>> query = new LinkedHashMap<>();
        present.forEach(name -> query.put(name, List.of(name + "-value")));

        RenderedQuery rendered = QueryRenderer.render(template, Templates.parse(template, query, OptionalInt.empty()));

        Model model = new Model(body, present);
        assertEquals(model.sql.toString(), rendered.sql());
        List<Object> expected = model.bound.stream()
                .map(name -> body.lists().contains(Integer.parseInt(name.substring(1))) ? (Object) List.of(name + "-value")
                        : name + "-value")
                .toList();
        assertEquals(expected, Templates.values(rendered));
    }

    // ---------------------------------------------------------------- (a) request text never becomes SQL

    /**
     * Characters that no generated template, and nothing the renderer adds, ever holds. NUL is not
     * among them: PostgreSQL text cannot hold it, so the request parser refuses it before rendering.
     */
    private static final List<String> MARKERS = List.of("'", ";", "\\", "é", "💥", "%", "#", "\u2028", "ß", "\t");

    private static final List<String> NASTY = List.of("'; DROP TABLE x; --", "' OR '1'='1", "Robert'); DROP TABLE students;--",
            "$1'", "':p0", ":p1;", "*/ ; /*", "]*/;", "/*[ ' ]*/", "\\'", "$$;$$", "$q$'$q$", "é:p2", "💥$2", "'||pg_sleep(10)||'",
            "1; SELECT 1", "\"; --", "{{x}};", "E'\\''", "%' --", "'::text");

    @Provide
    Arbitrary<String> adversarial() {
        Arbitrary<String> chunk = Arbitraries.oneOf(
                Arbitraries.of("$1", "$", ":", ":p0", "::", "*/", "/*", "/*[", "]*/", "--", "'", "''", "\"", ",", "{{", "}}", " ", "\n",
                        "a", "1", "-", "É", "漢字", "\uD83D\uDE00"),
                Arbitraries.strings().excludeChars('\u0000').ofMaxLength(4));
        Arbitrary<String> composed = Combinators.combine(chunk.list().ofMaxSize(5), Arbitraries.of(MARKERS),
                chunk.list().ofMaxSize(5)).as((before, marker, after) -> String.join("", before) + marker + String.join("", after));
        return Arbitraries.oneOf(Arbitraries.of(NASTY), composed);
    }

    @Property
    void requestTextNeverBecomesSql(@ForAll("bodies") Body body,
            @ForAll @Size(max = PARAMETERS) Set<@IntRange(min = 0, max = PARAMETERS - 1) Integer> given,
            @ForAll @Size(min = PARAMETERS * 2, max = PARAMETERS * 2) List<@From("adversarial") String> texts,
            @ForAll("adversarial") String filterText, @ForAll boolean filtered, @ForAll boolean sorted, @ForAll boolean limited) {
        Template template = body.template("-- @sort a, b");
        Set<String> present = new LinkedHashSet<>(body.required());
        given.stream().map(index -> "p" + index).filter(body.used()::contains).forEach(present::add);
        Map<String, List<String>> query = new LinkedHashMap<>();
        Map<String, Object> expectedValues = new HashMap<>();
        for (String name : present) {
            int index = Integer.parseInt(name.substring(1));
            if (body.lists().contains(index)) {
                List<String> values = List.of(texts.get(2 * index), texts.get(2 * index + 1));
                query.put(name, values);
                expectedValues.put(name, values.stream().flatMap(value -> Arrays.stream(value.split(",", -1))).toList());
            } else {
                query.put(name, List.of(texts.get(2 * index)));
                expectedValues.put(name, texts.get(2 * index));
            }
        }
        if (filtered) {
            query.put("b__icontains", List.of(filterText));
        }
        if (sorted) {
            query.put("_sort", List.of("-b,a"));
        }
        if (limited) {
            query.put("_limit", List.of("10"));
        }

        RenderedQuery rendered = QueryRenderer.render(template, Templates.parse(template, query, OptionalInt.empty()));

        for (List<String> values : query.values()) {
            for (String value : values) {
                if (MARKERS.stream().anyMatch(value::contains)) {
                    assertFalse(rendered.sql().contains(value), () -> "request text " + value + " in " + rendered.sql());
                }
            }
        }
        Model model = new Model(body, present);
        List<Object> expected = new ArrayList<>(model.bound.stream().map(expectedValues::get).toList());
        if (filtered) {
            expected.add(filterText);
        }
        if (limited) {
            expected.add(10L);
        }
        assertEquals(expected, Templates.values(rendered));
        String relation = model.sql.toString();
        String expectedSql = filtered || sorted || limited
                ? "SELECT * FROM (" + relation + ") AS q"
                        + (filtered ? " WHERE strpos(lower(\"b\"), lower($" + (model.bound.size() + 1) + "::text)) > 0" : "")
                        + (sorted ? " ORDER BY \"b\" DESC NULLS FIRST, \"a\" ASC NULLS LAST" : "")
                        + (limited ? " LIMIT $" + expected.size() : "")
                : relation;
        assertEquals(expectedSql, rendered.sql());
    }

    @Property
    void reservedParametersAndFiltersOnlyTakeDeclaredNames(@ForAll("adversarial") String text,
            @ForAll("reservedNames") String reserved) {
        Template template = Templates.template("-- t", "-- @sort a, b", "-- @dimension d: a", "-- @measure m: count(*)",
                "SELECT 1 AS a, 2 AS b");
        Map<String, List<String>> query = Map.of(reserved, List.of(text));
        try {
            RenderedQuery rendered = QueryRenderer.render(template, Templates.parse(template, query, OptionalInt.empty()));
            assertFalse(rendered.sql().contains(text), rendered.sql());
            if (reserved.equals("m") || reserved.equals("m__startswith")) {
                assertEquals(List.of(text), rendered.values());
            }
        } catch (RequestException e) {
            assertEquals(reserved, e.parameter());
        }
    }

    @Provide
    Arbitrary<String> reservedNames() {
        return Arbitraries.of("_sort", "_limit", "_offset", "_after", "_count", "_explain", "_group", "_measures", "_other", "a", "d",
                "m", "m__in", "m__startswith", "m__like");
    }

    // ---------------------------------------------------------------- (b) literals, comments and casts are left alone

    /** A piece of generated SQL: its text, and for a parameter its name. */
    record Piece(String text, String parameter) {

        static Piece sql(String text) {
            return new Piece(text, null);
        }
    }

    /** Characters and tokens that literals and comments may hold, each region leaving out what would end it. */
    private static final List<String> CONTENT = List.of("a", "Z", "0", " ", ":", ":p0", ":p1", "::int", "$1", ";", ",", "-", "--",
            "/*", "*/", "/*[", "]*/", "{{x}}", "'", "\"", "\\", "\n", "é", "💥", "(", ")", "E", "?");

    private static Arbitrary<String> content(Set<String> excluded, String... extra) {
        List<String> tokens = new ArrayList<>(CONTENT.stream().filter(token -> excluded.stream().noneMatch(token::contains)).toList());
        tokens.addAll(List.of(extra));
        return Arbitraries.of(tokens).list().ofMaxSize(8).map(list -> String.join("", list));
    }

    @Provide
    Arbitrary<List<Piece>> pieces() {
        Arbitrary<Piece> parameter = Arbitraries.integers().between(0, 4).map(index -> new Piece(":p" + index, "p" + index));
        Arbitrary<Piece> word = Arbitraries.of("SELECT", "a", "1", "+", "(", ")", "=", "AND", ":", "$", "a[1:2]", "f(x := 1)",
                "price$usd", "t$1", "x::date", "::int", "::text[]", "E", "e").map(Piece::sql);
        Arbitrary<Piece> string = content(Set.of("'"), "''").map(text -> Piece.sql("'" + text + "'"));
        Arbitrary<Piece> escapeString = Combinators.combine(Arbitraries.of("E", "e"), content(Set.of("'", "\\"), "''", "\\'", "\\\\"))
                .as((e, text) -> Piece.sql(e + "'" + text + "'"));
        Arbitrary<Piece> quotedIdentifier = content(Set.of("\""), "\"\"").map(text -> Piece.sql("\"" + text + "\""));
        Arbitrary<Piece> lineComment = content(Set.of("\n")).map(text -> Piece.sql("--" + text + "\n"));
        Arbitrary<String> commentText = content(Set.of("/*", "*/"));
        Arbitrary<Piece> blockComment = Combinators.combine(commentText, commentText, commentText, Arbitraries.of(true, false))
                .as((a, b, c, nested) -> Piece.sql("/* " + a + (nested ? " /* " + b + " */ " : "") + c + " */"));
        Arbitrary<Piece> dollarQuote = Combinators.combine(Arbitraries.of("", "q", "fn", "_x1"), content(Set.of("$"), "$1 "))
                .as((tag, text) -> Piece.sql("$" + tag + "$ " + text + " $" + tag + "$"));
        Arbitrary<Piece> cast = Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.of("int", "date", "text[]"))
                .as((index, type) -> new Piece(":p" + index + "::" + type, "p" + index));
        return Arbitraries.oneOf(parameter, word, string, escapeString, quotedIdentifier, lineComment, blockComment, dollarQuote, cast)
                .list().ofMinSize(1).ofMaxSize(12);
    }

    @Property
    void literalsCommentsAndCastsAreLeftAlone(@ForAll("pieces") List<Piece> pieces) {
        Set<String> parameters = new LinkedHashSet<>();
        StringBuilder body = new StringBuilder("SELECT");
        StringBuilder expected = new StringBuilder("SELECT");
        Map<String, Integer> positions = new HashMap<>();
        for (Piece piece : pieces) {
            body.append(' ').append(piece.text());
            expected.append(' ');
            if (piece.parameter() == null) {
                expected.append(piece.text());
            } else {
                parameters.add(piece.parameter());
                int position = positions.computeIfAbsent(piece.parameter(), name -> positions.size() + 1);
                expected.append('$').append(position).append(piece.text().substring(piece.parameter().length() + 1));
            }
        }
        List<String> lines = new ArrayList<>(List.of("-- Generated"));
        parameters.forEach(name -> lines.add("-- @param " + name + " text"));
        lines.add(body.toString());
        Template template = Templates.template(lines.toArray(String[]::new));
        Map<String, List<String>> query = new HashMap<>();
        parameters.forEach(name -> query.put(name, List.of("value of " + name)));

        RenderedQuery rendered = QueryRenderer.render(template, Templates.parse(template, query, OptionalInt.empty()));

        assertEquals(expected + "\n", rendered.sql());
        assertEquals(parameters.stream().sorted((a, b) -> positions.get(a) - positions.get(b)).map(name -> "value of " + name).toList(),
                rendered.values());
        assertTrue(rendered.values().size() <= 5);
    }

    // ---------------------------------------------------------------- (d) keyset pagination

    private static final List<String> KEYSET_COLUMNS = List.of("a", "b", "k");

    /** A {@code _sort} over some of the columns, each ascending or descending, in any order. */
    @Provide
    Arbitrary<List<String>> sorts() {
        Arbitrary<String> item = Combinators.combine(Arbitraries.of(KEYSET_COLUMNS), Arbitraries.of(true, false))
                .as((column, descending) -> (descending ? "-" : "") + column);
        return item.list().ofMaxSize(3).filter(items -> items.stream().map(i -> i.replace("-", "")).distinct().count() == items.size());
    }

    @Provide
    Arbitrary<List<Integer>> rows() {
        return Arbitraries.integers().between(0, 2).injectNull(0.3).list().ofSize(3);
    }

    /**
     * The condition written after a cursor holds for exactly the rows that come after the cursor's row
     * under ORDER BY ... ASC NULLS LAST / DESC NULLS FIRST, evaluated with SQL's three-valued logic.
     */
    @Property
    void theKeysetConditionSelectsExactlyTheRowsAfterTheCursor(@ForAll("sorts") List<String> sort, @ForAll("rows") List<Integer> cursorRow,
            @ForAll("rows") List<Integer> row) {
        Template template = Templates.template("-- t", "-- @sort a, b, k", "-- @key k", "SELECT a, b, k FROM t");
        List<dev.quarry.template.ResultColumn> columns = Templates.columns("a", "integer", "b", "smallint", "k", "integer");
        List<String> namesAndValues = sort.isEmpty() ? List.of() : List.of("_sort", String.join(",", sort));
        QueryRequest shape = Templates.request(template, columns, namesAndValues.toArray(String[]::new));
        List<SortKey> ordering = shape.ordering();
        String[] cursor = ordering.stream().map(key -> cursorRow.get(KEYSET_COLUMNS.indexOf(key.column())))
                .map(value -> value == null ? null : value.toString()).toArray(String[]::new);
        List<String> query = new ArrayList<>(namesAndValues);
        query.addAll(List.of("_after", Templates.cursor(template, shape, cursor)));

        RenderedQuery rendered = QueryRenderer.render(template, Templates.request(template, columns, query.toArray(String[]::new)));

        String prefix = "SELECT * FROM (SELECT a, b, k FROM t\n) AS q WHERE ";
        assertTrue(rendered.sql().startsWith(prefix), rendered.sql());
        int orderBy = rendered.sql().indexOf(" ORDER BY ");
        String condition = rendered.sql().substring(prefix.length(), orderBy);
        Map<String, Integer> values = new HashMap<>();
        for (int i = 0; i < KEYSET_COLUMNS.size(); i++) {
            values.put(KEYSET_COLUMNS.get(i), row.get(i));
        }
        Boolean selected = new Condition(condition, rendered.values(), values).evaluate();

        int comparison = 0;
        for (SortKey key : ordering) {
            int column = KEYSET_COLUMNS.indexOf(key.column());
            int ascending = ascendingNullsLast(row.get(column), cursorRow.get(column));
            comparison = key.descending() ? -ascending : ascending;
            if (comparison != 0) {
                break;
            }
        }
        assertEquals(comparison > 0, Boolean.TRUE.equals(selected), () -> condition + " for " + row + " after " + cursorRow);
        assertEquals(rendered.values().size(), condition.chars().filter(c -> c == '$').count());
    }

    private static int ascendingNullsLast(Integer x, Integer y) {
        if (x == null || y == null) {
            return x == null ? (y == null ? 0 : 1) : -1;
        }
        return Integer.compare(x, y);
    }

    /**
     * Evaluates the keyset condition the renderer writes, with SQL's three-valued logic (null is unknown):
     * {@code ( )}, {@code OR}, {@code AND}, {@code FALSE}, {@code "c" IS [NOT] NULL}, {@code "c" =|<|> $n::int}.
     */
    static final class Condition {

        private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile(
                "\\(|\\)|OR|AND|FALSE|IS NOT NULL|IS NULL|\"[a-z]+\"|[=<>]|\\$\\d+::int|\\s+");

        private final List<String> tokens = new ArrayList<>();
        private final List<Object> bound;
        private final Map<String, Integer> row;
        private int next;

        Condition(String text, List<Object> bound, Map<String, Integer> row) {
            java.util.regex.Matcher matcher = TOKEN.matcher(text);
            int at = 0;
            while (matcher.lookingAt()) {
                if (!matcher.group().isBlank()) {
                    tokens.add(matcher.group());
                }
                at = matcher.end();
                matcher.region(at, text.length());
            }
            assertEquals(text.length(), at, () -> "cannot read the condition " + text);
            this.bound = bound;
            this.row = row;
        }

        Boolean evaluate() {
            Boolean value = or();
            assertEquals(tokens.size(), next, () -> "left over in " + tokens);
            return value;
        }

        private Boolean or() {
            Boolean value = and();
            while (next < tokens.size() && tokens.get(next).equals("OR")) {
                next++;
                Boolean right = and();
                value = Boolean.TRUE.equals(value) || Boolean.TRUE.equals(right) ? Boolean.TRUE
                        : value == null || right == null ? null : Boolean.FALSE;
            }
            return value;
        }

        private Boolean and() {
            Boolean value = primary();
            while (next < tokens.size() && tokens.get(next).equals("AND")) {
                next++;
                Boolean right = primary();
                value = Boolean.FALSE.equals(value) || Boolean.FALSE.equals(right) ? Boolean.FALSE
                        : value == null || right == null ? null : Boolean.TRUE;
            }
            return value;
        }

        private Boolean primary() {
            String token = tokens.get(next++);
            if (token.equals("(")) {
                Boolean value = or();
                assertEquals(")", tokens.get(next++));
                return value;
            }
            if (token.equals("FALSE")) {
                return Boolean.FALSE;
            }
            assertTrue(token.startsWith("\""), token);
            Integer column = row.get(token.substring(1, token.length() - 1));
            String operator = tokens.get(next++);
            if (operator.equals("IS NULL")) {
                return column == null;
            }
            if (operator.equals("IS NOT NULL")) {
                return column != null;
            }
            String placeholder = tokens.get(next++);
            Integer value = (Integer) bound.get(Integer.parseInt(placeholder.substring(1, placeholder.indexOf(':'))) - 1);
            if (column == null || value == null) {
                return null;
            }
            return switch (operator) {
                case "=" -> column.equals(value);
                case "<" -> column < value;
                case ">" -> column > value;
                default -> throw new AssertionError(operator);
            };
        }
    }
}
