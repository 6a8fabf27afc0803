package dev.quarry.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.quarry.execute.PlanEstimate;
import dev.quarry.execute.PlanEstimates;
import dev.quarry.render.Filter;
import dev.quarry.render.QueryRequest;
import dev.quarry.render.RenderedQuery;
import dev.quarry.template.Budget;
import dev.quarry.template.ParameterSpec;
import dev.quarry.template.ResultColumn;
import dev.quarry.template.Template;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The budget decision before a request's statements run: PostgreSQL's estimate of each, with the
 * request's values ({@link PlanEstimates}), summed and held against the template's {@code @budget}
 * or the configured default ({@code quarry.budget.default}), tightened by the budget of the caller's
 * roles ({@code quarry.budget.roles.ROLE}). A request over it is refused; one whose estimate cannot be
 * had or trusted is refused too, unless {@code quarry.budget.when-unknown=run}.
 */
@Singleton
public class RequestBudgets {

    /** A shape's kept estimate is trusted only this far under the budget; nearer, the request is planned itself. */
    static final int KEPT_MARGIN = 10;

    /** What a request whose budget cannot be checked gets. */
    public enum WhenUnknown {
        REFUSE, RUN
    }

    private static final String DEFAULT = "quarry.budget.default";

    private final Budget defaultBudget;
    private final Map<String, Budget> roleBudgets = new TreeMap<>();
    private final WhenUnknown whenUnknown;
    private final PlanEstimates estimates;
    private final QueryMeters meters;

    /** @param roleBudgets by role: a caller holding one of them is bound by the loosest of its roles' budgets as well */
    RequestBudgets(@ConfigProperty(name = DEFAULT) Optional<String> defaultBudget,
            @ConfigProperty(name = "quarry.budget.roles") Optional<Map<String, String>> roleBudgets,
            @ConfigProperty(name = "quarry.budget.when-unknown", defaultValue = "refuse") WhenUnknown whenUnknown,
            PlanEstimates estimates, QueryMeters meters) {
        this.defaultBudget = defaultBudget.map(text -> parse(DEFAULT, text)).orElse(Budget.NONE);
        roleBudgets.orElse(Map.of()).forEach((role, text) -> this.roleBudgets.put(role, parse("quarry.budget.roles." + role, text)));
        this.whenUnknown = whenUnknown;
        this.estimates = estimates;
        this.meters = meters;
    }

    private static Budget parse(String setting, String text) {
        try {
            return Budget.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(setting + ": " + e.getMessage());
        }
    }

    /** Created at startup, so that a budget setting that cannot be read stops it. */
    void startup(@Observes StartupEvent event) {
        // the constructor has read the settings
    }

    /**
     * The budget of a caller's requests of a template: the template's own or the default, each bound
     * lowered to that of the caller's roles where they have a budget (the loosest of them, when several
     * do: a role whose budget is off frees the caller from the roles' bounds).
     */
    public CallerBudget budget(Template template, Caller caller) {
        CallerBudget own = template.header().budget().map(budget -> new CallerBudget(budget, "@budget"))
                .orElse(new CallerBudget(defaultBudget, defaultBudget.bounded() ? DEFAULT : "none"));
        List<String> roles = caller.roles().stream().filter(roleBudgets::containsKey).sorted().toList();
        if (roles.isEmpty()) {
            return own;
        }
        Budget theirs = roles.stream().map(roleBudgets::get).reduce(Budget::looser).orElseThrow();
        Budget bounds = own.bounds().tighter(theirs);
        return bounds.equals(own.bounds()) ? own : new CallerBudget(bounds, (roles.size() == 1 ? "role " : "roles ")
                + String.join(", ", roles));
    }

    /** Completes once the statements may run; fails with the refusal otherwise, which the meters count. */
    CompletionStage<BudgetDecision> admit(QueryCall call, List<RenderedQuery> statements) {
        CompletableFuture<BudgetDecision> admitted = new CompletableFuture<>();
        decide(call, statements, false).whenComplete((decision, failure) -> {
            if (failure != null) {
                admitted.completeExceptionally(Stages.unwrapped(failure));
            } else if (decision.runs()) {
                admitted.complete(decision);
            } else {
                meters.refused(call.template().name(), decision.verdict().tag());
                admitted.completeExceptionally(decision.verdict().unknown() ? new BudgetUnknownException(decision)
                        : new OverBudgetException(decision));
            }
        });
        return admitted;
    }

    /** The response, once the stream's statement may run: a refused stream fails before its first byte. */
    <T> Multi<T> admitted(QueryCall call, Multi<T> response) {
        return Uni.createFrom().completionStage(() -> admit(call, List.of(call.statement()))).onItem()
                .transformToMulti(decision -> response);
    }

    /**
     * The decision for the statements, without enforcing it.
     *
     * @param explaining for {@code _explain=budget}: the statements are planned even without a budget, to show the estimate
     */
    CompletionStage<BudgetDecision> decide(QueryCall call, List<RenderedQuery> statements, boolean explaining) {
        Template template = call.template();
        CallerBudget budget = call.budget();
        if (!budget.bounds().bounded() && !explaining) {
            return CompletableFuture.completedFuture(new BudgetDecision(template.name(), budget, Optional.empty(), BudgetVerdict.UNBOUNDED,
                    true, BudgetDecision.Narrowing.NONE, Optional.empty()));
        }
        CompletableFuture<Optional<PlanEstimate>> total = CompletableFuture.completedFuture(Optional.empty());
        for (RenderedQuery statement : statements) {
            total = total.thenCompose(sum -> estimate(statement, call, budget.bounds())
                    .thenApply(estimate -> Optional.of(sum.map(estimate::plus).orElse(estimate))));
        }
        CompletableFuture<BudgetDecision> decision = new CompletableFuture<>();
        total.whenComplete((estimate, failure) -> {
            if (failure != null) {
                Throwable cause = Stages.unwrapped(failure);
                boolean runs = whenUnknown == WhenUnknown.RUN;
                decision.complete(new BudgetDecision(template.name(), budget, Optional.empty(), BudgetVerdict.NO_PLAN, runs,
                        narrowing(template, call.request(), runs, explaining), Optional.of(cause)));
                return;
            }
            BudgetVerdict verdict = budget.bounds().bounded() ? verdict(budget.bounds(), estimate.orElseThrow()) : BudgetVerdict.UNBOUNDED;
            boolean runs = verdict == BudgetVerdict.WITHIN || verdict == BudgetVerdict.UNBOUNDED
                    || verdict.unknown() && whenUnknown == WhenUnknown.RUN;
            decision.complete(new BudgetDecision(template.name(), budget, estimate, verdict, runs,
                    narrowing(template, call.request(), runs, explaining), Optional.empty()));
        });
        return decision;
    }

    private CompletionStage<PlanEstimate> estimate(RenderedQuery statement, QueryCall call, Budget budget) {
        // the shape's estimate first: a map lookup by the SQL, where the request's own is keyed by its values as text too
        Optional<PlanEstimate> kept = estimates.kept(statement, call.settings());
        if (kept.isPresent() && budget.allows(kept.get().cost() * KEPT_MARGIN, kept.get().rows() * KEPT_MARGIN)) {
            return CompletableFuture.completedFuture(kept.get());
        }
        Optional<PlanEstimate> known = estimates.known(statement, call.settings());
        return known.isPresent() ? CompletableFuture.completedFuture(known.get()) : estimates.plan(statement, call.settings());
    }

    private static BudgetVerdict verdict(Budget budget, PlanEstimate estimate) {
        if (!estimate.grounded()) {
            return BudgetVerdict.NO_STATISTICS;
        }
        if (budget.cost().isPresent() && estimate.cost() > budget.cost().getAsDouble()) {
            return BudgetVerdict.OVER_COST;
        }
        if (budget.rows().isPresent() && estimate.rows() > budget.rows().getAsLong()) {
            return BudgetVerdict.OVER_ROWS;
        }
        return BudgetVerdict.WITHIN;
    }

    /**
     * The template's parameters the request left out, then its columns it does not filter on: what a
     * refusal or {@code _explain=budget} shows, so not made for a request that just runs.
     */
    private static BudgetDecision.Narrowing narrowing(Template template, QueryRequest request, boolean runs, boolean explaining) {
        if (runs && !explaining) {
            return BudgetDecision.Narrowing.NONE;
        }
        List<String> parameters = new ArrayList<>();
        for (ParameterSpec parameter : template.parameters().values()) {
            if (!request.arguments().containsKey(parameter.name())) {
                parameters.add(parameter.name());
            }
        }
        Set<String> filtered = request.filters().stream().map(Filter::column).collect(Collectors.toSet());
        List<String> filters = request.columns().stream().map(ResultColumn::name).filter(name -> !filtered.contains(name)).toList();
        return new BudgetDecision.Narrowing(List.copyOf(parameters), filters);
    }
}
