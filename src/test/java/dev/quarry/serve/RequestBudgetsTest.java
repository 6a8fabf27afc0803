package dev.quarry.serve;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.ConfigurationException;

/** The default budget is read when the service starts: one that cannot be read stops it, saying why. */
class RequestBudgetsTest {

    @Test
    void aDefaultBudgetThatCannotBeReadStopsStartupNamingTheSettingAndTheReason() {
        assertThatThrownBy(() -> new RequestBudgets(Optional.of("cost lots"), RequestBudgets.WhenUnknown.REFUSE, null, null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("quarry.budget.default: cost takes a number such as 500000 or 2e6, not 'lots'");
        assertThatThrownBy(() -> new RequestBudgets(Optional.of("rows 10, cost"), RequestBudgets.WhenUnknown.REFUSE, null, null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("quarry.budget.default: 'cost' is not a bound; write it as cost N, rows N or both (cost 500000, rows 100000), "
                        + "or off");
    }
}
