package dev.quarry.serve;

/** The representations of a query's answer, each with the tag its meters carry. */
public enum Format {
    JSON("json"), SSE("sse"), NDJSON("ndjson"), CSV("csv");

    private final String tag;

    Format(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    /** Everything but a JSON page streams through a cursor and holds a stream slot while it runs. */
    public boolean streamed() {
        return this != JSON;
    }
}
