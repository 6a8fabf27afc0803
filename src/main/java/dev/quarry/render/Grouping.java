package dev.quarry.render;

import java.util.List;

/** The dimensions and measures a request picked among those its template declares. */
public record Grouping(List<String> dimensions, List<String> measures) {
}
