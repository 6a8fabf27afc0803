-- Replaces the published dataset with the staged one, in the caller's transaction: readers see
-- the old tables or the new ones, never a mix, and a failure leaves the old ones in place.

DROP TABLE IF EXISTS
    public.part_leaf_category, public.part_category,
    public.lineitem, public.orders, public.partsupp, public.part,
    public.customer, public.supplier, public.nation, public.region;

ALTER TABLE quarry_load.region             SET SCHEMA public;
ALTER TABLE quarry_load.nation             SET SCHEMA public;
ALTER TABLE quarry_load.supplier           SET SCHEMA public;
ALTER TABLE quarry_load.customer           SET SCHEMA public;
ALTER TABLE quarry_load.part               SET SCHEMA public;
ALTER TABLE quarry_load.partsupp           SET SCHEMA public;
ALTER TABLE quarry_load.orders             SET SCHEMA public;
ALTER TABLE quarry_load.lineitem           SET SCHEMA public;
ALTER TABLE quarry_load.part_category      SET SCHEMA public;
ALTER TABLE quarry_load.part_leaf_category SET SCHEMA public;

DROP SCHEMA quarry_load;

CREATE TABLE IF NOT EXISTS public.quarry_dataset (
    name         text        NOT NULL PRIMARY KEY,
    scale        numeric     NOT NULL,
    row_counts   jsonb       NOT NULL,
    load_seconds numeric     NOT NULL,
    loaded_at    timestamptz NOT NULL DEFAULT now()
);
