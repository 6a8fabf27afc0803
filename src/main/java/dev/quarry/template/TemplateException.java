package dev.quarry.template;

/** A template that cannot be used, reported as {@code file:line: reason}. */
public class TemplateException extends RuntimeException {

    private final String source;
    private final int line;
    private final String reason;

    public TemplateException(String source, int line, String reason) {
        super(source + ":" + line + ": " + reason);
        this.source = source;
        this.line = line;
        this.reason = reason;
    }

    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
