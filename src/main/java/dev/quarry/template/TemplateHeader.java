package dev.quarry.template;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a template's header declares.
 *
 * @param cache how long its answers are kept; zero for {@code @cache off}; empty for the global default
 */
record TemplateHeader(String summary, String description, Map<String, ParameterSpec> parameters, List<String> sortable,
        List<String> key, List<String> order, Map<String, String> dimensions, Map<String, String> measures, Optional<Duration> timeout,
        List<String> roles, Optional<Duration> cache) {
}
