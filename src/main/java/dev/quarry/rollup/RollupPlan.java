package dev.quarry.rollup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import dev.quarry.render.CountMode;
import dev.quarry.render.QueryRenderer;
import dev.quarry.render.QueryRequest;
import dev.quarry.render.RenderedQuery;
import dev.quarry.render.RollupRenderer;
import dev.quarry.render.RollupRenderer.TimeRange;
import dev.quarry.template.RollupDeclaration;
import dev.quarry.template.RollupPartition;
import dev.quarry.template.Template;

/**
 * What building one rollup takes: its declaration, the statement of its rows, and, when it declares a
 * change column, the template's body as it is built, whose rows tell which partitions changed.
 *
 * @param template   the template that declares it, its layers expanded
 * @param rows       the rollup's rows, all of them
 * @param body       the template's body rendered with the build's arguments
 * @param definition what the table is built from, as a hash: a table built for another definition is never used
 */
record RollupPlan(Template template, RollupDeclaration declaration, RenderedQuery rows, RenderedQuery body, String definition) {

    static RollupPlan of(Template template, RollupDeclaration declaration) {
        RenderedQuery rows = RollupRenderer.build(template, declaration, Optional.empty());
        RenderedQuery body = QueryRenderer.render(template, new QueryRequest(RollupRenderer.buildArguments(template, declaration),
                Optional.empty(), List.of(), List.of(), List.of(), false, Optional.empty(), OptionalInt.empty(), OptionalInt.empty(),
                CountMode.NONE, false));
        return new RollupPlan(template, declaration, rows, body, hash(declaration.table() + "\n" + rows.sql() + "\n" + rows.values()));
    }

    RollupName name() {
        return new RollupName(declaration.template(), declaration.name());
    }

    String table() {
        return declaration.table();
    }

    String tableName() {
        return declaration.tableName();
    }

    /** Its partitioning, when it declares one with a change column: otherwise every refresh rebuilds it whole. */
    Optional<RollupPartition> partition() {
        return declaration.partition().filter(partition -> partition.changes().isPresent() && declaration.time().isPresent());
    }

    /** The columns it is grouped by: its dimensions and its time column. */
    List<String> keys() {
        List<String> keys = new ArrayList<>(declaration.dimensions());
        declaration.time().ifPresent(time -> keys.add(time.column()));
        return keys;
    }

    /** The rollup's time column, which partitions split. */
    String timeColumn() {
        return declaration.time().orElseThrow().column();
    }

    /** The rollup's rows whose time column falls in {@code [from, until)}. */
    RenderedQuery partitionRows(LocalDate from, LocalDate until) {
        return RollupRenderer.build(template, declaration, Optional.of(new TimeRange(from.atStartOfDay(), until.atStartOfDay())));
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
