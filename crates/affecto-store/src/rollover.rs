//! The yearly automatic unassignment ("désaffectation automatique"): on the configured
//! day, every student licence of a school goes back to its pool; teacher licences stay.
//!
//! It runs at most once per school and school year, whatever the number of server
//! processes: the `rollover_runs` row with `UNIQUE (school_id, school_year)` is written
//! in the same transaction as the release, so a second process either waits for the
//! first and finds the row, or fails to insert it and releases nothing.

use std::collections::BTreeMap;

use affecto_api_types::{RolloverRelease, RolloverRun};
use affecto_domain::{Audience, SchoolYear};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::assignments::{append_events, Actor, Channel, Event, EventContext};
use crate::schema::{assignments, licence_pools, products, rollover_runs, schools};
use crate::schools::SchoolRow;
use crate::{DbConnection, StoreError};

/// The student licences of a school the run would take back, by product.
pub fn releases(
    conn: &mut DbConnection,
    school_id: i64,
) -> Result<Vec<RolloverRelease>, StoreError> {
    let rows: Vec<(i64, String, i64)> = assignments::table
        .inner_join(licence_pools::table)
        .inner_join(products::table.on(products::id.eq(assignments::product_id)))
        .filter(assignments::school_id.eq(school_id))
        .filter(licence_pools::audience.eq(Audience::Student.as_str()))
        .group_by((products::id, products::title))
        .select((
            products::id,
            products::title,
            diesel::dsl::count(assignments::id),
        ))
        .order(products::title)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(product_id, title, n)| RolloverRelease {
            product_id,
            title,
            student_licences: n as u32,
        })
        .collect())
}

/// The latest run recorded for a school.
pub fn last_run(
    conn: &mut DbConnection,
    school_id: i64,
) -> Result<Option<RolloverRun>, StoreError> {
    let row: Option<(i32, NaiveDateTime, i32)> = rollover_runs::table
        .filter(rollover_runs::school_id.eq(school_id))
        .order(rollover_runs::school_year.desc())
        .select((
            rollover_runs::school_year,
            rollover_runs::ran_at,
            rollover_runs::released,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(year, ran_at, released)| RolloverRun {
        school_year: SchoolYear { end_year: year }.to_string(),
        ran_at: ran_at.and_utc(),
        released: released.max(0) as u32,
    }))
}

/// Whether the run of `school_year` has been recorded for the school.
pub fn is_done(
    conn: &mut DbConnection,
    school_id: i64,
    school_year: SchoolYear,
) -> Result<bool, StoreError> {
    let runs: i64 = rollover_runs::table
        .filter(rollover_runs::school_id.eq(school_id))
        .filter(rollover_runs::school_year.eq(school_year.end_year))
        .count()
        .get_result(conn)?;
    Ok(runs > 0)
}

/// Schools whose run of `school_year`, falling on `run_date`, is due: they existed
/// before that day and have no run recorded for that year. A school created after the
/// day has nothing of that year to give back.
pub fn due_schools(
    conn: &mut DbConnection,
    school_year: SchoolYear,
    run_date: NaiveDate,
) -> Result<Vec<SchoolRow>, StoreError> {
    let done = rollover_runs::table
        .filter(rollover_runs::school_year.eq(school_year.end_year))
        .select(rollover_runs::school_id);
    let created_before = run_date.and_hms_opt(0, 0, 0).expect("midnight exists");
    Ok(schools::table
        .filter(schools::id.ne_all(done))
        .filter(schools::created_at.lt(created_before))
        .select(SchoolRow::as_select())
        .order(schools::id)
        .load(conn)?)
}

/// Takes back every student licence of the school for `school_year` and records the
/// run, in one transaction. `Ok(None)` when that year's run was already recorded (by
/// this process or another one).
pub fn run(
    conn: &mut DbConnection,
    school_id: i64,
    school_year: SchoolYear,
    now: NaiveDateTime,
) -> Result<Option<u32>, StoreError> {
    let outcome = conn.transaction(|conn| {
        diesel::insert_into(rollover_runs::table)
            .values((
                rollover_runs::school_id.eq(school_id),
                rollover_runs::school_year.eq(school_year.end_year),
                rollover_runs::ran_at.eq(now),
                rollover_runs::released.eq(0),
            ))
            .execute(conn)?;
        let released = release_student_licences(conn, school_id, school_year, now)?;
        diesel::update(
            rollover_runs::table
                .filter(rollover_runs::school_id.eq(school_id))
                .filter(rollover_runs::school_year.eq(school_year.end_year)),
        )
        .set(rollover_runs::released.eq(released as i32))
        .execute(conn)?;
        Ok::<_, DieselError>(released)
    });
    match outcome {
        Ok(released) => Ok(Some(released)),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

fn release_student_licences(
    conn: &mut DbConnection,
    school_id: i64,
    school_year: SchoolYear,
    now: NaiveDateTime,
) -> QueryResult<u32> {
    // Lock the student pools first, as an assignment change does, so that no change
    // of the same pools interleaves with the release.
    diesel::update(
        licence_pools::table
            .filter(licence_pools::school_id.eq(school_id))
            .filter(licence_pools::audience.eq(Audience::Student.as_str())),
    )
    .set(licence_pools::assigned.eq(licence_pools::assigned))
    .execute(conn)?;
    let held: Vec<(i64, i64, i64, i64)> = assignments::table
        .inner_join(licence_pools::table)
        .filter(assignments::school_id.eq(school_id))
        .filter(licence_pools::audience.eq(Audience::Student.as_str()))
        .select((
            assignments::id,
            assignments::user_id,
            assignments::pool_id,
            assignments::product_id,
        ))
        .load(conn)?;
    let mut per_pool: BTreeMap<i64, i32> = BTreeMap::new();
    for (_, _, pool, _) in &held {
        *per_pool.entry(*pool).or_default() += 1;
    }
    for (pool, released) in &per_pool {
        diesel::update(licence_pools::table.find(pool))
            .set(licence_pools::assigned.eq(licence_pools::assigned - released))
            .execute(conn)?;
    }
    let ids: Vec<i64> = held.iter().map(|h| h.0).collect();
    for chunk in ids.chunks(500) {
        diesel::delete(assignments::table.filter(assignments::id.eq_any(chunk))).execute(conn)?;
    }
    let system = Actor {
        label: "system".into(),
        channel: Channel::System,
    };
    let batch_id = format!("rollover-{school_year}");
    let context = EventContext {
        school_id,
        actor: &system,
        batch_id: &batch_id,
        at: now,
    };
    let events: Vec<Event> = held
        .iter()
        .map(|&(_, user, pool, product)| Event {
            action: "unassign",
            user,
            pool,
            product,
        })
        .collect();
    append_events(conn, &context, &events)?;
    Ok(held.len() as u32)
}
