package dev.quarry.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds templates from lines (line i of the file is argument i) and shows fragments compactly. */
public final class TemplateText {

    private TemplateText() {
    }

    public static String file(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    /** Parses {@code lines} as the file {@code t.sql} of the template {@code t}. */
    static Template parse(String... lines) {
        return TemplateParser.parse("t", "t.sql", file(lines));
    }

    /** Parses and resolves templates given as name, then its text, then name, text... */
    public static Map<String, Template> library(String... namesAndTexts) {
        Map<String, Template> parsed = new LinkedHashMap<>();
        for (int i = 0; i < namesAndTexts.length; i += 2) {
            String name = namesAndTexts[i];
            parsed.put(name, TemplateParser.parse(name, name + ".sql", namesAndTexts[i + 1]));
        }
        return TemplateLibrary.resolve(parsed);
    }

    /**
     * Fragments written compactly: SQL text as it is, {@code <name>} for a parameter, {@code <=value>}
     * for a constant, {@code [...]} for an optional block, {@code {name(args)}} for a layer.
     */
    static String show(List<Fragment> fragments) {
        StringBuilder out = new StringBuilder();
        for (Fragment fragment : fragments) {
            if (fragment instanceof Fragment.Sql sql) {
                out.append(sql.text());
            } else if (fragment instanceof Fragment.Param param) {
                out.append('<').append(param.name()).append('>');
            } else if (fragment instanceof Fragment.Constant constant) {
                out.append("<=").append(constant.value() instanceof Object[] array ? List.of(array) : constant.value()).append('>');
            } else if (fragment instanceof Fragment.OptionalBlock block) {
                out.append('[').append(show(block.body())).append(']');
            } else if (fragment instanceof Fragment.Include include) {
                out.append('{').append(include.template());
                if (!include.arguments().isEmpty()) {
                    out.append(include.arguments().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(",", "(", ")")));
                }
                out.append('}');
            }
        }
        return out.toString();
    }

    /** The body of a template whose header is one summary line: the body starts on line 2. */
    static String body(String... lines) {
        String[] all = new String[lines.length + 1];
        all[0] = "-- t";
        System.arraycopy(lines, 0, all, 1, lines.length);
        return show(parse(all).body());
    }

    /** Asserts that parsing fails at {@code line} and returns the reason. */
    static String parseError(int line, String... lines) {
        TemplateException e = assertThrows(TemplateException.class, () -> parse(lines));
        assertEquals("t.sql", e.source(), e.getMessage());
        assertEquals(line, e.line(), e.getMessage());
        assertEquals("t.sql:" + line + ": " + e.reason(), e.getMessage());
        return e.reason();
    }
}
