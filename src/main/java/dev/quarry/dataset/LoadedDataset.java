package dev.quarry.dataset;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/** What the database records about the published dataset. */
public record LoadedDataset(BigDecimal scale, long rows, BigDecimal loadSeconds, OffsetDateTime loadedAt) {
}
