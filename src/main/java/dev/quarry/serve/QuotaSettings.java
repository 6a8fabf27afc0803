package dev.quarry.serve;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How many requests one caller may have running and waiting ({@code quarry.quota.*}): globally, and per role
 * ({@code quarry.quota.roles.ROLE.running}). Without {@code running}, globally or for one of a caller's
 * roles, a caller has no quota.
 */
@ConfigMapping(prefix = "quarry.quota")
public interface QuotaSettings {

    /** Requests of one caller that run at once. */
    OptionalInt running();

    /** Requests of one caller that wait for one of its running requests to end; beyond them, 429. */
    @WithDefault("0")
    int waiting();

    /** What a refused caller is told to wait before it tries again (Retry-After). */
    @WithDefault("1s")
    Duration retryAfter();

    /** Quotas of the callers holding a role, instead of the global one; the most generous of a caller's roles applies. */
    Map<String, RoleQuota> roles();

    interface RoleQuota {

        OptionalInt running();

        OptionalInt waiting();
    }
}
