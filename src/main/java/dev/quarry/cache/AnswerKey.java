package dev.quarry.cache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.quarry.encode.Format;
import dev.quarry.render.RenderedQuery;

/**
 * What makes two requests the same answer: the template, the representation, the statements with
 * their bound values, and the published dataset they read. The caller is not part of it: a
 * template's SQL cannot see who asks, and who may ask is decided before the cache is asked.
 *
 * @param dataset the dataset's version ({@link DatasetVersion}); {@link #IN_FLIGHT} for an answer that is only shared while it runs
 */
public record AnswerKey(String template, Format format, List<Statement> statements, String dataset) {

    /** The dataset of an answer that is never kept: sharing one execution needs no version. */
    public static final String IN_FLIGHT = "in-flight";

    /** One statement and its values, arrays turned into lists so that equal values are equal keys. */
    public record Statement(String sql, List<Object> values) {

        static Statement of(RenderedQuery query) {
            List<Object> values = new ArrayList<>(query.values().size());
            for (Object value : query.values()) {
                values.add(value instanceof Object[] array ? Arrays.asList(array) : value);
            }
            return new Statement(query.sql(), values);
        }
    }

    public static AnswerKey of(String template, Format format, List<RenderedQuery> queries, String dataset) {
        return new AnswerKey(template, format, queries.stream().map(Statement::of).toList(), dataset);
    }

    /** About what the key holds in memory, for the cache's bound in bytes. */
    int weight() {
        int weight = 64 + 2 * (template.length() + dataset.length());
        for (Statement statement : statements) {
            weight += 2 * statement.sql().length() + 32 * statement.values().size();
        }
        return weight;
    }
}
