package dev.quarry.encode;

/**
 * The representations of a query's answer: the tag its meters carry, the media type it is sent as,
 * and, for CSV, the profile its values are written in. Part of the result cache's key, since each
 * is different bytes of the same rows.
 */
public enum Format {
    JSON("json", MediaTypes.JSON, null),
    SSE("sse", MediaTypes.SSE, null),
    NDJSON("ndjson", MediaTypes.NDJSON, null),
    CSV("csv", MediaTypes.CSV, CsvProfile.EXACT),
    SPREADSHEET_CSV("csv-spreadsheet", MediaTypes.SPREADSHEET_CSV, CsvProfile.SPREADSHEET),
    ARROW("arrow", MediaTypes.ARROW, null);

    private final String tag;
    private final String mediaType;
    private final CsvProfile csvProfile;

    Format(String tag, String mediaType, CsvProfile csvProfile) {
        this.tag = tag;
        this.mediaType = mediaType;
        this.csvProfile = csvProfile;
    }

    public String tag() {
        return tag;
    }

    /** The Content-Type of the response. */
    public String mediaType() {
        return mediaType;
    }

    /** How a CSV answer writes its cells; null for every other format. */
    public CsvProfile csvProfile() {
        return csvProfile;
    }

    /** Everything but a JSON page streams through a cursor and holds a stream slot while it runs. */
    public boolean streamed() {
        return this != JSON;
    }
}
