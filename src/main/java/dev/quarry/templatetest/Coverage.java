package dev.quarry.templatetest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.quarry.render.Grouping;
import dev.quarry.render.QueryRequest;
import dev.quarry.template.Fragment;
import dev.quarry.template.Template;

/**
 * The parts of a template's shape no case exercises: optional blocks that no case's request kept, and
 * dimensions that no case grouped by. Only cases that reached the database count.
 */
final class Coverage {

    private Coverage() {
    }

    /** One line per part not exercised, such as {@code queries/tpch/q03.sql:17: optional block never kept}. */
    static List<String> unexercised(Template template, Collection<QueryRequest> requests) {
        List<String> missing = new ArrayList<>();
        blocks(template, template.body(), requests, template.source(), missing);
        Set<String> grouped = new LinkedHashSet<>();
        requests.forEach(request -> request.grouping().map(Grouping::dimensions).ifPresent(grouped::addAll));
        for (String dimension : template.header().dimensions().keySet()) {
            if (!grouped.contains(dimension)) {
                missing.add(template.source() + ": dimension '" + dimension + "' is never grouped by (_group)");
            }
        }
        return missing;
    }

    private static void blocks(Template template, List<Fragment> body, Collection<QueryRequest> requests, String source,
            List<String> missing) {
        String current = source;
        for (Fragment fragment : body) {
            if (fragment instanceof Fragment.Sql sql) {
                current = sql.source();
            } else if (fragment instanceof Fragment.OptionalBlock block) {
                String where = block.body().stream().filter(Fragment.Sql.class::isInstance).map(f -> ((Fragment.Sql) f).source())
                        .findFirst().orElse(current);
                if (requests.stream().noneMatch(request -> kept(block.body(), request.arguments()))) {
                    missing.add(where + ":" + block.line() + ": optional block is never kept (no case gives "
                            + String.join(", ", parameters(block.body())) + ")");
                }
                blocks(template, block.body(), requests.stream().filter(request -> kept(block.body(), request.arguments()))
                        .toList(), where, missing);
            }
        }
    }

    /** As the renderer decides: a block is kept when every parameter directly inside it has a value. */
    private static boolean kept(List<Fragment> block, Map<String, Object> arguments) {
        return block.stream().noneMatch(f -> f instanceof Fragment.Param param && !arguments.containsKey(param.name()));
    }

    private static List<String> parameters(List<Fragment> block) {
        return block.stream().filter(Fragment.Param.class::isInstance).map(f -> ":" + ((Fragment.Param) f).name())
                .distinct().toList();
    }
}
