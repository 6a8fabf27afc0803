package dev.quarry.serve;

import dev.quarry.template.Budget;

/**
 * The budget that bounds one caller's requests of a template, and where it comes from, as a refusal
 * says: the template's {@code @budget}, the configured default, or the budget of one of the caller's
 * roles where that is tighter.
 *
 * @param from {@code @budget}, {@code quarry.budget.default}, {@code role NAME}, or {@code none}
 */
public record CallerBudget(Budget bounds, String from) {

    @Override
    public String toString() {
        return bounds + (bounds.bounded() ? ", from " + from : "");
    }
}
