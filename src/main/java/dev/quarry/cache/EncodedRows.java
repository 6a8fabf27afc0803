package dev.quarry.cache;

import java.util.function.LongSupplier;

import io.smallrye.mutiny.Multi;

/**
 * A stream's rows as bytes already framed for its format, read from the database or from a kept
 * answer.
 *
 * @param count how many rows the bytes held, once they have all been sent
 */
public record EncodedRows(Multi<byte[]> bytes, LongSupplier count) {
}
