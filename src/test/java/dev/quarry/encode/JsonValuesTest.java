package dev.quarry.encode;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import io.vertx.sqlclient.data.Numeric;

/** Decimals with their exact digits and no exponent; dates as ISO-8601, as LocalDate prints them. */
class JsonValuesTest {

    private static String json(Object value) {
        return new String(RowEncoder.JsonWriting.bytes(out -> JsonValues.write(out, value)), StandardCharsets.UTF_8);
    }

    @Test
    void decimalsKeepEveryDigitAndNeverAnExponent() {
        for (String digits : new String[] { "0", "17.00", "-0.05", "123456789012345678901234567890.123456789", "0.0000001",
                "-0.00000000000000000001", "1000" }) {
            assertThat(json(Numeric.parse(digits))).isEqualTo(digits);
            assertThat(ValueText.of(Numeric.parse(digits))).isEqualTo(digits);
        }
        assertThat(json(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(json(new BigDecimal("1.50E-8"))).isEqualTo("0.0000000150");
        assertThat(json(Numeric.parse("NaN"))).isEqualTo("\"NaN\"");
    }

    @Test
    void datesArePrintedAsLocalDatePrintsThem() {
        for (LocalDate date : new LocalDate[] { LocalDate.of(1998, 12, 1), LocalDate.of(1, 1, 1), LocalDate.of(999, 7, 9),
                LocalDate.of(9999, 12, 31), LocalDate.of(10000, 1, 1), LocalDate.of(-44, 3, 15), LocalDate.of(0, 2, 29) }) {
            assertThat(json(date)).isEqualTo("\"" + date + "\"");
            assertThat(ValueText.of(date)).isEqualTo(date.toString()); // CSV fields and cursor values
        }
    }
}
