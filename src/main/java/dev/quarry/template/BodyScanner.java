package dev.quarry.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a template body into fragments. It reads SQL the way PostgreSQL's lexer does where it
 * matters: string literals (standard and E''), quoted identifiers, line and nested block comments,
 * dollar-quoted strings and {@code ::} casts are copied untouched, so a colon inside them is never
 * taken for a parameter.
 */
final class BodyScanner {

    private static final String BLOCK_OPEN = "/*[";
    private static final String BLOCK_CLOSE = "]*/";
    /** Deeper than any template needs; the scanner, the library and the renderer recurse once per level. */
    static final int MAX_BLOCK_DEPTH = 32;

    private final String source;
    private final String text;
    private int pos;
    private int line;
    private int sqlLine;
    private int depth;

    private BodyScanner(String source, String text, int firstLine) {
        this.source = source;
        this.text = text;
        this.line = firstLine;
    }

    static List<Fragment> scan(String source, String text, int firstLine) {
        BodyScanner scanner = new BodyScanner(source, text, firstLine);
        return scanner.sequence(-1);
    }

    /** Reads fragments up to the end, or up to the {@code ]*}{@code /} that closes a block opened on {@code blockLine}. */
    private List<Fragment> sequence(int blockLine) {
        List<Fragment> fragments = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (text.startsWith(BLOCK_CLOSE, pos)) {
                if (blockLine < 0) {
                    throw error(line, "']*/' closes no optional block");
                }
                pos += BLOCK_CLOSE.length();
                flush(sql, fragments);
                return fragments;
            } else if (text.startsWith(BLOCK_OPEN, pos)) {
                flush(sql, fragments);
                int opened = line;
                if (++depth > MAX_BLOCK_DEPTH) {
                    throw error(opened, "optional blocks nest more than " + MAX_BLOCK_DEPTH + " deep");
                }
                pos += BLOCK_OPEN.length();
                fragments.add(new Fragment.OptionalBlock(sequence(opened), opened));
                depth--;
            } else if (text.startsWith("{{", pos)) {
                flush(sql, fragments);
                fragments.add(include());
            } else if (text.startsWith("--", pos)) {
                lineComment(sql);
            } else if (c == ';' && blockLine < 0 && onlyCommentsFrom(pos + 1)) {
                pos++; // psql wants a ';' and a colleague will paste one; PostgreSQL does not want it inside a subquery
            } else if (text.startsWith("/*", pos)) {
                blockComment(sql);
            } else if (c == '\'') {
                stringLiteral(sql, isEscapeString());
            } else if (c == '"') {
                quoted(sql, '"');
            } else if (c == '$') {
                dollar(sql);
            } else if (c == ':') {
                colon(sql, fragments);
            } else {
                copy(sql, 1);
            }
        }
        if (blockLine >= 0) {
            throw error(blockLine, "optional block '/*[' is never closed with ']*/'");
        }
        flush(sql, fragments);
        return fragments;
    }

    private void colon(StringBuilder sql, List<Fragment> fragments) {
        if (text.startsWith("::", pos)) {
            copy(sql, 2);
            return;
        }
        int start = pos + 1;
        if (start < text.length() && isIdentifierStart(text.charAt(start))) {
            int end = identifierEnd(start);
            flush(sql, fragments);
            fragments.add(new Fragment.Param(text.substring(start, end), line));
            pos = end;
            return;
        }
        copy(sql, 1);
    }

    private void dollar(StringBuilder sql) {
        if (!sql.isEmpty() && isIdentifierPart(sql.charAt(sql.length() - 1))) {
            copy(sql, 1); // PostgreSQL reads a '$' after a letter or digit as part of the identifier: price$usd, a$1
            return;
        }
        int next = pos + 1;
        if (next < text.length() && Character.isDigit(text.charAt(next))) {
            throw error(line, "positional placeholders such as $" + text.charAt(next) + " are not used in templates; name it :name");
        }
        int tagEnd = next < text.length() && isIdentifierStart(text.charAt(next)) ? identifierEnd(next) : next;
        if (tagEnd < text.length() && text.charAt(tagEnd) == '$') {
            String tag = text.substring(pos, tagEnd + 1);
            int opened = line;
            copy(sql, tag.length());
            int close = text.indexOf(tag, pos);
            if (close < 0) {
                throw error(opened, "dollar-quoted string " + tag + " is never closed");
            }
            copy(sql, close + tag.length() - pos);
            return;
        }
        copy(sql, 1);
    }

    private Fragment include() {
        int opened = line;
        int close = text.indexOf("}}", pos);
        if (close < 0) {
            throw error(opened, "'{{' is never closed with '}}'");
        }
        String inside = text.substring(pos + 2, close).trim();
        countLines(pos, close + 2);
        pos = close + 2;
        int paren = inside.indexOf('(');
        String name = (paren < 0 ? inside : inside.substring(0, paren)).trim();
        if (!name.matches("[A-Za-z0-9_\\-/]+")) {
            throw error(opened, "'{{" + inside + "}}' does not name a template");
        }
        Map<String, String> arguments = new LinkedHashMap<>();
        if (paren >= 0) {
            if (!inside.endsWith(")")) {
                throw error(opened, "the arguments of {{" + name + "(...)}} are not closed with ')'");
            }
            String list = inside.substring(paren + 1, inside.length() - 1).trim();
            for (String argument : list.isEmpty() ? List.<String>of() : ParameterDeclaration.splitOutsideQuotes(list, ',')) {
                int eq = argument.indexOf('=');
                if (eq < 0) {
                    throw error(opened,
                            "argument '" + argument.trim() + "' of " + name + " is not written as param = :name or param = value");
                }
                arguments.put(argument.substring(0, eq).trim(), argument.substring(eq + 1).trim());
            }
        }
        return new Fragment.Include(name, arguments, opened);
    }

    private void blockComment(StringBuilder sql) {
        int opened = line;
        int depth = 0;
        do {
            if (pos >= text.length()) {
                throw error(opened, "comment '/*' is never closed");
            }
            if (text.startsWith("/*", pos)) {
                depth++;
                copy(sql, 2);
            } else if (text.startsWith("*/", pos)) {
                depth--;
                copy(sql, 2);
            } else {
                copy(sql, 1);
            }
        } while (depth > 0);
    }

    private boolean isEscapeString() {
        if (pos == 0 || Character.toUpperCase(text.charAt(pos - 1)) != 'E') {
            return false;
        }
        return pos == 1 || !isIdentifierPart(text.charAt(pos - 2));
    }

    private void stringLiteral(StringBuilder sql, boolean backslashEscapes) {
        int opened = line;
        copy(sql, 1);
        while (true) {
            if (pos >= text.length()) {
                throw error(opened, "string literal is never closed");
            }
            char c = text.charAt(pos);
            if (backslashEscapes && c == '\\' && pos + 1 < text.length()) {
                copy(sql, 2);
            } else if (c == '\'') {
                if (text.startsWith("''", pos)) {
                    copy(sql, 2);
                } else {
                    copy(sql, 1);
                    return;
                }
            } else {
                copy(sql, 1);
            }
        }
    }

    private void quoted(StringBuilder sql, char quote) {
        int opened = line;
        copy(sql, 1);
        int close = text.indexOf(quote, pos);
        if (close < 0) {
            throw error(opened, "quoted identifier is never closed");
        }
        copy(sql, close + 1 - pos);
    }

    private void copyUntil(StringBuilder sql, String end, boolean inclusive) {
        int at = text.indexOf(end, pos);
        int stop = at < 0 ? text.length() : at + (inclusive ? end.length() : 0);
        copy(sql, stop - pos);
    }

    private void copy(StringBuilder sql, int count) {
        if (sql.isEmpty()) {
            sqlLine = line;
        }
        countLines(pos, pos + count);
        sql.append(text, pos, pos + count);
        pos += count;
    }

    private void countLines(int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
    }

    private int identifierEnd(int start) {
        int end = start;
        while (end < text.length() && isIdentifierPart(text.charAt(end))) {
            end++;
        }
        return end;
    }

    private static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private void flush(StringBuilder sql, List<Fragment> fragments) {
        if (!sql.isEmpty()) {
            fragments.add(new Fragment.Sql(sql.toString(), source, sqlLine));
            sql.setLength(0);
        }
    }

    /**
     * A comment on the body's last line gets its newline back: the renderer and the library write
     * a closing parenthesis right after a body, which must not land in the comment.
     */
    private void lineComment(StringBuilder sql) {
        copyUntil(sql, "\n", false);
        if (pos == text.length()) {
            sql.append('\n');
        }
    }

    /** Whether only whitespace and comments follow {@code from}, so a ';' there ends the statement. */
    private boolean onlyCommentsFrom(int from) {
        int at = from;
        while (at < text.length()) {
            if (Character.isWhitespace(text.charAt(at))) {
                at++;
            } else if (text.startsWith("--", at)) {
                int newline = text.indexOf('\n', at);
                at = newline < 0 ? text.length() : newline + 1;
            } else if (text.startsWith("/*", at) && !text.startsWith(BLOCK_OPEN, at)) {
                int depth = 0;
                do {
                    if (at >= text.length()) {
                        return false;
                    }
                    if (text.startsWith("/*", at)) {
                        depth++;
                        at += 2;
                    } else if (text.startsWith("*/", at)) {
                        depth--;
                        at += 2;
                    } else {
                        at++;
                    }
                } while (depth > 0);
            } else {
                return false;
            }
        }
        return true;
    }

    private TemplateException error(int at, String reason) {
        return new TemplateException(source, at, reason);
    }
}
