//! "May this user open this resource?": the question ENT portals ask every time a
//! student or teacher opens a resource. One indexed read, or, on PostgreSQL, one
//! statement for a whole batch of questions asked at the same moment.

use affecto_api_types::{UserLicence, UserLicences};
use chrono::NaiveDate;
use diesel::dsl::exists;
use diesel::prelude::*;

use crate::access_batch::PostgresAccessBatch;
use crate::licences::{load_products, pool_valid_on};
use crate::schema::{assignments, licence_pools, schools, users};
use crate::schools::Viewer;
use crate::{DbConnection, StoreError};

/// One access check: who asks, and whether this user may open this product at the
/// school with this UAI on this day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessCheck {
    pub viewer: Viewer,
    pub uai: String,
    pub user_id: i64,
    pub product_id: i64,
    pub today: NaiveDate,
}

/// Whether the user holds a licence of the product from a pool valid today, at the
/// school with this UAI; `None` when the viewer may not see that school. The school
/// lookup, its visibility and the licence are answered by one statement: one round
/// trip to PostgreSQL, one read transaction on SQLite.
pub fn check_access(
    conn: &mut DbConnection,
    check: &AccessCheck,
) -> Result<Option<bool>, StoreError> {
    let holds = exists(
        assignments::table
            .inner_join(licence_pools::table)
            .filter(assignments::user_id.eq(check.user_id))
            .filter(assignments::product_id.eq(check.product_id))
            .filter(assignments::school_id.eq(schools::id))
            .filter(pool_valid_on(check.today)),
    );
    let by_uai = schools::table
        .filter(schools::uai.eq(&check.uai))
        .select(holds);
    let granted = visible_to!(check.viewer, by_uai, |query| {
        on_each_backend!(conn, c => query.get_result(c).optional())
    })?;
    Ok(granted)
}

/// The answers to several access checks, in their order, each as [`check_access`]
/// gives it. On PostgreSQL one statement answers them all, so that checks arriving
/// together share one round trip; on SQLite, where a read costs no round trip, they
/// are answered one by one.
pub fn check_access_batch(
    conn: &mut DbConnection,
    checks: &[AccessCheck],
) -> Result<Vec<Option<bool>>, StoreError> {
    if let DbConnection::Postgres(pg) = conn {
        return Ok(PostgresAccessBatch::new(checks).answer(pg)?);
    }
    checks
        .iter()
        .map(|check| check_access(conn, check))
        .collect()
}

/// The products a user of the school with this UAI may open today; `None` when the
/// viewer may not see that school or the school has no such user. The school, its
/// visibility, the user and their licences come from one statement, the products'
/// descriptions from a second.
pub fn user_licences(
    conn: &mut DbConnection,
    viewer: Viewer,
    uai: &str,
    user_id: i64,
    today: NaiveDate,
) -> Result<Option<UserLicences>, StoreError> {
    // One row per licence the user holds at the school, with the end of its pool, or
    // no end when that pool is not valid today; a single empty row for a user holding
    // none; no row at all when the school has no such user or the viewer may not see
    // it.
    let held = users::table
        .inner_join(schools::table)
        .left_join(
            assignments::table.on(assignments::user_id
                .eq(users::id)
                .and(assignments::school_id.eq(schools::id))),
        )
        .left_join(
            licence_pools::table.on(licence_pools::id
                .eq(assignments::pool_id)
                .and(pool_valid_on(today))),
        )
        .filter(schools::uai.eq(uai))
        .filter(users::id.eq(user_id))
        .select((
            assignments::product_id.nullable(),
            licence_pools::valid_until.nullable(),
        ));
    let rows: Vec<(Option<i64>, Option<NaiveDate>)> = visible_to!(viewer, held, |query| {
        on_each_backend!(&mut *conn, c => query.load(c))
    })?;
    if rows.is_empty() {
        return Ok(None);
    }
    let held: Vec<(i64, NaiveDate)> = rows
        .into_iter()
        .filter_map(|(product_id, valid_until)| Some((product_id?, valid_until?)))
        .collect();
    let ids: Vec<i64> = held.iter().map(|(id, _)| *id).collect();
    let mut catalogue = load_products(conn, &ids)?;
    let mut licences: Vec<UserLicence> = held
        .into_iter()
        .filter_map(|(id, valid_until)| {
            Some(UserLicence {
                product: catalogue.remove(&id)?,
                valid_until,
            })
        })
        .collect();
    licences.sort_by(|a, b| a.product.title.cmp(&b.product.title));
    Ok(Some(UserLicences { user_id, licences }))
}
