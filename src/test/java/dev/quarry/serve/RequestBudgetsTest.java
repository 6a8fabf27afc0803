package dev.quarry.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.quarry.template.Budget;
import dev.quarry.template.Template;
import dev.quarry.template.TemplateParser;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * The budget settings are read when the service starts: one that cannot be read stops it, saying why.
 * A caller's budget is its template's (or the default), with each bound lowered to its roles'.
 */
class RequestBudgetsTest {

    private static final Template OWN = TemplateParser.parse("test/own", "test/own.sql", """
            -- One row
            -- @budget cost 5000, rows 100
            SELECT 1 AS one
            """);
    private static final Template UNBUDGETED = TemplateParser.parse("test/none", "test/none.sql", "-- One row\nSELECT 1 AS one\n");

    @Test
    void aDefaultBudgetThatCannotBeReadStopsStartupNamingTheSettingAndTheReason() {
        assertThatThrownBy(() -> budgets(Optional.of("cost lots"), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("quarry.budget.default: cost takes a number such as 500000 or 2e6, not 'lots'");
        assertThatThrownBy(() -> budgets(Optional.of("rows 10, cost"), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("quarry.budget.default: 'cost' is not a bound; write it as cost N, rows N or both (cost 500000, rows 100000), "
                        + "or off");
    }

    @Test
    void aRolesBudgetThatCannotBeReadStopsStartupNamingTheRole() {
        assertThatThrownBy(() -> budgets(Optional.empty(), Map.of("bulk", "cost -5")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("quarry.budget.roles.bulk: cost must be a positive number, not '-5'");
    }

    @Test
    void aRolesBudgetLowersEachBoundItSetsAndSaysSo() {
        RequestBudgets budgets = budgets(Optional.of("cost 1e6"), Map.of("bulk", "cost 1000", "wide", "rows 1000000"));
        assertThat(budgets.budget(OWN, caller("bulk"))).isEqualTo(new CallerBudget(Budget.parse("cost 1000, rows 100"), "role bulk"));
        assertThat(budgets.budget(UNBUDGETED, caller("bulk"))).isEqualTo(new CallerBudget(Budget.parse("cost 1000"), "role bulk"));
        // a role's bound above the template's changes nothing: the template's budget stands, named as such
        assertThat(budgets.budget(OWN, caller("wide"))).isEqualTo(new CallerBudget(Budget.parse("cost 5000, rows 100"), "@budget"));
        assertThat(budgets.budget(UNBUDGETED, caller())).isEqualTo(new CallerBudget(Budget.parse("cost 1e6"), "quarry.budget.default"));
        assertThat(budgets.budget(UNBUDGETED, caller("analyst"))).isEqualTo(new CallerBudget(Budget.parse("cost 1e6"),
                "quarry.budget.default"));
    }

    @Test
    void withSeveralBudgetedRolesTheLoosestAppliesAndARoleWithoutOneFreesTheCallerFromThem() {
        RequestBudgets budgets = budgets(Optional.empty(), Map.of("bulk", "cost 1000", "batch", "cost 3000, rows 10", "ops", "off"));
        // bulk's cost and batch's cost: the higher; rows only batch bounds, so not the roles together
        assertThat(budgets.budget(UNBUDGETED, caller("bulk", "batch")))
                .isEqualTo(new CallerBudget(Budget.parse("cost 3000"), "roles batch, bulk"));
        assertThat(budgets.budget(OWN, caller("bulk", "ops"))).isEqualTo(new CallerBudget(Budget.parse("cost 5000, rows 100"), "@budget"));
        assertThat(budgets.budget(UNBUDGETED, caller("ops"))).isEqualTo(new CallerBudget(Budget.NONE, "none"));
    }

    private static RequestBudgets budgets(Optional<String> defaultBudget, Map<String, String> roles) {
        return new RequestBudgets(defaultBudget, Optional.of(roles), RequestBudgets.WhenUnknown.REFUSE, null, null);
    }

    private static Caller caller(String... roles) {
        return new Caller("subject test", Set.of(roles), Optional.empty());
    }
}
