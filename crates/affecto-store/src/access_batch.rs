//! Many access checks in one PostgreSQL statement.
//!
//! The checks travel as parallel arrays, unnested into rows on the server; each row
//! finds its school by UAI, keeps it only if the row's viewer may see it, and looks
//! the licence up with the same indexes as a single check. The text of the statement
//! does not depend on the number of checks, so it stays prepared.

use chrono::NaiveDate;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, Bool, Date, Integer, Nullable, Text};
use diesel::{PgConnection, QueryResult, RunQueryDsl};

use crate::access::AccessCheck;
use crate::schools::Viewer;

/// How a viewer is written in the statement: a kind (operator, administrator, API
/// client) and the id of the administrator or client.
fn viewer_columns(viewer: Viewer) -> (i32, i64) {
    match viewer {
        Viewer::Operator => (0, 0),
        Viewer::Admin(admin_id) => (1, admin_id),
        Viewer::Client(client_id) => (2, client_id),
    }
}

/// The statement up to its arrays: for each check, its ordinal and its answer (NULL
/// when the school is unknown or hidden from the viewer).
const ANSWERS_FROM: &str = "
    SELECT q.n, CASE WHEN s.id IS NULL THEN NULL ELSE EXISTS (
        SELECT 1 FROM assignments a JOIN licence_pools p ON p.id = a.pool_id
        WHERE a.user_id = q.user_id AND a.product_id = q.product_id AND a.school_id = s.id
            AND p.valid_from <= q.today AND p.valid_until >= q.today
    ) END
    FROM unnest(";

/// The statement after its arrays: the checks as rows, each with its school if the
/// viewer may see it.
const CHECKS_WITH_SCHOOLS: &str = ") WITH ORDINALITY
        AS q(uai, user_id, product_id, viewer_kind, viewer_id, today, n)
    LEFT JOIN schools s ON s.uai = q.uai AND (
        q.viewer_kind = 0
        OR (q.viewer_kind = 1 AND EXISTS (SELECT 1 FROM admin_schools v
            WHERE v.admin_id = q.viewer_id AND v.school_id = s.id))
        OR (q.viewer_kind = 2 AND EXISTS (SELECT 1 FROM api_client_schools v
            WHERE v.api_client_id = q.viewer_id AND v.school_id = s.id)))";

/// The statement answering a batch of access checks, with its arrays.
#[derive(Debug, Default)]
pub(crate) struct PostgresAccessBatch {
    uais: Vec<String>,
    user_ids: Vec<i64>,
    product_ids: Vec<i64>,
    viewer_kinds: Vec<i32>,
    viewer_ids: Vec<i64>,
    days: Vec<NaiveDate>,
}

impl PostgresAccessBatch {
    pub(crate) fn new(checks: &[AccessCheck]) -> Self {
        let mut batch = Self::default();
        for check in checks {
            let (kind, id) = viewer_columns(check.viewer);
            batch.uais.push(check.uai.clone());
            batch.user_ids.push(check.user_id);
            batch.product_ids.push(check.product_id);
            batch.viewer_kinds.push(kind);
            batch.viewer_ids.push(id);
            batch.days.push(check.today);
        }
        batch
    }

    /// The answers, in the order of the checks.
    pub(crate) fn answer(self, conn: &mut PgConnection) -> QueryResult<Vec<Option<bool>>> {
        let mut answers = vec![None; self.uais.len()];
        let rows: Vec<(i64, Option<bool>)> = self.load(conn)?;
        for (ordinal, granted) in rows {
            // `WITH ORDINALITY` numbers the checks from 1.
            if let Some(answer) = usize::try_from(ordinal - 1)
                .ok()
                .and_then(|index| answers.get_mut(index))
            {
                *answer = granted;
            }
        }
        Ok(answers)
    }
}

impl Query for PostgresAccessBatch {
    type SqlType = (BigInt, Nullable<Bool>);
}

impl QueryId for PostgresAccessBatch {
    type QueryId = Self;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl QueryFragment<Pg> for PostgresAccessBatch {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql(ANSWERS_FROM);
        out.push_bind_param::<Array<Text>, _>(&self.uais)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<BigInt>, _>(&self.user_ids)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<BigInt>, _>(&self.product_ids)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Integer>, _>(&self.viewer_kinds)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<BigInt>, _>(&self.viewer_ids)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Date>, _>(&self.days)?;
        out.push_sql(CHECKS_WITH_SCHOOLS);
        Ok(())
    }
}

impl RunQueryDsl<PgConnection> for PostgresAccessBatch {}
