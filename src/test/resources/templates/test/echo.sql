-- Every nation beside a text the request gives, echoed back as PostgreSQL received it, for injection tests
--
-- echoed is the text itself and characters its length, so a test sees the exact value bound;
-- matched tells whether the nation's name is the text or its comment holds it. With texts, only the
-- nations of those names are kept.
--
-- @param text text = plain -- any text
-- @param texts text[] optional -- nation names
-- @sort n_nationkey, n_name, r_name, echoed
-- @key n_nationkey
SELECT
    n_nationkey,
    n_name,
    r_name,
    :text::text AS echoed,
    length(:text::text) AS characters,
    n_name = :text::text OR strpos(n_comment, :text::text) > 0 AS matched
FROM nation
JOIN region ON r_regionkey = n_regionkey
/*[ WHERE n_name = ANY(:texts) ]*/
