-- Run on Citus before publish.sql, in its transaction. Citus moves a distributed table's shards
-- along with it (ALTER TABLE ... SET SCHEMA on every worker) and commits on all nodes together
-- (two-phase commit), so publishing keeps its promise there too. The reference tables with foreign
-- keys (part_category, part_leaf_category) need the transaction's work on each node to go through
-- one connection; otherwise Citus refuses the move after the parallel DROP of the old tables.

SET LOCAL citus.multi_shard_modify_mode TO 'sequential';
