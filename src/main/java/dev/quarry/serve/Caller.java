package dev.quarry.serve;

import java.util.Set;

/**
 * Who a request comes from, as quotas count it.
 *
 * @param id    the verified token's subject, or the client's address when authentication is off
 * @param roles the token's groups; none without a token
 */
public record Caller(String id, Set<String> roles) {
}
