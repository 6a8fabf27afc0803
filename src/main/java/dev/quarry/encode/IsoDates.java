package dev.quarry.encode;

import java.time.LocalDate;

/**
 * {@code yyyy-mm-dd} as {@code LocalDate.toString()} writes it, digit by digit into ten characters:
 * toString() builds it in a StringBuilder, which was a third of a CSV row's encoding (three dates
 * in a line item).
 */
final class IsoDates {

    private IsoDates() {
    }

    /** The date's ten characters; null for a year outside 0 to 9999, which toString() writes with a sign or more digits. */
    static char[] chars(LocalDate date) {
        int year = date.getYear();
        if (year < 0 || year > 9999) {
            return null;
        }
        char[] text = new char[10];
        digits(text, 0, year, 4);
        text[4] = '-';
        digits(text, 5, date.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, date.getDayOfMonth(), 2);
        return text;
    }

    private static void digits(char[] text, int at, int value, int count) {
        for (int i = at + count - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
