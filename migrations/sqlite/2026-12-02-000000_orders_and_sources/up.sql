-- Orders recorded by distributors, and what the directory imports need. The same
-- changes exist on PostgreSQL (migrations/postgres); keep both in step.

-- The identifier a school information system gives a person (OneRoster sourcedId),
-- so that a re-import finds them even when their login changed. NULLs never collide.
ALTER TABLE users ADD COLUMN source_id TEXT;
CREATE UNIQUE INDEX users_by_source ON users (school_id, source_id);

-- What a distributor (an API client, or the operator) sold a school, under the order
-- id that distributor uses: sending the same id again updates the order. Its seats
-- are the licence pools that name it, one per audience.
CREATE TABLE orders (
    id           INTEGER PRIMARY KEY,
    distributor  TEXT NOT NULL,
    order_ref    TEXT NOT NULL CHECK (length(order_ref) > 0),
    school_id    INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    product_id   INTEGER NOT NULL REFERENCES products (id),
    valid_from   DATE NOT NULL,
    valid_until  DATE NOT NULL,
    transferable BOOLEAN NOT NULL,
    recorded_by  TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (distributor, order_ref),
    CHECK (valid_from <= valid_until)
);
CREATE INDEX orders_by_school ON orders (school_id);

ALTER TABLE licence_pools ADD COLUMN order_id INTEGER REFERENCES orders (id) ON DELETE CASCADE;
CREATE UNIQUE INDEX pools_by_order ON licence_pools (order_id, audience);

-- One row per directory import that changed something, for the audit record; the
-- licences it took back are in assignment_events under the same batch_id.
CREATE TABLE roster_imports (
    id             INTEGER PRIMARY KEY,
    school_id      INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    batch_id       TEXT NOT NULL,
    actor          TEXT NOT NULL,
    channel        TEXT NOT NULL CHECK (channel IN ('web', 'api', 'cli', 'system')),
    format         TEXT NOT NULL CHECK (format IN ('csv', 'oneroster')),
    mode           TEXT NOT NULL CHECK (mode IN ('sync', 'upsert')),
    created        INTEGER NOT NULL,
    updated        INTEGER NOT NULL,
    removed        INTEGER NOT NULL,
    seats_released INTEGER NOT NULL,
    at             TIMESTAMP NOT NULL
);
CREATE INDEX roster_imports_by_school ON roster_imports (school_id, at);
