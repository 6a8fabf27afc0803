package dev.quarry.dataset;

import java.math.BigDecimal;

/** A TPC-H scale factor: 1 is about 1 GB of data, 8.7 million rows. */
public record ScaleFactor(BigDecimal value) {

    private static final BigDecimal SMALLEST = new BigDecimal("0.001");
    private static final BigDecimal LARGEST = new BigDecimal("1000");

    public ScaleFactor {
        if (value.compareTo(SMALLEST) < 0 || value.compareTo(LARGEST) > 0) {
            throw new IllegalArgumentException("scale must be between " + SMALLEST.toPlainString() + " and "
                    + LARGEST.toPlainString() + ", not " + value.toPlainString());
        }
        value = value.stripTrailingZeros();
    }

    /** Reads a scale as a person types it: {@code 1}, {@code 0.01}. */
    public static ScaleFactor parse(String text) {
        try {
            return new ScaleFactor(new BigDecimal(text.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("scale must be a number such as 0.01 or 1, not '" + text + "'");
        }
    }

    public double asDouble() {
        return value.doubleValue();
    }

    @Override
    public String toString() {
        return value.toPlainString();
    }
}
