package dev.quarry.template;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Parses one template file: the comment header, then the SQL body. Pure: no I/O. */
public final class TemplateParser {

    private TemplateParser() {
    }

    /**
     * @param name   the template's name, its path without {@code .sql}
     * @param source where the text came from, named in error messages
     */
    public static Template parse(String name, String source, String text) {
        String[] lines = text.split("\n", -1);
        List<String> header = new ArrayList<>();
        int bodyStart = 0;
        while (bodyStart < lines.length) {
            String line = lines[bodyStart].strip();
            if (line.startsWith("--")) {
                header.add(line.substring(2));
            } else if (!line.isEmpty()) {
                break;
            } else {
                header.add(""); // keeps header.get(i) on line i + 1
            }
            bodyStart++;
        }
        TemplateHeader declared = HeaderParser.parse(name, source, header);
        String body = String.join("\n", Arrays.asList(lines).subList(bodyStart, lines.length));
        if (body.isBlank()) {
            throw new TemplateException(source, lines.length, "the template has a header but no SQL after it");
        }
        List<Fragment> fragments = BodyScanner.scan(source, body, bodyStart + 1);
        return new Template(name, source, declared, declared.parameters(), fragments);
    }
}
