package dev.quarry.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Arbitrary text as a template file: the parser and the library either give a template or refuse it
 * with a {@link TemplateException} saying {@code file:line: reason}; any other exception or error
 * (a stack overflow, an index out of bounds, an arithmetic overflow) is a bug.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the inputs in {@code TemplateParserFuzzTestInputs} (real
 * templates and every finding so far) as a regression test; with it, it fuzzes (see src/site/markdown/reliability.md).
 */
class TemplateParserFuzzTest {

    /** A real template the fuzzed one may use as a layer, with a parameter it may bind or forward. */
    private static final String LAYER = String.join("\n",
            "-- A layer",
            "-- @param since date = 1995-01-01",
            "-- @param modes text[] optional",
            "SELECT o_orderkey FROM orders WHERE o_orderdate >= :since /*[ AND o_shipmode = ANY(:modes) ]*/",
            "");

    @FuzzTest(maxDuration = "30s")
    void parsesOrSaysWhereAndWhy(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            Template parsed = TemplateParser.parse("fuzz/t", "fuzz/t.sql", text);
            Map<String, Template> library = new LinkedHashMap<>();
            library.put("fuzz/t", parsed);
            library.put("fuzz/layer", TemplateParser.parse("fuzz/layer", "fuzz/layer.sql", LAYER));
            Template resolved = TemplateLibrary.resolve(library).get("fuzz/t");
            assertThat(resolved.header().summary()).isNotBlank();
            assertThat(resolved.body()).isNotEmpty();
        } catch (TemplateException refused) {
            assertThat(refused.source()).startsWith("fuzz/");
            assertThat(refused.line()).isPositive();
            assertThat(refused.reason()).isNotBlank();
        }
    }
}
