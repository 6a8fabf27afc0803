package dev.quarry.execute;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.quarry.template.ResultColumn;
import dev.quarry.template.Template;

/**
 * A template as the database confirmed it at startup.
 *
 * @param columns     its output columns; for a grouped template every dimension and then every measure
 * @param broken      why it cannot run, when startup was told to keep serving the others
 * @param rollupParts for each rollup it declares, by name, the type of each aggregate column of its table
 */
public record CheckedTemplate(Template template, List<ResultColumn> columns, Optional<String> broken,
        Map<String, Map<String, String>> rollupParts) {

    public String name() {
        return template.name();
    }

    public Optional<ResultColumn> column(String name) {
        return columns.stream().filter(column -> column.name().equals(name)).findFirst();
    }
}
