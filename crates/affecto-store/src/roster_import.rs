//! Importing a school's directory ("référentiel") from a checked [`Roster`].
//!
//! An import is one transaction. It first touches the school's row and all its licence
//! pools (`UPDATE ... SET x = x`): on SQLite that takes the write lock before anything
//! is read, on PostgreSQL it queues the import behind any assignment change of the
//! school, which locks the same pools. People are matched by source id, then by login,
//! and updated in place, so a student who changed class keeps their licences. In a
//! sync, people the file no longer lists are removed; their licences go back to their
//! pools with the same bookkeeping as an unassignment (`licence_pools.assigned`
//! decremented, one `unassign` event each, under the import's batch id).

mod apply;
mod plan;

use affecto_api_types::{RosterFormat, RosterImportMode, RosterImportOutcome};
use affecto_domain::roster::Roster;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::assignments::Actor;
use crate::schema::{licence_pools, roster_imports, schools};
use crate::{DbConnection, StoreError};

pub use plan::{plan_import, ExistingPerson, ImportPlan, PersonUpdate};

/// One import of one school's directory.
#[derive(Debug, Clone)]
pub struct Import<'a> {
    pub school_id: i64,
    pub roster: &'a Roster,
    pub format: RosterFormat,
    pub mode: RosterImportMode,
    /// Answer what would change, changing nothing.
    pub dry_run: bool,
    /// Accept a sync that removes more than a quarter of the school's people.
    pub confirm_removals: bool,
    pub actor: &'a Actor,
    /// Groups the audit events of this import.
    pub batch_id: &'a str,
    pub now: NaiveDateTime,
}

/// Why an import was refused; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the import would remove {removing} of the school's {people} people; confirm the removals to go on")]
    RemovalsNeedConfirmation { removing: u32, people: u32 },
    #[error("logins of the file belong to other people of the school: {0:?}")]
    LoginsInUse(Vec<String>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for ImportError {
    fn from(e: diesel::result::Error) -> Self {
        ImportError::Store(StoreError::Query(e))
    }
}

/// Whether removing `removing` of `people` is more than a quarter of the school: more
/// likely a partial file than a mass departure.
pub fn removals_need_confirmation(removing: u32, people: u32) -> bool {
    u64::from(removing) * 4 > u64::from(people)
}

/// Imports the roster into the school's directory, or, for a dry run, tells what the
/// import would do.
pub fn import_roster(
    conn: &mut DbConnection,
    import: &Import<'_>,
) -> Result<RosterImportOutcome, ImportError> {
    if import.dry_run {
        let state = plan::load_state(conn, import.school_id)?;
        let plan = plan_import(&state, import.roster, import.mode);
        if !plan.logins_in_use.is_empty() {
            return Err(ImportError::LoginsInUse(plan.logins_in_use));
        }
        let seats = apply::seats_to_release(conn, &plan)?.len() as u32;
        return Ok(outcome(import, &plan, seats));
    }
    conn.transaction(|conn| {
        lock_school(conn, import.school_id)?;
        let state = plan::load_state(conn, import.school_id)?;
        let plan = plan_import(&state, import.roster, import.mode);
        if !plan.logins_in_use.is_empty() {
            return Err(ImportError::LoginsInUse(plan.logins_in_use));
        }
        let removing = plan.removals.len() as u32;
        if removals_need_confirmation(removing, plan.people_before) && !import.confirm_removals {
            return Err(ImportError::RemovalsNeedConfirmation {
                removing,
                people: plan.people_before,
            });
        }
        let released = apply::apply_plan(conn, import, &state, &plan)?;
        let result = outcome(import, &plan, released);
        record_import(conn, import, &result)?;
        Ok(result)
    })
}

/// Takes the school's write lock before anything is read.
fn lock_school(conn: &mut DbConnection, school_id: i64) -> QueryResult<()> {
    diesel::update(schools::table.find(school_id))
        .set(schools::name.eq(schools::name))
        .execute(conn)?;
    diesel::update(licence_pools::table.filter(licence_pools::school_id.eq(school_id)))
        .set(licence_pools::assigned.eq(licence_pools::assigned))
        .execute(conn)?;
    Ok(())
}

fn outcome(import: &Import<'_>, plan: &ImportPlan<'_>, seats_released: u32) -> RosterImportOutcome {
    let removing = plan.removals.len() as u32;
    RosterImportOutcome {
        dry_run: import.dry_run,
        mode: import.mode,
        format: import.format,
        created: plan.creations.len() as u32,
        updated: plan.updates.len() as u32,
        unchanged: plan.unchanged,
        removed: removing,
        seats_released,
        classes_created: plan.new_classes.len() as u32,
        classes_removed: plan.removed_classes.len() as u32,
        ignored: import.roster.ignored,
        people_before: plan.people_before,
        removals_need_confirmation: removals_need_confirmation(removing, plan.people_before),
    }
}

fn record_import(
    conn: &mut DbConnection,
    import: &Import<'_>,
    outcome: &RosterImportOutcome,
) -> QueryResult<usize> {
    let count = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    diesel::insert_into(roster_imports::table)
        .values((
            roster_imports::school_id.eq(import.school_id),
            roster_imports::batch_id.eq(import.batch_id),
            roster_imports::actor.eq(&import.actor.label),
            roster_imports::channel.eq(import.actor.channel.as_str()),
            roster_imports::format.eq(import.format.as_str()),
            roster_imports::mode.eq(import.mode.as_str()),
            roster_imports::created.eq(count(outcome.created)),
            roster_imports::updated.eq(count(outcome.updated)),
            roster_imports::removed.eq(count(outcome.removed)),
            roster_imports::seats_released.eq(count(outcome.seats_released)),
            roster_imports::at.eq(import.now),
        ))
        .execute(conn)
}
