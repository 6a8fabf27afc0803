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

    /**
     * The reserved parameter {@code :tenant}: never declared, never read from a request, bound from the
     * caller's verified token only.
     */
    public static final String TENANT = "tenant";

    /** Whether its body uses {@code :tenant}, its own or a layer's: it then runs only for a caller with a tenant. */
    public boolean tenant() {
        return uses(body, true);
    }

    /** Whether {@code :tenant} is used outside every optional block, so that each run of it is bound to the caller's tenant. */
    public boolean bindsTenant() {
        return uses(body, false);
    }

    private static boolean uses(List<Fragment> fragments, boolean inBlocks) {
        for (Fragment fragment : fragments) {
            if (fragment instanceof Fragment.Param param && param.name().equals(TENANT)
                    || inBlocks && fragment instanceof Fragment.OptionalBlock block && uses(block.body(), true)) {
                return true;
            }
        }
        return false;
    }

    public boolean grouped() {
        return !header.measures().isEmpty();
    }

    /** The same template with its layers expanded: their parameters added, their bodies in place. */
    Template withExpansion(Map<String, ParameterSpec> expandedParameters, List<Fragment> expandedBody) {
        return new Template(name, source, header, expandedParameters, expandedBody);
    }
}
