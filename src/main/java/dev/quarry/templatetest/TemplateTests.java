package dev.quarry.templatetest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import jakarta.inject.Singleton;

import dev.quarry.execute.CheckedTemplate;
import dev.quarry.execute.QueryExecutor;
import dev.quarry.execute.ScratchTransaction;
import dev.quarry.execute.TenancySettings;
import dev.quarry.render.CursorCodec;
import dev.quarry.render.QueryRequest;
import dev.quarry.templatetest.TestFile.BrokenCase;

/**
 * Runs the test files of the chosen templates, one case after the other, each isolated in a
 * transaction of its own; a case that fails, for whatever reason, is reported and the run goes on.
 */
@Singleton
public class TemplateTests {

    private final CaseRunner runner;

    TemplateTests(QueryExecutor executor, ScratchTransaction transaction, CursorCodec cursors, TenancySettings tenancy) {
        this.runner = new CaseRunner(executor, transaction, cursors, tenancy);
    }

    /**
     * @param templates the checked templates to test, by name
     * @param files     test files by the name of the template beside them
     * @param each      told of each case as it finishes
     */
    public TestRun run(Map<String, CheckedTemplate> templates, Map<String, TestFile> files, Consumer<CaseResult> each) {
        List<CaseResult> results = new ArrayList<>();
        Map<String, List<String>> unexercised = new LinkedHashMap<>();
        List<String> untested = new ArrayList<>();
        Consumer<CaseResult> record = result -> {
            results.add(result);
            each.accept(result);
        };
        for (TestFile file : files.values()) {
            if (!templates.containsKey(file.template())) {
                record.accept(new CaseResult(file.template(), "(file)", Optional.of(file.source()
                        + ":1: there is no template " + file.template() + ".sql beside this test file"), Optional.empty(), 0));
            }
        }
        for (CheckedTemplate template : templates.values()) {
            TestFile file = files.get(template.name());
            if (file == null) {
                untested.add(template.name());
                continue;
            }
            for (BrokenCase broken : file.broken()) {
                record.accept(new CaseResult(template.name(), broken.name(), Optional.of(broken.reason()), Optional.empty(), 0));
            }
            List<QueryRequest> exercised = new ArrayList<>();
            for (TestCase testCase : file.cases()) {
                CaseResult result = runner.run(template, testCase);
                result.exercised().ifPresent(exercised::add);
                record.accept(result);
            }
            if (template.broken().isEmpty()) {
                unexercised.put(template.name(), Coverage.unexercised(template.template(), exercised));
            }
        }
        return new TestRun(List.copyOf(results), unexercised, List.copyOf(untested));
    }
}
