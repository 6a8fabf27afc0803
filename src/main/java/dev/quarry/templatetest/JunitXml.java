package dev.quarry.templatetest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A run as JUnit XML, one test suite per template and one test case per case, for CI to show. */
final class JunitXml {

    private JunitXml() {
    }

    static String of(TestRun run) {
        Map<String, List<CaseResult>> byTemplate = new LinkedHashMap<>();
        run.results().forEach(result -> byTemplate.computeIfAbsent(result.template(), name -> new java.util.ArrayList<>()).add(result));
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append("<testsuites tests=\"").append(run.results().size()).append("\" failures=\"").append(run.failed()).append("\">\n");
        for (Map.Entry<String, List<CaseResult>> suite : byTemplate.entrySet()) {
            long failures = suite.getValue().stream().filter(result -> !result.passed()).count();
            xml.append("  <testsuite name=\"").append(escape(suite.getKey())).append("\" tests=\"").append(suite.getValue().size())
                    .append("\" failures=\"").append(failures).append("\">\n");
            for (CaseResult result : suite.getValue()) {
                xml.append("    <testcase classname=\"").append(escape(result.template())).append("\" name=\"")
                        .append(escape(result.name())).append("\" time=\"").append(result.millis() / 1000.0).append('"');
                if (result.passed()) {
                    xml.append("/>\n");
                } else {
                    String failure = result.failure().orElseThrow();
                    xml.append(">\n      <failure message=\"").append(escape(failure.lines().findFirst().orElse(""))).append("\">")
                            .append(escape(failure)).append("</failure>\n    </testcase>\n");
                }
            }
            xml.append("  </testsuite>\n");
        }
        return xml.append("</testsuites>\n").toString();
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> {
                    if (c >= ' ' || c == '\n' || c == '\t') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
