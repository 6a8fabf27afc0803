package dev.quarry.template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * All templates by name, each with its layers expanded and checked: every include names a known
 * template and makes no cycle, every parameter used is declared, every declared one is used, and
 * an optional parameter appears only inside optional blocks. Pure: no I/O.
 */
public final class TemplateLibrary {

    private final Map<String, Template> parsed;
    private final Map<String, Template> resolved = new TreeMap<>();

    private TemplateLibrary(Map<String, Template> parsed) {
        this.parsed = parsed;
    }

    /** Resolves parsed templates; the first template in error stops it with {@code file:line: reason}. */
    public static Map<String, Template> resolve(Map<String, Template> parsed) {
        TemplateLibrary library = new TemplateLibrary(parsed);
        for (String name : parsed.keySet()) {
            library.resolved(name, new ArrayList<>());
        }
        return Collections.unmodifiableMap(library.resolved);
    }

    private Template resolved(String name, List<String> including) {
        Template done = resolved.get(name);
        if (done != null) {
            return done;
        }
        Template template = parsed.get(name);
        including.add(name);
        Map<String, ParameterSpec> parameters = new LinkedHashMap<>(template.parameters());
        List<Fragment> body = expand(template, template.body(), parameters, including);
        including.remove(including.size() - 1);
        Template result = RollupChecks.resolve(template.withExpansion(Collections.unmodifiableMap(parameters), List.copyOf(body)));
        validate(result);
        resolved.put(name, result);
        return result;
    }

    private List<Fragment> expand(Template template, List<Fragment> fragments, Map<String, ParameterSpec> parameters,
            List<String> including) {
        List<Fragment> expanded = new ArrayList<>();
        for (Fragment fragment : fragments) {
            if (fragment instanceof Fragment.Include include) {
                expanded.add(new Fragment.Sql("(", template.source(), include.line()));
                expanded.addAll(layer(template, include, parameters, including));
                expanded.add(new Fragment.Sql(")", template.source(), include.line()));
            } else if (fragment instanceof Fragment.OptionalBlock block) {
                expanded.add(new Fragment.OptionalBlock(expand(template, block.body(), parameters, including), block.line()));
            } else {
                expanded.add(fragment);
            }
        }
        return expanded;
    }

    /** The child's body with its parameters bound: renamed, fixed to a constant, or forwarded under their own name. */
    private List<Fragment> layer(Template parent, Fragment.Include include, Map<String, ParameterSpec> parameters,
            List<String> including) {
        if (!parsed.containsKey(include.template())) {
            throw new TemplateException(parent.source(), include.line(), "no template named '" + include.template() + "'");
        }
        if (including.contains(include.template())) {
            List<String> cycle = new ArrayList<>(including.subList(including.indexOf(include.template()), including.size()));
            cycle.add(include.template());
            throw new TemplateException(parent.source(), include.line(), "layers make a cycle: " + String.join(" -> ", cycle));
        }
        Template child = resolved(include.template(), including);
        Map<String, Fragment> bindings = new LinkedHashMap<>();
        for (Map.Entry<String, String> argument : include.arguments().entrySet()) {
            ParameterSpec childParameter = child.parameters().get(argument.getKey());
            if (childParameter == null) {
                throw new TemplateException(parent.source(), include.line(), include.template() + " has no parameter '"
                        + argument.getKey() + "'; it has " + String.join(", ", child.parameters().keySet()));
            }
            String value = argument.getValue();
            if (value.startsWith(":")) {
                String parentName = value.substring(1);
                try {
                    HeaderParser.name(parentName);
                } catch (IllegalArgumentException e) {
                    throw new TemplateException(parent.source(), include.line(), "argument " + argument.getKey() + " of "
                            + include.template() + " binds " + value + ", but " + e.getMessage());
                }
                bindings.put(childParameter.name(), new Fragment.Param(parentName, include.line()));
                if (!parentName.equals(Template.TENANT)) { // the caller's tenant is never a parameter a request gives
                    inherit(parameters, parentName, childParameter);
                }
            } else {
                try {
                    String literal = value.length() >= 2 && value.startsWith("'") && value.endsWith("'")
                            ? value.substring(1, value.length() - 1).replace("''", "'") : value;
                    bindings.put(childParameter.name(), new Fragment.Constant(childParameter.parse(List.of(literal))));
                } catch (IllegalArgumentException e) {
                    throw new TemplateException(parent.source(), include.line(),
                            "argument " + argument.getKey() + " of " + include.template() + " " + e.getMessage());
                }
            }
        }
        for (ParameterSpec forwarded : child.parameters().values()) {
            if (!bindings.containsKey(forwarded.name())) {
                inherit(parameters, forwarded.name(), forwarded);
            }
        }
        return bind(child.body(), bindings);
    }

    private static void inherit(Map<String, ParameterSpec> parameters, String name, ParameterSpec childParameter) {
        parameters.putIfAbsent(name, new ParameterSpec(name, childParameter.type(), childParameter.list(),
                childParameter.defaultValue(), childParameter.optional(), childParameter.min(), childParameter.max(),
                childParameter.allowed(), childParameter.description()));
    }

    private static List<Fragment> bind(List<Fragment> fragments, Map<String, Fragment> bindings) {
        List<Fragment> bound = new ArrayList<>(fragments.size());
        for (Fragment fragment : fragments) {
            if (fragment instanceof Fragment.Param param && bindings.containsKey(param.name())) {
                bound.add(bindings.get(param.name()));
            } else if (fragment instanceof Fragment.OptionalBlock block) {
                bound.add(new Fragment.OptionalBlock(bind(block.body(), bindings), block.line()));
            } else {
                bound.add(fragment);
            }
        }
        return bound;
    }

    private static void validate(Template template) {
        Set<String> used = new LinkedHashSet<>();
        checkUses(template, template.body(), false, used);
        for (ParameterSpec parameter : template.parameters().values()) {
            if (!used.contains(parameter.name())) {
                throw new TemplateException(template.source(), 1, "parameter '" + parameter.name() + "' is declared but never used");
            }
        }
        Optional<String> both = template.header().dimensions().keySet().stream().filter(template.header().measures()::containsKey)
                .findFirst();
        if (both.isPresent()) {
            throw new TemplateException(template.source(), 1, "'" + both.get() + "' is both a dimension and a measure");
        }
        for (String dimension : template.header().group()) {
            if (!template.header().dimensions().containsKey(dimension)) {
                throw new TemplateException(template.source(), 1, "@group names '" + dimension + "', which is not a @dimension");
            }
        }
        if (!template.header().dimensions().isEmpty() && template.header().measures().isEmpty()) {
            throw new TemplateException(template.source(), 1, "a template with @dimension needs at least one @measure");
        }
    }

    private static void checkUses(Template template, List<Fragment> fragments, boolean inBlock, Set<String> used) {
        for (Fragment fragment : fragments) {
            if (fragment instanceof Fragment.Param param && param.name().equals(Template.TENANT)) {
                continue; // reserved, bound from the token: present in every run, in a block or not
            }
            if (fragment instanceof Fragment.Param param) {
                ParameterSpec spec = template.parameters().get(param.name());
                if (spec == null) {
                    throw new TemplateException(template.source(), param.line(), ":" + param.name()
                            + " is not declared; add a header line such as -- @param " + param.name() + " text");
                }
                if (spec.optional() && !inBlock) {
                    throw new TemplateException(template.source(), param.line(), ":" + param.name()
                            + " is optional, so it may only be used inside an optional block /*[ ... ]*/");
                }
                used.add(param.name());
            } else if (fragment instanceof Fragment.OptionalBlock block) {
                checkUses(template, block.body(), true, used);
            }
        }
    }
}
