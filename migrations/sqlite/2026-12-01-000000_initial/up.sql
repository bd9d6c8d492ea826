-- Affecto's data model on SQLite. The same tables exist on PostgreSQL
-- (migrations/postgres); keep both in step.

CREATE TABLE schools (
    id          INTEGER PRIMARY KEY,
    uai         TEXT NOT NULL UNIQUE CHECK (length(uai) = 8 AND substr(uai, 1, 7) NOT GLOB '*[^0-9]*' AND substr(uai, 8, 1) GLOB '[A-Z]'),
    name        TEXT NOT NULL CHECK (length(name) > 0),
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE classes (
    id          INTEGER PRIMARY KEY,
    school_id   INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('6e', '5e', '4e', '3e', '2nde', '1re', 'Tle')),
    UNIQUE (school_id, name)
);
CREATE INDEX classes_by_level ON classes (school_id, level);

CREATE TABLE subjects (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE
);

-- Students and teachers of a school: its directory ("référentiel").
CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    school_id   INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('student', 'teacher')),
    login       TEXT NOT NULL,
    first_name  TEXT NOT NULL,
    last_name   TEXT NOT NULL,
    class_id    INTEGER REFERENCES classes (id) ON DELETE SET NULL,
    UNIQUE (school_id, login),
    CHECK (role = 'student' OR class_id IS NULL)
);
CREATE INDEX users_by_class ON users (class_id, last_name, first_name);
CREATE INDEX users_by_role ON users (school_id, role, last_name, first_name);

CREATE TABLE teacher_subjects (
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subject_id  INTEGER NOT NULL REFERENCES subjects (id),
    PRIMARY KEY (user_id, subject_id)
);
CREATE INDEX teachers_by_subject ON teacher_subjects (subject_id);

-- The catalogue: resource titles, shared by all schools.
CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    external_id TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL
);

CREATE TABLE product_levels (
    product_id  INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    level       TEXT NOT NULL CHECK (level IN ('6e', '5e', '4e', '3e', '2nde', '1re', 'Tle')),
    PRIMARY KEY (product_id, level)
);

CREATE TABLE product_subjects (
    product_id  INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    subject_id  INTEGER NOT NULL REFERENCES subjects (id),
    PRIMARY KEY (product_id, subject_id)
);

-- What a school bought: N licences of one product for one audience, valid from..until.
-- `assigned` is kept in step with the assignment rows inside each transaction; the
-- CHECK makes over-assignment impossible whatever the code does.
CREATE TABLE licence_pools (
    id          INTEGER PRIMARY KEY,
    school_id   INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    product_id  INTEGER NOT NULL REFERENCES products (id),
    audience    TEXT NOT NULL CHECK (audience IN ('student', 'teacher')),
    purchased   INTEGER NOT NULL CHECK (purchased >= 0),
    assigned    INTEGER NOT NULL DEFAULT 0,
    valid_from  DATE NOT NULL,
    valid_until DATE NOT NULL,
    CHECK (assigned BETWEEN 0 AND purchased),
    CHECK (valid_from <= valid_until)
);
CREATE INDEX pools_by_school ON licence_pools (school_id, product_id);

-- One licence held by one user. A user holds at most one licence of a product.
CREATE TABLE assignments (
    id          INTEGER PRIMARY KEY,
    pool_id     INTEGER NOT NULL REFERENCES licence_pools (id) ON DELETE CASCADE,
    school_id   INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    product_id  INTEGER NOT NULL REFERENCES products (id),
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    assigned_at TIMESTAMP NOT NULL,
    assigned_by TEXT NOT NULL,
    UNIQUE (user_id, product_id)
);
CREATE INDEX assignments_by_pool ON assignments (pool_id);

-- Append-only record of every assignment change.
CREATE TABLE assignment_events (
    id          INTEGER PRIMARY KEY,
    school_id   INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    product_id  INTEGER NOT NULL REFERENCES products (id),
    pool_id     INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('assign', 'unassign')),
    actor       TEXT NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('web', 'api', 'cli', 'system')),
    batch_id    TEXT NOT NULL,
    at          TIMESTAMP NOT NULL
);
CREATE INDEX events_by_school ON assignment_events (school_id, at, id);

-- People who sign in to the web app: school administrators and platform operators.
CREATE TABLE admins (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    is_operator   BOOLEAN NOT NULL DEFAULT 0
);

CREATE TABLE admin_schools (
    admin_id    INTEGER NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    school_id   INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    PRIMARY KEY (admin_id, school_id)
);

-- Machines: ENT portals and distributors using OAuth2 client credentials.
CREATE TABLE api_clients (
    id          INTEGER PRIMARY KEY,
    client_id   TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    name        TEXT NOT NULL,
    scopes      TEXT NOT NULL
);

CREATE TABLE api_client_schools (
    api_client_id INTEGER NOT NULL REFERENCES api_clients (id) ON DELETE CASCADE,
    school_id     INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    PRIMARY KEY (api_client_id, school_id)
);

-- One row per school and school year whose student licences were taken back.
CREATE TABLE rollover_runs (
    id          INTEGER PRIMARY KEY,
    school_id   INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    school_year INTEGER NOT NULL,
    ran_at      TIMESTAMP NOT NULL,
    released    INTEGER NOT NULL,
    UNIQUE (school_id, school_year)
);
