-- The category tree (part-category.sql) is built on the coordinator from the reference table part;
-- it becomes a pair of reference tables, like the tables it joins, and the coordinator's local
-- copy of its rows is emptied (the rows now live in the reference shards).

SELECT create_reference_table('part_category');
SELECT create_reference_table('part_leaf_category');
SELECT truncate_local_data_after_distributing_table('part_category');
SELECT truncate_local_data_after_distributing_table('part_leaf_category');
