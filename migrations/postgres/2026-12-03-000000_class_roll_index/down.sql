DROP INDEX users_by_class;
CREATE INDEX users_by_class ON users (class_id, last_name, first_name);
