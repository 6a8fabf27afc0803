package dev.quarry.encode;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * A value as the JSON answer shows it, as text: a numeric's exact digits, an ISO-8601 date, a string
 * without quotes, {@code null} for NULL. What a template test compares its expected values with.
 */
public final class ValueText {

    private static final JsonFactory JSON = new JsonFactory();

    private ValueText() {
    }

    /** The value's text, or {@code null} for SQL NULL. */
    public static String of(Object value) {
        if (value == null) {
            return null;
        }
        StringWriter text = new StringWriter();
        try (JsonGenerator out = JSON.createGenerator(text)) {
            JsonValues.write(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String json = text.toString();
        if (!json.startsWith("\"")) {
            return json;
        }
        try (JsonParser in = JSON.createParser(json)) {
            return in.nextToken() == JsonToken.VALUE_STRING ? in.getText() : json;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
