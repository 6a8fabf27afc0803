package dev.quarry.serve;

import java.util.Optional;
import java.util.Set;

import dev.quarry.render.Tenant;

/**
 * Who a request comes from: as quotas count it, as budgets bound it, and whose rows it may see.
 *
 * @param id     the verified token's subject, or the client's address when authentication is off
 * @param roles  the token's groups; none without a token
 * @param tenant the tenant the token's claim names, which a template using {@code :tenant} needs
 */
public record Caller(String id, Set<String> roles, Optional<Tenant> tenant) {
}
