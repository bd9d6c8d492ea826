DROP TABLE roster_imports;
DROP INDEX pools_by_order;
ALTER TABLE licence_pools DROP COLUMN order_id;
DROP TABLE orders;
DROP INDEX users_by_source;
ALTER TABLE users DROP COLUMN source_id;
