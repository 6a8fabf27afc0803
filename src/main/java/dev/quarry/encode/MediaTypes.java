package dev.quarry.encode;

/** The media types of the representations, as constants for JAX-RS annotations and OpenAPI. */
public final class MediaTypes {

    public static final String JSON = "application/json";
    public static final String SSE = "text/event-stream";
    public static final String NDJSON = "application/x-ndjson";
    public static final String CSV = "text/csv";
    public static final String SPREADSHEET_CSV = "text/csv;profile=spreadsheet";
    public static final String ARROW = "application/vnd.apache.arrow.stream";

    private MediaTypes() {
    }
}
