package dev.quarry.render;

import java.util.List;

/** A request parameter that cannot be used: which one, what is wrong, and what would be accepted. */
public class RequestException extends RuntimeException {

    private final String parameter;
    private final List<String> allowed;

    public RequestException(String parameter, String reason) {
        this(parameter, reason, List.of());
    }

    public RequestException(String parameter, String reason, List<String> allowed) {
        super(reason);
        this.parameter = parameter;
        this.allowed = List.copyOf(allowed);
    }

    public String parameter() {
        return parameter;
    }

    public List<String> allowed() {
        return allowed;
    }
}
