package dev.quarry.template;

import java.util.List;
import java.util.Map;

/** A piece of a template's body: SQL text, a parameter, an optional block or a layer. */
public sealed interface Fragment {

    /** SQL text copied as it is, comments and literals included, starting on {@code line} of {@code source}. */
    record Sql(String text, String source, int line) implements Fragment {
    }

    /** {@code :name}: a bound parameter. */
    record Param(String name, int line) implements Fragment {
    }

    /** A child template's parameter that the including template fixed to a literal, still bound, never spliced. */
    record Constant(Object value) implements Fragment {
    }

    /** {@code /*[ ... ]*}{@code /}: kept only when every parameter directly inside it has a value. */
    record OptionalBlock(List<Fragment> body, int line) implements Fragment {
    }

    /**
     * {@code {{name(param = :other, n = 5)}}}: another template used as a relation. Only a parsed
     * template holds these; the library replaces each by the child's fragments in parentheses.
     *
     * @param arguments child parameter name to either {@code :parentParameter} or a literal
     */
    record Include(String template, Map<String, String> arguments, int line) implements Fragment {
    }
}
