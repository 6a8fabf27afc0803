-- The part category tree, walked from its roots, with the parts beneath each category
--
-- Every category of part_category under the chosen top categories (all by default), with the path and
-- depth the walk finds by following parent_id from a root, and the parts beneath it: a leaf's own
-- parts (part_leaf_category), a parent's those of all its descendants; how many, and their retail
-- price's minimum, average and maximum. Categories without parts show 0 and no prices.
-- The walk is a recursive CTE, so it reaches any depth (category-rollup's joins assume exactly three
-- levels), and each row carries its lineage, the ids from the root to itself: a part counts for every
-- category in its leaf's lineage. Every table read is a reference table on Citus (part_category,
-- part_leaf_category, part): the whole statement runs on one node, which is when Citus accepts a
-- recursive CTE (it refuses one beside a distributed table such as lineitem: see category-rollup).
-- max_depth filters the rows shown only after the walk, so a parent still counts its deeper parts.
--
-- @param root text optional in ECONOMY|LARGE|MEDIUM|PROMO|SMALL|STANDARD -- only the tree under this top category
-- @param max_depth int = 3 range 1..3 -- deepest level shown: 1 for the top categories only
-- @sort id, parent_id, name, path, depth, parts, min_price, avg_price, max_price
-- @key id
-- @order path
WITH RECURSIVE tree (id, parent_id, name, path, depth, lineage) AS (
    SELECT id, parent_id, name, name::text, 1, ARRAY[id]
    FROM part_category
    WHERE parent_id IS NULL
      /*[ AND name = :root ]*/
    UNION ALL
    SELECT child.id, child.parent_id, child.name, tree.path || ' ' || child.name, tree.depth + 1, tree.lineage || child.id
    FROM part_category AS child
    JOIN tree ON child.parent_id = tree.id
),
part_in_category (category_id, p_partkey, p_retailprice) AS (
    -- each part once for every category of its leaf's lineage
    SELECT unnest(tree.lineage), part.p_partkey, part.p_retailprice
    FROM part
    JOIN part_leaf_category AS leaf ON leaf.p_partkey = part.p_partkey
    JOIN tree                       ON tree.id = leaf.category_id
)
SELECT
    tree.id,
    tree.parent_id,
    tree.name,
    tree.path,
    tree.depth,
    count(part_in_category.p_partkey)                  AS parts,
    min(part_in_category.p_retailprice)                AS min_price,
    round(avg(part_in_category.p_retailprice), 2)      AS avg_price,
    max(part_in_category.p_retailprice)                AS max_price
FROM tree
LEFT JOIN part_in_category ON part_in_category.category_id = tree.id
WHERE tree.depth <= :max_depth::int
GROUP BY tree.id, tree.parent_id, tree.name, tree.path, tree.depth
ORDER BY tree.path
