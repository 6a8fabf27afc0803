-- Advances the sequence it is given: a write no plan shows (the plan check cannot see it), so
-- only the query guard's read-only transaction stands in its way
--
-- @param sequence text
SELECT nextval(:sequence::text::regclass) AS advanced_to
