package dev.quarry.render;

import java.lang.reflect.Array;

/** Writes one filter as a condition on the wrapped template's output: {@code "column" >= $n::numeric}. */
final class FilterWriter {

    private FilterWriter() {
    }

    static void write(Filter filter, SqlWriter out) {
        String cast = "::" + filter.type().cast();
        switch (filter.lookup()) {
            case EXACT -> compare(filter, " = ", cast, out);
            case NE -> compare(filter, " IS DISTINCT FROM ", cast, out);
            case LT -> compare(filter, " < ", cast, out);
            case LTE -> compare(filter, " <= ", cast, out);
            case GT -> compare(filter, " > ", cast, out);
            case GTE -> compare(filter, " >= ", cast, out);
            case IN -> {
                Object array = Array.newInstance(filter.type().javaType(), filter.values().size());
                for (int i = 0; i < filter.values().size(); i++) {
                    Array.set(array, i, filter.values().get(i));
                }
                out.identifier(filter.column()).append(" = ANY(").value(array).append(cast + "[])");
            }
            case RANGE -> out.identifier(filter.column()).append(" BETWEEN ").value(filter.values().get(0)).append(cast)
                    .append(" AND ").value(filter.values().get(1)).append(cast);
            case CONTAINS -> out.append("strpos(").identifier(filter.column()).append(", ").value(filter.values().get(0))
                    .append("::text) > 0");
            case ICONTAINS -> out.append("strpos(lower(").identifier(filter.column()).append("), lower(")
                    .value(filter.values().get(0)).append("::text)) > 0");
            case STARTSWITH -> out.append("starts_with(").identifier(filter.column()).append(", ")
                    .value(filter.values().get(0)).append("::text)");
            case ISNULL -> out.identifier(filter.column()).append((Boolean) filter.values().get(0) ? " IS NULL" : " IS NOT NULL");
        }
    }

    private static void compare(Filter filter, String operator, String cast, SqlWriter out) {
        out.identifier(filter.column()).append(operator).value(filter.values().get(0)).append(cast);
    }
}
