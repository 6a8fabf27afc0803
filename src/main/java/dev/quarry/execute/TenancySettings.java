package dev.quarry.execute;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.quarry.render.Tenant;
import dev.quarry.template.ParamType;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Tenancy, off unless {@code quarry.tenant.claim} is set: the token claim that holds the caller's
 * tenant and its type, the tenant-scoped tables every template that reads them must bind
 * {@code :tenant} for, and, for row-level security, the transaction-local setting the policies read.
 * A value that cannot be right stops startup with one line.
 */
@Singleton
public class TenancySettings {

    private static final List<ParamType> CLAIM_TYPES = List.of(ParamType.TEXT, ParamType.INT, ParamType.BIGINT);

    private final Optional<String> claim;
    private final ParamType claimType;
    private final List<TenantTable> tables;
    private final Optional<String> setting;

    TenancySettings(@ConfigProperty(name = "quarry.tenant.claim") Optional<String> claim,
            @ConfigProperty(name = "quarry.tenant.claim-type", defaultValue = "text") String claimType,
            @ConfigProperty(name = "quarry.tenant.tables") Optional<List<String>> tables,
            @ConfigProperty(name = "quarry.tenant.row-security.setting") Optional<String> setting) {
        this.claim = claim.map(String::strip).filter(name -> !name.isEmpty());
        this.claimType = claimType(claimType);
        this.tables = tables(tables.orElse(List.of()));
        this.setting = setting.map(String::strip).filter(name -> !name.isEmpty());
        if (this.claim.isEmpty() && (!this.tables.isEmpty() || this.setting.isPresent())) {
            throw new ConfigurationException("quarry.tenant.tables or quarry.tenant.row-security.setting is set but "
                    + "quarry.tenant.claim is not: name the token claim that holds the caller's tenant");
        }
        this.setting.ifPresent(name -> {
            try {
                new TenantSetting(name, "");
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("quarry.tenant.row-security.setting: " + e.getMessage());
            }
        });
    }

    private static ParamType claimType(String word) {
        for (ParamType type : CLAIM_TYPES) {
            if (type.keyword().equals(word.strip())) {
                return type;
            }
        }
        throw new ConfigurationException("quarry.tenant.claim-type is text, int or bigint, not '" + word + "'");
    }

    private static List<TenantTable> tables(List<String> entries) {
        List<TenantTable> tables = new ArrayList<>();
        for (String entry : entries) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                tables.add(TenantTable.parse(entry));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("quarry.tenant.tables: " + e.getMessage()
                        + "; write table.tenant_column, or table.column=other_table.column for a table whose tenant is found through another");
            }
        }
        return List.copyOf(tables);
    }

    /** Whether tenancy is configured: a claim names the caller's tenant. */
    public boolean enabled() {
        return claim.isPresent();
    }

    /** The claim that holds the caller's tenant, when tenancy is on. */
    public Optional<String> claim() {
        return claim;
    }

    /** The claim's type: text, int or bigint, as a parameter would declare it. */
    public ParamType claimType() {
        return claimType;
    }

    List<TenantTable> tables() {
        return tables;
    }

    Optional<String> rowSecuritySetting() {
        return setting;
    }

    /** The transaction-local setting a tenant's run makes, with row-level security configured. */
    public Optional<TenantSetting> setting(Optional<Tenant> tenant) {
        return tenant.flatMap(caller -> setting.map(name -> new TenantSetting(name, caller.toString())));
    }
}
