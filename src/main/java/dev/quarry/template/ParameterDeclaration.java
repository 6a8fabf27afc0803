package dev.quarry.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one {@code @param} line: {@code NAME TYPE [= DEFAULT] [optional] [range LO..HI] [in A|B|C] [-- description]}.
 * Values are written as a request sends them, in single quotes when they hold a space.
 */
final class ParameterDeclaration {

    private ParameterDeclaration() {
    }

    static ParameterSpec parse(String declaration) {
        String description = "";
        int dashes = declaration.indexOf(" -- ");
        if (dashes >= 0) {
            description = declaration.substring(dashes + 4).strip();
            declaration = declaration.substring(0, dashes);
        }
        List<String> tokens = tokens(declaration);
        if (tokens.size() < 2) {
            throw new IllegalArgumentException("write @param NAME TYPE [= DEFAULT] [optional] [range LO..HI] [in A|B|C] [-- description]");
        }
        String name = HeaderParser.name(tokens.get(0));
        String typeName = tokens.get(1);
        boolean list = typeName.endsWith("[]");
        ParamType type = ParamType.of(list ? typeName.substring(0, typeName.length() - 2) : typeName);

        String defaultText = null;
        boolean optional = false;
        Comparable<Object> min = null;
        Comparable<Object> max = null;
        List<Object> allowed = new ArrayList<>();
        for (int i = 2; i < tokens.size(); i++) {
            String token = tokens.get(i);
            switch (token) {
                case "=" -> defaultText = unquote(argument(tokens, ++i, "="));
                case "optional" -> optional = true;
                case "range" -> {
                    String range = argument(tokens, ++i, "range");
                    int dots = range.indexOf("..");
                    if (dots < 0) {
                        throw new IllegalArgumentException("range is written LO..HI, not '" + range + "'");
                    }
                    min = comparable(type, range.substring(0, dots));
                    max = comparable(type, range.substring(dots + 2));
                    if (min.compareTo(max) > 0) {
                        throw new IllegalArgumentException("range " + range + " is empty: its low end is above its high end");
                    }
                }
                case "in" -> {
                    for (String value : splitOutsideQuotes(argument(tokens, ++i, "in"), '|')) {
                        allowed.add(type.parse(unquote(value)));
                    }
                }
                default -> throw new IllegalArgumentException("'" + token + "' is not understood in @param " + name
                        + "; expected = DEFAULT, optional, range LO..HI or in A|B|C");
            }
        }
        if (optional && defaultText != null) {
            throw new IllegalArgumentException("parameter '" + name + "' has a default, so it is never absent: drop 'optional'");
        }
        ParameterSpec withoutDefault = new ParameterSpec(name, type, list, Optional.empty(), optional,
                Optional.ofNullable(min), Optional.ofNullable(max), List.copyOf(allowed), description);
        if (defaultText == null) {
            return withoutDefault;
        }
        Object defaultValue;
        try {
            defaultValue = withoutDefault.parse(List.of(defaultText));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the default of '" + name + "' " + e.getMessage());
        }
        return new ParameterSpec(name, type, list, Optional.of(defaultValue), false, withoutDefault.min(),
                withoutDefault.max(), withoutDefault.allowed(), description);
    }

    @SuppressWarnings("unchecked")
    private static Comparable<Object> comparable(ParamType type, String text) {
        if (type == ParamType.BOOLEAN) {
            throw new IllegalArgumentException("a boolean has no range");
        }
        return (Comparable<Object>) type.parse(text);
    }

    private static String argument(List<String> tokens, int index, String after) {
        if (index >= tokens.size()) {
            throw new IllegalArgumentException("'" + after + "' needs a value after it");
        }
        return tokens.get(index);
    }

    /** Whitespace-separated tokens; a single-quoted part may hold spaces ('' is a quote). */
    static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
                token.append(c);
            } else if (Character.isWhitespace(c) && !quoted) {
                if (!token.isEmpty()) {
                    tokens.add(token.toString());
                    token.setLength(0);
                }
            } else {
                token.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("a quote is never closed");
        }
        if (!token.isEmpty()) {
            tokens.add(token.toString());
        }
        return tokens;
    }

    static List<String> splitOutsideQuotes(String text, char separator) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
            return value.substring(1, value.length() - 1).replace("''", "'");
        }
        return value;
    }
}
