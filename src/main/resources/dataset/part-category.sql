-- A category tree for recursive analyses, built from the three words of p_type:
-- STANDARD > STANDARD ANODIZED > STANDARD ANODIZED TIN. Every part belongs to the leaf
-- whose path is its p_type.

CREATE TABLE part_category (
    id        integer     NOT NULL PRIMARY KEY,
    parent_id integer     REFERENCES part_category (id),
    name      varchar(25) NOT NULL,  -- the last word of the path: TIN
    path      varchar(25) NOT NULL UNIQUE,  -- the words from the root: STANDARD ANODIZED TIN
    depth     integer     NOT NULL CHECK (depth BETWEEN 1 AND 3)
);

INSERT INTO part_category (id, name, path, depth)
SELECT row_number() OVER (ORDER BY path), split_part(path, ' ', depth), path, depth
FROM (
    SELECT DISTINCT array_to_string((string_to_array(p_type, ' '))[1:depth], ' ') AS path, depth
    FROM part CROSS JOIN generate_series(1, 3) AS depth
) AS paths;

UPDATE part_category AS child
SET parent_id = parent.id
FROM part_category AS parent
WHERE parent.depth = child.depth - 1
  AND child.path LIKE parent.path || ' %';

CREATE TABLE part_leaf_category (
    p_partkey   integer NOT NULL PRIMARY KEY,
    category_id integer NOT NULL REFERENCES part_category (id)
);

INSERT INTO part_leaf_category (p_partkey, category_id)
SELECT p_partkey, c.id
FROM part
JOIN part_category AS c ON c.path = p_type AND c.depth = 3;

CREATE INDEX ON part_category (parent_id);
CREATE INDEX ON part_leaf_category (category_id);
