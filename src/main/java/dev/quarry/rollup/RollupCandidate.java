package dev.quarry.rollup;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import dev.quarry.template.RollupDeclaration;

/**
 * A declared rollup as matching sees it.
 *
 * @param partTypes each aggregate column's type, as the startup check described it
 * @param builtAt   when its table was built, if it is usable now (built for its definition, present, fresh enough)
 */
public record RollupCandidate(RollupDeclaration rollup, Map<String, String> partTypes, Optional<Instant> builtAt) {
}
