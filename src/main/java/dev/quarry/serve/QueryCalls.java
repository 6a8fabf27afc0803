package dev.quarry.serve;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import jakarta.inject.Singleton;

import dev.quarry.encode.Format;
import dev.quarry.execute.Catalog;
import dev.quarry.execute.CheckedTemplate;
import dev.quarry.execute.QueryExecutor;
import dev.quarry.execute.StatementSettings;
import dev.quarry.execute.TenancySettings;
import dev.quarry.render.CursorCodec;
import dev.quarry.render.QueryRequest;
import dev.quarry.render.RequestParser;
import dev.quarry.render.Tenant;
import dev.quarry.rollup.RollupDecision;

/**
 * Starts a request's {@link QueryCall}: finds the template, reads the request against it and takes
 * a stream slot, each of which may refuse it before anything runs or any byte is sent.
 */
@Singleton
class QueryCalls {

    private final Catalog catalog;
    private final QueryExecutor executor;
    private final QueryMeters meters;
    private final CursorCodec cursors;
    private final StreamSlots slots;
    private final TenancySettings tenancy;
    private final RollupChoice rollups;
    private final RequestBudgets budgets;

    QueryCalls(Catalog catalog, QueryExecutor executor, QueryMeters meters, CursorCodec cursors, StreamSlots slots,
            TenancySettings tenancy, RollupChoice rollups, RequestBudgets budgets) {
        this.rollups = rollups;
        this.budgets = budgets;
        this.catalog = catalog;
        this.executor = executor;
        this.meters = meters;
        this.cursors = cursors;
        this.slots = slots;
        this.tenancy = tenancy;
    }

    /**
     * @param caller       who asks: its tenant, which a template using {@code :tenant} needs, and its roles, which may bound its budget
     * @param defaultLimit the page size when the request gives none; empty for a stream
     * @param lastEventId  the id of the last event a reconnecting EventSource saw
     */
    QueryCall open(String name, Map<String, List<String>> parameters, Caller caller, Format format,
            OptionalInt defaultLimit, Optional<String> lastEventId) {
        CheckedTemplate checked = catalog.find(name).orElseThrow(() -> new UnknownQueryException(name));
        if (checked.broken().isPresent()) {
            throw new BrokenQueryException(name, checked.broken().get());
        }
        Optional<Tenant> tenant = caller.tenant();
        if (checked.template().tenant() && tenant.isEmpty()) {
            throw new TenantRequiredException(name);
        }
        QueryRequest request;
        RollupDecision decision;
        try {
            request = RequestParser.parse(checked.template(), checked.columns(), parameters, tenant, defaultLimit, cursors,
                    lastEventId);
            decision = rollups.decide(checked, request, parameters);
        } catch (RuntimeException e) {
            meters.query(name, format, Outcome.CLIENT_ERROR, Duration.ZERO);
            throw e;
        }
        StatementSettings settings = executor.settings(checked.template().header())
                .withTenant(checked.template().tenant() ? tenancy.setting(tenant) : Optional.empty());
        // last, once nothing else can refuse the request: the slot is freed only when the response ends
        StreamSlots.Slot slot = format.streamed() ? slots.take() : null;
        return QueryCall.of(checked.template(), format, request, decision, rollups, budgets.budget(checked.template(), caller), settings,
                meters, slot);
    }
}
