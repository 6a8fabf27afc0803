-- Revenue at every level of the part category tree
--
-- Revenue from line items shipped in a period for each category of part_category: a leaf
-- (STANDARD ANODIZED TIN) gets its own parts' sales, a parent (STANDARD ANODIZED, STANDARD) the sum of
-- its descendants'. Each leaf is paired with its ancestors (itself, its parent, its grandparent: the
-- tree has three levels, part_category's depth check); sales, summed per leaf first, are then added
-- up per ancestor. The pairs come from two joins rather than a recursive CTE because Citus refuses a
-- recursive CTE in a query that also reads a distributed table (lineitem): one form for both engines. parts counts the distinct parts sold (each part has
-- one leaf, so the leaves' counts add up). Categories without sales show 0.
--
-- @param since date = 1995-01-01 range 1992-01-01..1999-01-01 -- first ship date counted
-- @param until date = 1996-01-01 range 1992-01-01..1999-01-01 -- first ship date no longer counted
-- @param max_depth int = 3 range 1..3 -- deepest level shown: 1 for the top categories only
-- @sort id, parent_id, path, depth, revenue, parts, quantity
-- @key id
-- @order path
WITH ancestry (leaf_id, ancestor_id) AS (
    -- every leaf with itself, its parent and its grandparent: the tree has exactly three levels
    SELECT leaf.id, unnest(ARRAY[leaf.id, parent.id, grandparent.id])
    FROM part_category AS leaf
    JOIN part_category AS parent      ON parent.id = leaf.parent_id
    JOIN part_category AS grandparent ON grandparent.id = parent.parent_id
    WHERE leaf.depth = 3
),
leaf_sales AS (
    SELECT
        leaf.category_id                        AS leaf_id,
        sum(l_extendedprice * (1 - l_discount)) AS revenue,
        count(DISTINCT l_partkey)               AS parts,
        sum(l_quantity)                         AS quantity
    FROM lineitem
    JOIN part_leaf_category AS leaf ON leaf.p_partkey = l_partkey
    WHERE l_shipdate >= :since::date
      AND l_shipdate <  :until::date
    GROUP BY leaf.category_id
)
SELECT
    category.id,
    category.parent_id,
    category.path,
    category.depth,
    coalesce(sum(leaf_sales.revenue), 0)  AS revenue,
    coalesce(sum(leaf_sales.parts), 0)::bigint AS parts,
    coalesce(sum(leaf_sales.quantity), 0) AS quantity
FROM part_category AS category
JOIN ancestry        ON ancestry.ancestor_id = category.id
LEFT JOIN leaf_sales ON leaf_sales.leaf_id = ancestry.leaf_id
WHERE category.depth <= :max_depth::int
GROUP BY category.id, category.parent_id, category.path, category.depth
ORDER BY category.path
