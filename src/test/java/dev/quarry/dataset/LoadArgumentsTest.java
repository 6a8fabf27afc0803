package dev.quarry.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoadArgumentsTest {

    @Test
    void readsTheScaleAndForce() {
        LoadArguments arguments = LoadArguments.parse("load", "--scale", "1", "--force");
        assertThat(arguments.scale().value()).isEqualByComparingTo("1");
        assertThat(arguments.force()).isTrue();
        assertThat(LoadArguments.parse("load", "--scale", "0.010").scale().toString()).isEqualTo("0.01");
    }

    @Test
    void rejectsWhatIsNotAScaleWithOneLine() {
        assertThatThrownBy(() -> LoadArguments.parse("load", "--scale", "-1"))
                .hasMessage("scale must be between 0.001 and 1000, not -1");
        assertThatThrownBy(() -> LoadArguments.parse("load", "--scale", "abc"))
                .hasMessage("scale must be a number such as 0.01 or 1, not 'abc'");
        assertThatThrownBy(() -> LoadArguments.parse("load", "--scale", "5000"))
                .hasMessage("scale must be between 0.001 and 1000, not 5000");
        assertThatThrownBy(() -> LoadArguments.parse("load", "--scale"))
                .hasMessageStartingWith("--scale needs a value; usage: load --scale N");
        assertThatThrownBy(() -> LoadArguments.parse("load"))
                .hasMessageStartingWith("--scale is required; usage:");
        assertThatThrownBy(() -> LoadArguments.parse("load", "--scael", "1"))
                .hasMessageStartingWith("unknown argument '--scael'; usage:");
    }
}
