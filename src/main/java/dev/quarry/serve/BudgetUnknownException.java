package dev.quarry.serve;

/**
 * A request refused because its budget could not be checked: no plan could be had, or the plan reads
 * tables without statistics ({@code quarry.budget.when-unknown=refuse}).
 */
public class BudgetUnknownException extends RuntimeException {

    private final transient BudgetDecision decision;

    BudgetUnknownException(BudgetDecision decision) {
        super("query '" + decision.template() + "' has a budget (" + decision.budget() + ") that could not be checked: "
                + decision.reason(), null, false, false);
        this.decision = decision;
    }

    public BudgetDecision decision() {
        return decision;
    }
}
