package dev.quarry.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.quarry.template.MeasureParts;
import dev.quarry.template.RollupDeclaration;
import dev.quarry.template.Template;

/**
 * The aggregate columns of a rollup's table: each part of an additive measure once, however many
 * measures use it ({@code revenue__sum}), and each non-additive measure whole, under its own name.
 *
 * @param columns part SQL (or a non-additive measure's whole expression) to its column's name, in table order
 */
public record RollupParts(Map<String, String> columns) {

    public static RollupParts of(Template template, RollupDeclaration rollup) {
        Map<String, String> columns = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (String measure : rollup.measures()) {
            String expression = template.header().measures().get(measure);
            MeasureParts parts = MeasureParts.of(expression);
            if (!parts.additive()) {
                columns.putIfAbsent(expression, measure);
                names.add(measure);
                continue;
            }
            for (MeasureParts.Call call : parts.calls()) {
                for (MeasureParts.Part part : call.parts()) {
                    if (!columns.containsKey(part.sql())) {
                        String name = measure + "__" + part.kind().name().toLowerCase(Locale.ROOT);
                        String unique = name;
                        for (int n = 2; names.contains(unique) || template.header().dimensions().containsKey(unique); n++) {
                            unique = name + n;
                        }
                        names.add(unique);
                        columns.put(part.sql(), unique);
                    }
                }
            }
        }
        return new RollupParts(columns);
    }

    /** The column that holds a part, or a non-additive measure's value. */
    public String column(String sql) {
        return columns.get(sql);
    }
}
