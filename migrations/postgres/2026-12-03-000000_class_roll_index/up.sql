-- A class's students are read by class, school and role together. With the school and
-- the role in the index, the class index matches more of the query than the index of
-- the school's students by role does, so a class roll reads its own students only,
-- whatever the school's size and whether planner statistics exist.
DROP INDEX users_by_class;
CREATE INDEX users_by_class ON users (class_id, school_id, role, last_name, first_name);
