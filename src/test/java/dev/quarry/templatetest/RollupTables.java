package dev.quarry.templatetest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.quarry.TestDatabase;
import dev.quarry.render.RenderedQuery;
import dev.quarry.render.RollupRenderer;
import dev.quarry.template.RollupDeclaration;
import dev.quarry.template.Template;

/** Builds a rollup's table in the test database from its build statement, as a test that needs one does. */
public final class RollupTables {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$(\\d+)");

    private RollupTables() {
    }

    public static void build(Template template, RollupDeclaration rollup) {
        RenderedQuery build = RollupRenderer.build(template, rollup, Optional.empty());
        Matcher matcher = PLACEHOLDER.matcher(build.sql());
        StringBuilder sql = new StringBuilder();
        List<Integer> order = new java.util.ArrayList<>();
        while (matcher.find()) {
            order.add(Integer.parseInt(matcher.group(1)));
            matcher.appendReplacement(sql, "?");
        }
        matcher.appendTail(sql);
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + RollupDeclaration.SCHEMA);
            statement.execute("DROP TABLE IF EXISTS " + rollup.table());
            try (PreparedStatement create = connection.prepareStatement("CREATE TABLE " + rollup.table() + " AS " + sql)) {
                for (int i = 0; i < order.size(); i++) {
                    create.setObject(i + 1, build.values().get(order.get(i) - 1));
                }
                create.execute();
            }
            statement.execute("GRANT USAGE ON SCHEMA " + RollupDeclaration.SCHEMA + " TO PUBLIC");
            statement.execute("GRANT SELECT ON " + rollup.table() + " TO PUBLIC");
        } catch (SQLException e) {
            throw new IllegalStateException("building " + rollup.label() + ": " + e.getMessage(), e);
        }
    }

    public static void drop(RollupDeclaration rollup) {
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + rollup.table());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
