package dev.quarry.serve;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.quarry.execute.PlanEstimate;

/**
 * The budget check of one request, before anything runs.
 *
 * @param template  the template asked for
 * @param budget    the caller's budget: the template's {@code @budget} or the configured default, tightened by its roles'; unbounded
 *                  for none
 * @param estimate  PostgreSQL's estimate of the statements the request runs, summed; empty without a budget or a plan
 * @param verdict   what the check found
 * @param runs      whether the request runs: within its budget, or undecided and configured to run unchecked
 * @param narrowing what could narrow the request: the template's parameters it left out, and its columns it does not filter on
 * @param cause     why there is no plan, for {@link BudgetVerdict#NO_PLAN}
 */
public record BudgetDecision(String template, CallerBudget budget, Optional<PlanEstimate> estimate, BudgetVerdict verdict, boolean runs,
        Narrowing narrowing, Optional<Throwable> cause) {

    /**
     * @param parameters the template's parameters the request did not give
     * @param filters    the request's output columns it does not filter on
     */
    public record Narrowing(List<String> parameters, List<String> filters) {

        static final Narrowing NONE = new Narrowing(List.of(), List.of());

        @Override
        public String toString() {
            return (parameters.isEmpty() ? "" : "the parameters " + String.join(", ", parameters))
                    + (!parameters.isEmpty() && !filters.isEmpty() ? ", or " : "")
                    + (filters.isEmpty() ? "" : "filters on " + String.join(", ", filters));
        }
    }

    /** The decision's members, as {@code _explain=budget} and a refusal's problem carry them. */
    public Map<String, Object> members() {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("query", template);
        members.put("decision", runs ? "run" : "refuse");
        members.put("verdict", verdict.tag());
        members.put("reason", reason());
        members.put("budget", budget.bounds().bounds());
        members.put("budget_from", budget.from());
        estimate.ifPresent(plan -> {
            Map<String, Object> estimated = new LinkedHashMap<>();
            estimated.put("cost", plan.cost());
            estimated.put("rows", plan.rows());
            if (!plan.grounded()) {
                estimated.put("unanalyzed", List.copyOf(plan.unanalyzed()));
            }
            members.put("estimate", estimated);
        });
        if (!runs || verdict == BudgetVerdict.WITHIN) {
            Map<String, Object> narrower = new LinkedHashMap<>();
            narrower.put("parameters", narrowing.parameters());
            narrower.put("filters", narrowing.filters());
            members.put("narrowing", narrower);
        }
        return members;
    }

    /** What the verdict means, for a person. */
    public String reason() {
        return switch (verdict) {
            case UNBOUNDED -> "no budget is set for this query (@budget, quarry.budget.default)";
            case WITHIN -> "the estimate is within the budget";
            case OVER_COST -> "the plan's estimated cost is over the budget's";
            case OVER_ROWS -> "the plan's estimated rows are over the budget's";
            case NO_STATISTICS -> "PostgreSQL has no statistics for " + String.join(", ", estimate.orElseThrow().unanalyzed())
                    + ", so its estimate is a guess; run ANALYZE on " + (estimate.orElseThrow().unanalyzed().size() == 1 ? "it" : "them");
            case NO_PLAN -> "PostgreSQL's plan of this request could not be obtained ("
                    + cause.map(failure -> String.valueOf(failure.getMessage())).orElse("no reason given") + ")";
        } + (runs && verdict.unknown() ? "; it runs unchecked (quarry.budget.when-unknown=run)" : "");
    }
}
