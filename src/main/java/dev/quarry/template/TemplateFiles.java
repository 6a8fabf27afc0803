package dev.quarry.template;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds template files: {@code queries/**}{@code /*.sql} on the class path, then the configured
 * directory, whose files replace built-in ones of the same name ({@link TemplateTree}). A name is
 * the path below the root without {@code .sql}.
 */
public final class TemplateFiles {

    private static final String SUFFIX = ".sql";

    private TemplateFiles() {
    }

    /** Every template, parsed and resolved; a bad one stops it with {@code file:line: reason}. */
    public static Map<String, Template> load(Optional<Path> directory) {
        Map<String, Template> parsed = new LinkedHashMap<>();
        for (TemplateTree.File file : TemplateTree.files(SUFFIX, directory)) {
            String name = file.relative().substring(0, file.relative().length() - SUFFIX.length());
            parsed.put(name, TemplateParser.parse(name, file.source(), file.text()));
        }
        return TemplateLibrary.resolve(parsed);
    }
}
