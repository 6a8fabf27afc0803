package dev.quarry.template;

import java.util.List;
import java.util.Map;

/**
 * A parsed template, its layers already expanded in its body.
 *
 * @param name       its path without {@code .sql}: {@code tpch/q01}
 * @param source     where it was read from, for messages
 * @param header     what its header declares
 * @param parameters its own and those it takes from its layers, in the order declared
 * @param body       its SQL, parameters and optional blocks
 */
public record Template(String name, String source, TemplateHeader header, Map<String, ParameterSpec> parameters, List<Fragment> body) {

    public boolean grouped() {
        return !header.measures().isEmpty();
    }

    /** The same template with its layers expanded: their parameters added, their bodies in place. */
    Template withExpansion(Map<String, ParameterSpec> expandedParameters, List<Fragment> expandedBody) {
        return new Template(name, source, header, expandedParameters, expandedBody);
    }
}
