-- A template with a typo on line 4, kept aside when startup is told to mark broken templates
SELECT o_orderkey
FROM orders
WHERE o_custkey = = 1
