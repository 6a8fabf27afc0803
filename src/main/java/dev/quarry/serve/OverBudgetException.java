package dev.quarry.serve;

/** A request refused because PostgreSQL's estimate of it is over its template's budget. */
public class OverBudgetException extends RuntimeException {

    private final transient BudgetDecision decision;

    OverBudgetException(BudgetDecision decision) {
        super(message(decision), null, false, false);
        this.decision = decision;
    }

    public BudgetDecision decision() {
        return decision;
    }

    private static String message(BudgetDecision decision) {
        var estimate = decision.estimate().orElseThrow();
        return "query '" + decision.template() + "' is estimated by PostgreSQL at cost " + Math.round(estimate.cost()) + " and "
                + estimate.rows() + " rows, over its budget (" + decision.budget() + ")"
                + (decision.narrowing().toString().isEmpty() ? "" : "; narrow it with " + decision.narrowing());
    }
}
