package dev.quarry.serve;

/** What the budget check found for a request, as its meters tag a refusal. */
public enum BudgetVerdict {
    /** Neither the template nor the configuration sets a budget: nothing is planned. */
    UNBOUNDED("unbounded"),
    WITHIN("within"),
    OVER_COST("over_cost"),
    OVER_ROWS("over_rows"),
    /** The plan reads a table whose statistics are missing: its estimate is a guess. */
    NO_STATISTICS("no_statistics"),
    /** PostgreSQL's plan could not be obtained. */
    NO_PLAN("no_plan");

    private final String tag;

    BudgetVerdict(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    /** Whether the estimate could not be trusted or had: the check could not decide on its own. */
    boolean unknown() {
        return this == NO_STATISTICS || this == NO_PLAN;
    }
}
