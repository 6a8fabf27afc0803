-- The distributed layout on Citus, made while the staging tables are still empty, so that each
-- load's COPY goes straight to the shards on the workers, in parallel.
--
-- orders and lineitem are the large tables, joined on the order key: both are hash-distributed by
-- it and co-located, so their joins (Q3, Q4, Q5, Q7, Q8, Q9, Q10, Q12, Q18, Q21) run shard by
-- shard on the workers with no data moving between nodes. Every other table is small next to them,
-- or joined on other keys (part, partsupp and customer by part, supplier and customer key):
-- reference tables, a full copy on every node, so any join to them stays on the node that holds
-- the order shard. part_category and part_leaf_category are made reference tables once built
-- (citus-categories.sql).

SELECT create_distributed_table('orders', 'o_orderkey');
SELECT create_distributed_table('lineitem', 'l_orderkey', colocate_with => 'orders');

SELECT create_reference_table('region');
SELECT create_reference_table('nation');
SELECT create_reference_table('supplier');
SELECT create_reference_table('customer');
SELECT create_reference_table('part');
SELECT create_reference_table('partsupp');
