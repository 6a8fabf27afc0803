package dev.quarry.encode;

import java.math.BigDecimal;

/**
 * A real or double precision as PostgreSQL 12 and later write it: the shortest digits that read
 * back as the same value, plain when the decimal exponent is from -4 to below 15 (6 for a real),
 * else {@code d.ddde+XX}; {@code NaN}, {@code Infinity}, {@code -Infinity}, and {@code -0}.
 */
final class PgFloatText {

    private PgFloatText() {
    }

    /** @param plainBelow the decimal exponent from which the value is written in scientific notation */
    static String of(double value, int plainBelow) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0" : "0";
        }
        // Java's shortest digits of the double (or of the float, for a real), as a decimal
        BigDecimal decimal = new BigDecimal(plainBelow == 6 ? Float.toString((float) value) : Double.toString(value)).stripTrailingZeros();
        String digits = decimal.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - decimal.scale();
        String sign = decimal.signum() < 0 ? "-" : "";
        if (exponent >= -4 && exponent < plainBelow) {
            return sign + decimal.abs().toPlainString();
        }
        StringBuilder text = new StringBuilder(sign).append(digits.charAt(0));
        if (digits.length() > 1) {
            text.append('.').append(digits, 1, digits.length());
        }
        text.append('e').append(exponent < 0 ? '-' : '+');
        int magnitude = Math.abs(exponent);
        if (magnitude < 10) {
            text.append('0');
        }
        return text.append(magnitude).toString();
    }
}
