-- Row-level security for the TPC-H demo's tenants: a tenant per customer nation.
--
-- customer rows carry the tenant (c_nationkey); orders belong to their customer's nation and line
-- items to their order's. Each policy reads the transaction-local setting quarry.tenant, which Quarry
-- sets from the caller's verified token in the query's own transaction (set_config(..., true)) when
-- quarry.tenant.row-security.setting=quarry.tenant. Without it the setting is empty and every policy
-- answers no rows: a query that runs without a tenant reads nothing.
--
-- Run it as the tables' owner (the load's role) after every load: a load replaces the tables, and their
-- policies with them. The policies apply to every role but the owner and superusers: Quarry connects as
-- the reader role of quarry-reader-role.sql, which owns none of these tables and has no BYPASSRLS.
--
--   psql -v ON_ERROR_STOP=1 -d quarry -f deploy/sql/tpch-tenant-row-security.sql

-- the tenant as the policies compare it; NULL (no row passes) when the transaction has none
CREATE OR REPLACE FUNCTION quarry_tenant() RETURNS integer
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(current_setting('quarry.tenant', true), '')::integer $$;

ALTER TABLE customer ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant ON customer;
CREATE POLICY tenant ON customer FOR SELECT
    USING (c_nationkey = quarry_tenant());

ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant ON orders;
CREATE POLICY tenant ON orders FOR SELECT
    USING (EXISTS (SELECT 1 FROM customer AS c WHERE c.c_custkey = o_custkey AND c.c_nationkey = quarry_tenant()));

ALTER TABLE lineitem ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant ON lineitem;
CREATE POLICY tenant ON lineitem FOR SELECT
    USING (EXISTS (SELECT 1 FROM orders AS o JOIN customer AS c ON c.c_custkey = o.o_custkey
                   WHERE o.o_orderkey = l_orderkey AND c.c_nationkey = quarry_tenant()));
