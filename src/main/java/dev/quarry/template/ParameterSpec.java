package dev.quarry.template;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A parameter as its template's header declares it: {@code @param delta int = 90 range 60..120}.
 *
 * @param name         the name used as {@code :name} in the body
 * @param type         the scalar type, of the elements for a list
 * @param list         whether it is a list, bound as one array
 * @param defaultValue the bound value when the request does not give one; empty for required and optional ones
 * @param optional     whether it may be absent: it then drops the optional blocks that use it
 * @param min          the smallest allowed value, inclusive, if any
 * @param max          the largest allowed value, inclusive, if any
 * @param allowed      the only values allowed, if any
 * @param description  what it means, for the catalog
 */
public record ParameterSpec(String name, ParamType type, boolean list, Optional<Object> defaultValue, boolean optional,
        Optional<Comparable<Object>> min, Optional<Comparable<Object>> max, List<Object> allowed, String description) {

    /** Most elements a list parameter takes from one request. */
    public static final int MAX_LIST_LENGTH = 1000;

    public boolean required() {
        return defaultValue.isEmpty() && !optional;
    }

    /** The type as the header writes it: {@code int}, {@code text[]}. */
    public String typeName() {
        return type.keyword() + (list ? "[]" : "");
    }

    /**
     * The bound value for what a request sent: one scalar, or an array for a list (every value
     * split on commas). Throws {@link IllegalArgumentException} saying what is wrong and what is allowed.
     */
    public Object parse(List<String> values) {
        if (!list) {
            if (values.size() != 1) {
                throw new IllegalArgumentException("takes one value, got " + values.size());
            }
            return check(type.parse(values.get(0)));
        }
        List<Object> elements = new ArrayList<>();
        for (String value : values) {
            for (String element : value.split(",", -1)) {
                elements.add(check(type.parse(element)));
                if (elements.size() > MAX_LIST_LENGTH) {
                    throw new IllegalArgumentException("takes at most " + MAX_LIST_LENGTH + " values");
                }
            }
        }
        Object array = Array.newInstance(type.pgType().javaType(), elements.size());
        for (int i = 0; i < elements.size(); i++) {
            Array.set(array, i, elements.get(i));
        }
        return array;
    }

    private Object check(Object value) {
        if (!allowed.isEmpty() && allowed.stream().noneMatch(option -> sameValue(option, value))) {
            throw new IllegalArgumentException("must be one of " + allowed.stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + ", got '" + value + "'");
        }
        if (min.isPresent() && min.get().compareTo(value) > 0 || max.isPresent() && max.get().compareTo(value) < 0) {
            throw new IllegalArgumentException("must be between " + min.map(String::valueOf).orElse("-infinity") + " and "
                    + max.map(String::valueOf).orElse("infinity") + ", got " + value);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static boolean sameValue(Object a, Object b) {
        return ((Comparable<Object>) a).compareTo(b) == 0;
    }
}
