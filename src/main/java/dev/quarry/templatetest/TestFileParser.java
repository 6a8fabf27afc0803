package dev.quarry.templatetest;

import java.io.StringReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import dev.quarry.templatetest.TestCase.ExpectedProblem;
import dev.quarry.templatetest.TestCase.Given;
import dev.quarry.templatetest.TestCase.Row;
import dev.quarry.templatetest.TestFile.BrokenCase;

/**
 * Reads a test file from YAML nodes rather than objects, so every value keeps the line it was written
 * on and its text exactly as written: {@code 90.0000} stays those digits and {@code 1995-03-01} a date's
 * text, never a YAML float or timestamp.
 */
public final class TestFileParser {

    private static final Set<String> CASE_KEYS = Set.of("name", "params", "given", "expect", "expect_problem", "columns",
            "timeout", "tenant", "rollup");

    private final String source;

    private TestFileParser(String source) {
        this.source = source;
    }

    public static TestFile parse(String source, String template, String text) {
        return new TestFileParser(source).parse(template, text);
    }

    private TestFile parse(String template, String text) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            return broken(template, source + ":" + line + ": not valid YAML: " + e.getProblem());
        } catch (RuntimeException e) {
            return broken(template, source + ":1: not valid YAML: " + e.getMessage());
        }
        List<TestCase> cases = new ArrayList<>();
        List<BrokenCase> broken = new ArrayList<>();
        try {
            if (root == null) {
                throw error(null, "the file is empty; it needs 'cases:' with a list of cases");
            }
            Map<String, NodeTuple> top = mapping(root, "the file");
            for (String key : top.keySet()) {
                if (!key.equals("cases")) {
                    throw error(top.get(key).getKeyNode(), "unknown key '" + key + "'; a test file has 'cases:'");
                }
            }
            NodeTuple casesEntry = top.get("cases");
            if (casesEntry == null) {
                throw error(root, "no 'cases:'; a test file is a list of cases under 'cases:'");
            }
            Set<String> names = new HashSet<>();
            for (Node caseNode : sequence(casesEntry.getValueNode(), "cases")) {
                String name = "case at line " + line(caseNode);
                try {
                    Map<String, NodeTuple> fields = mapping(caseNode, "a case");
                    name = scalar(required(fields, caseNode, "name"), "name");
                    if (!names.add(name)) {
                        throw error(fields.get("name").getValueNode(), "another case is named '" + name + "'");
                    }
                    cases.add(testCase(template, name, caseNode, fields));
                } catch (TestFileException e) {
                    broken.add(new BrokenCase(name, e.getMessage()));
                }
            }
        } catch (TestFileException e) {
            broken.add(new BrokenCase("(file)", e.getMessage()));
        }
        return new TestFile(source, template, List.copyOf(cases), List.copyOf(broken));
    }

    private TestFile broken(String template, String reason) {
        return new TestFile(source, template, List.of(), List.of(new BrokenCase("(file)", reason)));
    }

    private TestCase testCase(String template, String name, Node caseNode, Map<String, NodeTuple> fields) {
        for (Map.Entry<String, NodeTuple> field : fields.entrySet()) {
            if (!CASE_KEYS.contains(field.getKey())) {
                throw error(field.getValue().getKeyNode(), "unknown key '" + field.getKey() + "'; a case has "
                        + String.join(", ", CASE_KEYS.stream().sorted().toList()));
            }
        }
        boolean expectsRows = fields.containsKey("expect");
        boolean expectsProblem = fields.containsKey("expect_problem");
        if (expectsRows == expectsProblem) {
            throw error(caseNode, "a case has either 'expect:' (rows) or 'expect_problem:' (a refusal)");
        }
        Map<String, List<String>> params = fields.containsKey("params") ? params(fields.get("params").getValueNode()) : Map.of();
        Map<String, Given> given = fields.containsKey("given") ? given(fields.get("given").getValueNode()) : Map.of();
        Optional<List<Row>> expect = expectsRows ? Optional.of(expect(fields.get("expect").getValueNode())) : Optional.empty();
        Optional<ExpectedProblem> problem = expectsProblem ? Optional.of(problem(fields.get("expect_problem").getValueNode()))
                : Optional.empty();
        Optional<LinkedHashMap<String, String>> columns = fields.containsKey("columns")
                ? Optional.of(values(fields.get("columns").getValueNode(), "columns", false))
                : Optional.empty();
        Optional<Duration> timeout = fields.containsKey("timeout") ? Optional.of(timeout(fields.get("timeout").getValueNode()))
                : Optional.empty();
        Optional<String> tenant = fields.containsKey("tenant") ? Optional.of(scalar(fields.get("tenant").getValueNode(), "tenant"))
                : Optional.empty();
        Optional<String> rollup = fields.containsKey("rollup") ? Optional.of(scalar(fields.get("rollup").getValueNode(), "rollup").strip())
                : Optional.empty();
        if (rollup.isPresent() && !expectsRows) {
            throw error(caseNode, "a case with 'rollup:' expects rows, which the rollup must give as the template does");
        }
        return new TestCase(source, line(caseNode), template, name, params, given, expect, problem, columns, timeout, tenant,
                rollup);
    }

    /** A query string ({@code a=1&b=x%20y}) or a mapping of name to a value or a list of values. */
    private Map<String, List<String>> params(Node node) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (node instanceof ScalarNode scalar) {
            for (String pair : scalar.getValue().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = decode(node, equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(node, pair.substring(equals + 1));
                params.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
            }
            return params;
        }
        for (Map.Entry<String, NodeTuple> entry : mapping(node, "params").entrySet()) {
            Node value = entry.getValue().getValueNode();
            List<String> values = new ArrayList<>();
            if (value instanceof SequenceNode list) {
                list.getValue().forEach(item -> values.add(scalar(item, entry.getKey())));
            } else {
                values.add(scalar(value, entry.getKey()));
            }
            params.put(entry.getKey(), values);
        }
        return params;
    }

    private String decode(Node node, String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw error(node, "params is not a valid query string: " + e.getMessage());
        }
    }

    private Map<String, Given> given(Node node) {
        Map<String, Given> given = new LinkedHashMap<>();
        for (Map.Entry<String, NodeTuple> entry : mapping(node, "given").entrySet()) {
            given.put(entry.getKey(), new Given(entry.getKey(), line(entry.getValue().getKeyNode()),
                    rows(entry.getValue().getValueNode(), "the rows of " + entry.getKey(), false)));
        }
        return given;
    }

    private List<Row> expect(Node node) {
        List<Row> rows = rows(node, "expect", true);
        for (Row row : rows) {
            if (!row.values().keySet().equals(rows.get(0).values().keySet())) {
                throw error(row.line(), "every expected row names the same columns; the first names "
                        + String.join(", ", rows.get(0).values().keySet()) + ", this one " + String.join(", ", row.values().keySet()));
            }
        }
        return rows;
    }

    private List<Row> rows(Node node, String what, boolean mayBeEmpty) {
        List<Row> rows = new ArrayList<>();
        for (Node rowNode : sequence(node, what)) {
            LinkedHashMap<String, String> values = values(rowNode, "a row", true);
            if (values.isEmpty()) {
                throw error(rowNode, "a row names at least one column");
            }
            rows.add(new Row(line(rowNode), values));
        }
        if (rows.isEmpty() && !mayBeEmpty) {
            throw error(node, what + " is an empty list; leave the table out for no rows");
        }
        return rows;
    }

    private LinkedHashMap<String, String> values(Node node, String what, boolean nullable) {
        LinkedHashMap<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, NodeTuple> entry : mapping(node, what).entrySet()) {
            Node value = entry.getValue().getValueNode();
            if (!(value instanceof ScalarNode scalar)) {
                throw error(value, entry.getKey() + " must be a single value, not a list or mapping");
            }
            boolean isNull = scalar.getTag().equals(Tag.NULL)
                    && scalar.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN;
            if (isNull && !nullable) {
                throw error(value, entry.getKey() + " needs a value");
            }
            values.put(entry.getKey(), isNull ? null : scalar.getValue());
        }
        return values;
    }

    private ExpectedProblem problem(Node node) {
        Map<String, NodeTuple> fields = mapping(node, "expect_problem");
        for (String key : fields.keySet()) {
            if (!key.equals("status") && !key.equals("parameter")) {
                throw error(fields.get(key).getKeyNode(), "unknown key '" + key + "'; expect_problem has status and parameter");
            }
        }
        Node statusNode = required(fields, node, "status");
        int status;
        try {
            status = Integer.parseInt(scalar(statusNode, "status"));
        } catch (NumberFormatException e) {
            throw error(statusNode, "status is an HTTP status such as 400");
        }
        Optional<String> parameter = fields.containsKey("parameter")
                ? Optional.of(scalar(fields.get("parameter").getValueNode(), "parameter"))
                : Optional.empty();
        return new ExpectedProblem(status, parameter);
    }

    private Duration timeout(Node node) {
        String text = scalar(node, "timeout").strip();
        try {
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            if (text.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw error(node, "timeout is a whole number of seconds or milliseconds, such as 5s or 500ms; got '" + text + "'");
    }

    private Node required(Map<String, NodeTuple> fields, Node parent, String key) {
        NodeTuple tuple = fields.get(key);
        if (tuple == null) {
            throw error(parent, "'" + key + ":' is missing");
        }
        return tuple.getValueNode();
    }

    private Map<String, NodeTuple> mapping(Node node, String what) {
        if (!(node instanceof MappingNode mapping)) {
            throw error(node, what + " must be a mapping (key: value)");
        }
        Map<String, NodeTuple> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = scalar(tuple.getKeyNode(), "a key");
            if (fields.put(key, tuple) != null) {
                throw error(tuple.getKeyNode(), "'" + key + "' is given twice");
            }
        }
        return fields;
    }

    private List<Node> sequence(Node node, String what) {
        if (!(node instanceof SequenceNode sequence)) {
            throw error(node, what + " must be a list (- item)");
        }
        return sequence.getValue();
    }

    private String scalar(Node node, String what) {
        if (!(node instanceof ScalarNode scalar)) {
            throw error(node, what + " must be a single value");
        }
        return scalar.getValue();
    }

    private static int line(Node node) {
        return node == null ? 1 : node.getStartMark().getLine() + 1;
    }

    private TestFileException error(Node node, String reason) {
        return error(line(node), reason);
    }

    private TestFileException error(int line, String reason) {
        return new TestFileException(source, line, reason);
    }
}
