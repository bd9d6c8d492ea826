//! Writing the catalogue, the directory and the licence pools: what the demo school,
//! the data generator and the imports build on.

use affecto_domain::{Audience, Level};
use chrono::NaiveDate;
use diesel::prelude::*;

use crate::schema::{
    classes, licence_pools, product_levels, product_subjects, products, subjects, teacher_subjects,
    users,
};
use crate::{DbConnection, StoreError};

/// A resource title to add to the catalogue.
#[derive(Debug, Clone)]
pub struct NewProduct<'a> {
    pub external_id: &'a str,
    pub kind: &'a str,
    pub title: &'a str,
    pub levels: &'a [Level],
    pub subjects: &'a [&'a str],
}

/// A student or teacher to add to a school's directory.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub role: Audience,
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    pub class_id: Option<i64>,
    pub subjects: Vec<String>,
}

/// The id of the subject with this name, created if new.
pub fn subject_id(conn: &mut DbConnection, name: &str) -> Result<i64, StoreError> {
    let found = subjects::table
        .filter(subjects::name.eq(name))
        .select(subjects::id)
        .first(conn)
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    diesel::insert_into(subjects::table)
        .values(subjects::name.eq(name))
        .execute(conn)?;
    Ok(subjects::table
        .filter(subjects::name.eq(name))
        .select(subjects::id)
        .first(conn)?)
}

/// The id of the product with this external id, created with these details if new.
pub fn ensure_product(
    conn: &mut DbConnection,
    product: &NewProduct<'_>,
) -> Result<i64, StoreError> {
    let by_external = products::table
        .filter(products::external_id.eq(product.external_id))
        .select(products::id);
    if let Some(id) = by_external.first(conn).optional()? {
        return Ok(id);
    }
    diesel::insert_into(products::table)
        .values((
            products::external_id.eq(product.external_id),
            products::kind.eq(product.kind),
            products::title.eq(product.title),
        ))
        .execute(conn)?;
    let id = by_external.first(conn)?;
    for level in product.levels {
        diesel::insert_into(product_levels::table)
            .values((
                product_levels::product_id.eq(id),
                product_levels::level.eq(level.as_str()),
            ))
            .execute(conn)?;
    }
    for name in product.subjects {
        let subject = subject_id(conn, name)?;
        diesel::insert_into(product_subjects::table)
            .values((
                product_subjects::product_id.eq(id),
                product_subjects::subject_id.eq(subject),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

/// Creates a class and returns its id.
pub fn create_class(
    conn: &mut DbConnection,
    school_id: i64,
    name: &str,
    level: Level,
) -> Result<i64, StoreError> {
    diesel::insert_into(classes::table)
        .values((
            classes::school_id.eq(school_id),
            classes::name.eq(name),
            classes::level.eq(level.as_str()),
        ))
        .execute(conn)?;
    Ok(classes::table
        .filter(classes::school_id.eq(school_id))
        .filter(classes::name.eq(name))
        .select(classes::id)
        .first(conn)?)
}

/// Adds people to a school's directory, with teachers' subjects; returns their ids in
/// the order given.
pub fn insert_people(
    conn: &mut DbConnection,
    school_id: i64,
    people: &[NewPerson],
) -> Result<Vec<i64>, StoreError> {
    for chunk in people.chunks(500) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|p| {
                (
                    users::school_id.eq(school_id),
                    users::role.eq(p.role.as_str()),
                    users::login.eq(&p.login),
                    users::first_name.eq(&p.first_name),
                    users::last_name.eq(&p.last_name),
                    users::class_id.eq(p.class_id),
                )
            })
            .collect();
        on_each_backend!(conn, c => diesel::insert_into(users::table).values(rows).execute(c))?;
    }
    let mut ids = Vec::with_capacity(people.len());
    for person in people {
        let id: i64 = users::table
            .filter(users::school_id.eq(school_id))
            .filter(users::login.eq(&person.login))
            .select(users::id)
            .first(conn)?;
        for name in &person.subjects {
            let subject = subject_id(conn, name)?;
            diesel::insert_into(teacher_subjects::table)
                .values((
                    teacher_subjects::user_id.eq(id),
                    teacher_subjects::subject_id.eq(subject),
                ))
                .execute(conn)?;
        }
        ids.push(id);
    }
    Ok(ids)
}

/// A licence pool to record: what one order bought for one audience.
#[derive(Debug, Clone)]
pub struct NewPool {
    pub school_id: i64,
    pub product_id: i64,
    pub audience: Audience,
    pub purchased: i32,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
}

/// Records a pool with no licence assigned yet and returns its id.
pub fn create_pool(conn: &mut DbConnection, pool: &NewPool) -> Result<i64, StoreError> {
    diesel::insert_into(licence_pools::table)
        .values((
            licence_pools::school_id.eq(pool.school_id),
            licence_pools::product_id.eq(pool.product_id),
            licence_pools::audience.eq(pool.audience.as_str()),
            licence_pools::purchased.eq(pool.purchased),
            licence_pools::assigned.eq(0),
            licence_pools::valid_from.eq(pool.valid_from),
            licence_pools::valid_until.eq(pool.valid_until),
        ))
        .execute(conn)?;
    Ok(licence_pools::table
        .filter(licence_pools::school_id.eq(pool.school_id))
        .filter(licence_pools::product_id.eq(pool.product_id))
        .order(licence_pools::id.desc())
        .select(licence_pools::id)
        .first(conn)?)
}
