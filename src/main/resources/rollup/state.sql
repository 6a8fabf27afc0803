-- Where Quarry keeps its rollups and what it knows of each: read at startup, written by every build,
-- in the build's own transaction, so the row always describes the table that is there.

CREATE SCHEMA IF NOT EXISTS quarry_rollup;

CREATE TABLE IF NOT EXISTS quarry_rollup.built (
    template        text        NOT NULL,
    rollup          text        NOT NULL,
    -- its table in this schema
    table_name      text        NOT NULL,
    -- what the rollup was built from: a hash of its build statement and values, so a changed
    -- declaration or template body is never answered from a table built for the old one
    definition      text        NOT NULL,
    -- the published dataset's load time, when Quarry loads the database; null otherwise
    dataset_version timestamptz,
    built_at        timestamptz NOT NULL,
    rows            bigint      NOT NULL,
    bytes           bigint      NOT NULL,
    -- the greatest value of the declared change column at the last build, as text: a partitioned
    -- refresh rebuilds only the partitions holding a row above it
    changes_upto    text,
    -- the last build that failed, if it failed after the last one that succeeded
    last_error      text,
    failed_at       timestamptz,
    PRIMARY KEY (template, rollup)
);
