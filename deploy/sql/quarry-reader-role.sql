-- The login role Quarry serves with: it can read Quarry's database and change nothing in it.
--
--   psql -v reader=quarry_reader -v reader_password="$QUARRY_READER_PASSWORD" \
--        -v writer=quarry -v database=quarry -f deploy/sql/quarry-reader-role.sql
--
-- reader           the role to create, for Quarry's Deployment (QUARKUS_DATASOURCE_USERNAME)
-- reader_password  its password, from your secret store: never written into this file
-- writer           the role the load Job logs in as, which owns the dataset's tables
-- database         Quarry's database
--
-- Run it once, connected to that database as a superuser or as a role with CREATEROLE that is a
-- member of the writer. Every query Quarry sends already runs in a READ ONLY transaction; these
-- grants are the barrier that holds even if a statement escaped that.

CREATE ROLE :"reader" LOGIN PASSWORD :'reader_password'
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;

-- Connect, look up and read; no CREATE on the database or on any schema.
GRANT CONNECT ON DATABASE :"database" TO :"reader";
GRANT USAGE ON SCHEMA public TO :"reader";
GRANT SELECT ON ALL TABLES IN SCHEMA public TO :"reader";
-- the rollups' schema, made here if no build made it yet, owned by the writer that builds them
CREATE SCHEMA IF NOT EXISTS quarry_rollup AUTHORIZATION :"writer";
GRANT USAGE ON SCHEMA quarry_rollup TO :"reader";
GRANT SELECT ON ALL TABLES IN SCHEMA quarry_rollup TO :"reader";

-- Every load builds new tables in a staging schema and moves them into public, so grants on today's
-- tables do not reach tomorrow's: the writer's default privileges give the reader SELECT on each
-- table it creates, in any schema (the staging schema itself stays out of reach: no USAGE on it).
ALTER DEFAULT PRIVILEGES FOR ROLE :"writer" GRANT SELECT ON TABLES TO :"reader";

-- Defence in depth, for sessions that are not Quarry's (psql with these credentials): read-only
-- transactions unless a session asks otherwise, and no statement longer than Quarry's longest
-- template timeout (60s) allows. Quarry sets its own timeout per transaction under this one.
ALTER ROLE :"reader" SET default_transaction_read_only = on;
ALTER ROLE :"reader" SET statement_timeout = '65s';
