package dev.quarry.render;

import java.util.List;
import java.util.Map;

import dev.quarry.template.Fragment;

/** Writes a template body: parameters become placeholders, optional blocks stay or go. */
final class BodyRenderer {

    private BodyRenderer() {
    }

    /** @param arguments the value of every parameter that has one; an absent name drops its blocks */
    static void write(List<Fragment> body, Map<String, Object> arguments, SqlWriter out) {
        write(body, arguments, "", out);
    }

    /**
     * @param scope prefixed to each parameter's name in the statement, so that the same name written in another
     *              scope (a rollup's build arguments beside a request's) is bound apart
     */
    static void write(List<Fragment> body, Map<String, Object> arguments, String scope, SqlWriter out) {
        for (Fragment fragment : body) {
            if (fragment instanceof Fragment.Sql sql) {
                out.template(sql.text(), sql.source(), sql.line());
            } else if (fragment instanceof Fragment.Param param) {
                out.parameter(scope + param.name(), arguments.get(param.name()));
            } else if (fragment instanceof Fragment.Constant constant) {
                out.value(constant.value());
            } else if (fragment instanceof Fragment.OptionalBlock block) {
                if (allPresent(block.body(), arguments)) {
                    write(block.body(), arguments, scope, out);
                }
            } else {
                throw new IllegalStateException("unresolved layer in a template body: " + fragment);
            }
        }
    }

    /** Whether every parameter directly in the block has a value; nested blocks decide for themselves. */
    static boolean allPresent(List<Fragment> block, Map<String, Object> arguments) {
        for (Fragment fragment : block) {
            if (fragment instanceof Fragment.Param param && !arguments.containsKey(param.name())) {
                return false;
            }
        }
        return true;
    }
}
