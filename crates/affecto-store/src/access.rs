//! "May this user open this resource?": the question ENT portals ask every time a
//! student or teacher opens a resource. One indexed read.

use affecto_api_types::{UserLicence, UserLicences};
use chrono::NaiveDate;
use diesel::dsl::exists;
use diesel::prelude::*;

use crate::licences::load_products;
use crate::schema::{assignments, licence_pools, users};
use crate::{DbConnection, StoreError};

/// Whether the user holds a licence of the product from a pool valid today.
pub fn has_access(
    conn: &mut DbConnection,
    school_id: i64,
    user_id: i64,
    product_id: i64,
    today: NaiveDate,
) -> Result<bool, StoreError> {
    let query = diesel::select(exists(
        assignments::table
            .inner_join(licence_pools::table)
            .filter(assignments::user_id.eq(user_id))
            .filter(assignments::product_id.eq(product_id))
            .filter(assignments::school_id.eq(school_id))
            .filter(licence_pools::valid_from.le(today))
            .filter(licence_pools::valid_until.ge(today)),
    ));
    // On the concrete connection, so that the statement stays prepared.
    let granted = on_each_backend!(conn, c => query.get_result(c))?;
    Ok(granted)
}

/// The products a user of the school may open today; `None` when the school has no
/// such user.
pub fn user_licences(
    conn: &mut DbConnection,
    school_id: i64,
    user_id: i64,
    today: NaiveDate,
) -> Result<Option<UserLicences>, StoreError> {
    let known: i64 = users::table
        .filter(users::id.eq(user_id))
        .filter(users::school_id.eq(school_id))
        .count()
        .get_result(conn)?;
    if known == 0 {
        return Ok(None);
    }
    let held: Vec<(i64, NaiveDate)> = assignments::table
        .inner_join(licence_pools::table)
        .filter(assignments::user_id.eq(user_id))
        .filter(assignments::school_id.eq(school_id))
        .filter(licence_pools::valid_from.le(today))
        .filter(licence_pools::valid_until.ge(today))
        .select((assignments::product_id, licence_pools::valid_until))
        .load(conn)?;
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
