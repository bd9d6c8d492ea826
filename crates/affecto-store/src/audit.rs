//! Reading the audit record and the lists of licences held.

use affecto_api_types::{AssignmentRow, AuditEvent};
use affecto_domain::Audience;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::licences::pool_valid_on;
use crate::schema::{assignment_events, assignments, classes, licence_pools, products, users};
use crate::{DbConnection, StoreError};

/// Which events to read.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub product_id: Option<i64>,
    pub user_id: Option<i64>,
    /// Events at or after this instant (UTC).
    pub from: Option<NaiveDateTime>,
    /// Events before this instant (UTC).
    pub until: Option<NaiveDateTime>,
    /// Events with an id below this one: the next page.
    pub before: Option<i64>,
    pub limit: i64,
}

type EventRow = (
    i64,
    NaiveDateTime,
    String,
    i64,
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
);

/// A school's events, newest first, at most `filter.limit` of them.
pub fn events(
    conn: &mut DbConnection,
    school_id: i64,
    filter: &AuditFilter,
) -> Result<Vec<AuditEvent>, StoreError> {
    let mut query = assignment_events::table
        .inner_join(products::table.on(products::id.eq(assignment_events::product_id)))
        .left_join(users::table.on(users::id.eq(assignment_events::user_id)))
        .filter(assignment_events::school_id.eq(school_id))
        .select((
            assignment_events::id,
            assignment_events::at,
            assignment_events::action,
            assignment_events::product_id,
            products::title,
            assignment_events::user_id,
            users::login.nullable(),
            users::first_name.nullable(),
            users::last_name.nullable(),
            assignment_events::actor,
            assignment_events::channel,
            assignment_events::batch_id,
        ))
        .order(assignment_events::id.desc())
        .limit(filter.limit)
        .into_boxed();
    if let Some(product_id) = filter.product_id {
        query = query.filter(assignment_events::product_id.eq(product_id));
    }
    if let Some(user_id) = filter.user_id {
        query = query.filter(assignment_events::user_id.eq(user_id));
    }
    if let Some(from) = filter.from {
        query = query.filter(assignment_events::at.ge(from));
    }
    if let Some(until) = filter.until {
        query = query.filter(assignment_events::at.lt(until));
    }
    if let Some(before) = filter.before {
        query = query.filter(assignment_events::id.lt(before));
    }
    let rows: Vec<EventRow> = query.load(conn)?;
    Ok(rows.into_iter().map(to_event).collect())
}

fn to_event(row: EventRow) -> AuditEvent {
    let (
        id,
        at,
        action,
        product_id,
        product_title,
        user_id,
        login,
        first,
        last,
        actor,
        channel,
        batch_id,
    ) = row;
    AuditEvent {
        id,
        at: at.and_utc(),
        action,
        product_id,
        product_title,
        user_id,
        user_login: login,
        user_name: first
            .zip(last)
            .map(|(first, last)| format!("{first} {last}")),
        actor,
        channel,
        batch_id,
    }
}

/// Which licences to list: those of a product, or those held by a class's students.
#[derive(Debug, Clone, Copy)]
pub enum HeldBy {
    Product(i64),
    Class(i64),
}

type HeldRow = (
    i64,
    String,
    String,
    String,
    Option<String>,
    String,
    i64,
    String,
    NaiveDate,
    NaiveDateTime,
);

/// Licences valid today, by last name, first name then product.
pub fn held_licences(
    conn: &mut DbConnection,
    school_id: i64,
    held_by: HeldBy,
    today: NaiveDate,
) -> Result<Vec<AssignmentRow>, StoreError> {
    let mut query = assignments::table
        .inner_join(licence_pools::table)
        .inner_join(users::table.on(users::id.eq(assignments::user_id)))
        .inner_join(products::table.on(products::id.eq(assignments::product_id)))
        .left_join(classes::table.on(classes::id.nullable().eq(users::class_id)))
        .filter(assignments::school_id.eq(school_id))
        .filter(pool_valid_on(today))
        .select((
            users::id,
            users::first_name,
            users::last_name,
            users::login,
            classes::name.nullable(),
            licence_pools::audience,
            products::id,
            products::title,
            licence_pools::valid_until,
            assignments::assigned_at,
        ))
        .order((
            users::last_name,
            users::first_name,
            users::id,
            products::title,
        ))
        .into_boxed();
    query = match held_by {
        HeldBy::Product(product_id) => query.filter(assignments::product_id.eq(product_id)),
        HeldBy::Class(class_id) => query.filter(users::class_id.eq(class_id)),
    };
    let rows: Vec<HeldRow> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(
                user_id,
                first_name,
                last_name,
                login,
                class,
                audience,
                product_id,
                product_title,
                valid_until,
                assigned_at,
            )| {
                Some(AssignmentRow {
                    user_id,
                    first_name,
                    last_name,
                    login,
                    class,
                    audience: audience.parse::<Audience>().ok()?,
                    product_id,
                    product_title,
                    valid_until,
                    assigned_at: assigned_at.and_utc(),
                })
            },
        )
        .collect())
}
