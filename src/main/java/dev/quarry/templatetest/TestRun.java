package dev.quarry.templatetest;

import java.util.List;
import java.util.Map;

/**
 * What a run of template tests found.
 *
 * @param results     every case, in the order run
 * @param unexercised template name to the optional blocks and dimensions no case exercises
 * @param untested    templates in the run without a test file
 */
public record TestRun(List<CaseResult> results, Map<String, List<String>> unexercised, List<String> untested) {

    public long passed() {
        return results.stream().filter(CaseResult::passed).count();
    }

    public long failed() {
        return results.size() - passed();
    }

    /** Whether the run is a success: no failed case, and under {@code strict} nothing unexercised either. */
    public boolean succeeded(boolean strict) {
        return failed() == 0 && (!strict || unexercised.values().stream().allMatch(List::isEmpty));
    }
}
