//! Handing licences out and taking them back, whole or not at all.
//!
//! A change runs in one transaction that first touches the product's pools of the
//! audience (`UPDATE ... SET assigned = assigned`). On PostgreSQL that takes their row
//! locks, so concurrent changes of the same pools queue up, even from several server
//! processes; on SQLite it takes the database's write lock before anything is read.
//! Either way the counts read afterwards are exact until commit, and the
//! `CHECK (assigned BETWEEN 0 AND purchased)` and `UNIQUE (user_id, product_id)`
//! constraints stand behind the code.

use std::collections::{BTreeMap, HashMap};

use affecto_domain::{Audience, SeatShortage};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::licences::{school_pools, PoolRow};
use crate::schema::{assignment_events, assignments, licence_pools, users};
use crate::{DbConnection, StoreError};

/// Rows per INSERT statement, well under SQLite's limit on bound parameters.
const INSERT_CHUNK: usize = 500;

/// Through which door a change came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Web,
    Api,
    Cli,
    System,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Api => "api",
            Channel::Cli => "cli",
            Channel::System => "system",
        }
    }
}

/// Who made a change and how, as written in the audit record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// `admin:<id>`, `client:<client_id>`, `operator:<id>` or `system`.
    pub label: String,
    pub channel: Channel,
}

/// One change of one product's assignments, for one audience, in one school.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub school_id: i64,
    pub product_id: i64,
    pub audience: Audience,
    pub assign: &'a [i64],
    pub unassign: &'a [i64],
    pub actor: &'a Actor,
    /// Groups the audit events of this change.
    pub batch_id: &'a str,
    pub now: NaiveDateTime,
    pub today: NaiveDate,
}

/// What a change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChangeCounts {
    pub assigned: u32,
    pub unassigned: u32,
}

/// Why a change was refused; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("users unknown in this school: {0:?}")]
    UnknownUsers(Vec<i64>),
    #[error("users not of the {audience} audience: {ids:?}")]
    WrongAudience { audience: Audience, ids: Vec<i64> },
    #[error("the product has no {0} pool valid today")]
    NoValidPool(Audience),
    #[error(transparent)]
    NotEnough(SeatShortage),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for ChangeError {
    fn from(e: diesel::result::Error) -> Self {
        ChangeError::Store(StoreError::Query(e))
    }
}

/// Applies the change whole, or refuses it and writes nothing.
pub fn apply_change(
    conn: &mut DbConnection,
    change: &Change<'_>,
) -> Result<ChangeCounts, ChangeError> {
    conn.transaction(|conn| {
        lock_pools(conn, change)?;
        check_users(conn, change)?;
        let pools = audience_pools(conn, change)?;
        let held = current_assignments(conn, change)?;

        let mut plan = Plan::default();
        plan_unassignments(change, &held, &mut plan);
        plan_assignments(change, &pools, &held, &mut plan)?;
        write_plan(conn, change, &plan)?;
        Ok(plan.counts())
    })
}

fn lock_pools(conn: &mut DbConnection, change: &Change<'_>) -> QueryResult<usize> {
    diesel::update(
        licence_pools::table
            .filter(licence_pools::school_id.eq(change.school_id))
            .filter(licence_pools::product_id.eq(change.product_id))
            .filter(licence_pools::audience.eq(change.audience.as_str())),
    )
    .set(licence_pools::assigned.eq(licence_pools::assigned))
    .execute(conn)
}

fn named_users(change: &Change<'_>) -> Vec<i64> {
    change
        .assign
        .iter()
        .chain(change.unassign)
        .copied()
        .collect()
}

fn check_users(conn: &mut DbConnection, change: &Change<'_>) -> Result<(), ChangeError> {
    let named = named_users(change);
    let mut roles: HashMap<i64, String> = HashMap::with_capacity(named.len());
    for chunk in named.chunks(INSERT_CHUNK) {
        let found: Vec<(i64, String)> = users::table
            .filter(users::school_id.eq(change.school_id))
            .filter(users::id.eq_any(chunk))
            .select((users::id, users::role))
            .load(conn)?;
        roles.extend(found);
    }
    let unknown: Vec<i64> = named
        .iter()
        .copied()
        .filter(|id| !roles.contains_key(id))
        .collect();
    if !unknown.is_empty() {
        return Err(ChangeError::UnknownUsers(unknown));
    }
    let wrong: Vec<i64> = named
        .iter()
        .copied()
        .filter(|id| roles[id] != change.audience.as_str())
        .collect();
    if !wrong.is_empty() {
        return Err(ChangeError::WrongAudience {
            audience: change.audience,
            ids: wrong,
        });
    }
    Ok(())
}

fn audience_pools(
    conn: &mut DbConnection,
    change: &Change<'_>,
) -> Result<Vec<PoolRow>, StoreError> {
    let pools = school_pools(conn, change.school_id, Some(change.product_id))?;
    Ok(pools
        .into_iter()
        .filter(|p| p.audience() == Some(change.audience))
        .collect())
}

/// user id → (assignment id, pool id) for the named users' licences of the product.
fn current_assignments(
    conn: &mut DbConnection,
    change: &Change<'_>,
) -> Result<HashMap<i64, (i64, i64)>, StoreError> {
    let named = named_users(change);
    let mut held = HashMap::new();
    for chunk in named.chunks(INSERT_CHUNK) {
        let rows: Vec<(i64, i64, i64)> = assignments::table
            .filter(assignments::product_id.eq(change.product_id))
            .filter(assignments::user_id.eq_any(chunk))
            .select((assignments::user_id, assignments::id, assignments::pool_id))
            .load(conn)?;
        held.extend(rows.into_iter().map(|(user, id, pool)| (user, (id, pool))));
    }
    Ok(held)
}

/// The rows to delete and insert, and how each pool's count moves.
#[derive(Debug, Default)]
struct Plan {
    /// (assignment id, user id, pool id) to delete.
    removals: Vec<(i64, i64, i64)>,
    /// Of the removals, how many are licences taken back at the caller's request
    /// (the others are dead licences of expired pools being replaced).
    unassigned: u32,
    /// (user id, pool id) to insert.
    additions: Vec<(i64, i64)>,
    /// pool id → change of its assigned count.
    deltas: BTreeMap<i64, i32>,
}

impl Plan {
    fn remove(&mut self, assignment: i64, user: i64, pool: i64) {
        self.removals.push((assignment, user, pool));
        *self.deltas.entry(pool).or_default() -= 1;
    }

    fn add(&mut self, user: i64, pool: i64) {
        self.additions.push((user, pool));
        *self.deltas.entry(pool).or_default() += 1;
    }

    fn counts(&self) -> ChangeCounts {
        ChangeCounts {
            assigned: self.additions.len() as u32,
            unassigned: self.unassigned,
        }
    }
}

fn plan_unassignments(change: &Change<'_>, held: &HashMap<i64, (i64, i64)>, plan: &mut Plan) {
    for user in change.unassign {
        if let Some(&(assignment, pool)) = held.get(user) {
            plan.remove(assignment, *user, pool);
            plan.unassigned += 1;
        }
    }
}

/// Draws new licences from the valid pools that end last, so the seats that expire
/// soonest stay free for later; a licence held in an expired pool is replaced.
fn plan_assignments(
    change: &Change<'_>,
    pools: &[PoolRow],
    held: &HashMap<i64, (i64, i64)>,
    plan: &mut Plan,
) -> Result<(), ChangeError> {
    let valid: HashMap<i64, &PoolRow> = pools
        .iter()
        .filter(|p| p.is_valid_on(change.today))
        .map(|p| (p.id, p))
        .collect();
    let wanted: Vec<i64> = change
        .assign
        .iter()
        .copied()
        .filter(|user| {
            held.get(user)
                .is_none_or(|(_, pool)| !valid.contains_key(pool))
        })
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    if valid.is_empty() {
        return Err(ChangeError::NoValidPool(change.audience));
    }

    let mut order: Vec<&PoolRow> = valid.values().copied().collect();
    order.sort_by_key(|p| (std::cmp::Reverse(p.valid_until), p.id));
    let mut free: Vec<(i64, u32)> = order
        .iter()
        .map(|p| {
            let released = -plan.deltas.get(&p.id).copied().unwrap_or(0);
            (p.id, p.seats().available() + released.max(0) as u32)
        })
        .collect();
    let available: u32 = free.iter().map(|(_, n)| n).sum();
    if wanted.len() as u32 > available {
        return Err(ChangeError::NotEnough(SeatShortage {
            available,
            requested: wanted.len() as u32,
        }));
    }

    for user in wanted {
        if let Some(&(assignment, expired_pool)) = held.get(&user) {
            plan.remove(assignment, user, expired_pool);
        }
        let slot = free
            .iter_mut()
            .find(|(_, n)| *n > 0)
            .expect("enough seats were counted above");
        slot.1 -= 1;
        plan.add(user, slot.0);
    }
    Ok(())
}

fn write_plan(conn: &mut DbConnection, change: &Change<'_>, plan: &Plan) -> Result<(), StoreError> {
    let removed_ids: Vec<i64> = plan.removals.iter().map(|r| r.0).collect();
    for chunk in removed_ids.chunks(INSERT_CHUNK) {
        diesel::delete(assignments::table.filter(assignments::id.eq_any(chunk))).execute(conn)?;
    }
    for (&pool, &delta) in plan.deltas.iter().filter(|(_, d)| **d != 0) {
        diesel::update(licence_pools::table.find(pool))
            .set(licence_pools::assigned.eq(licence_pools::assigned + delta))
            .execute(conn)?;
    }
    insert_assignments(conn, change, &plan.additions)?;
    record_events(conn, change, plan)?;
    Ok(())
}

fn insert_assignments(
    conn: &mut DbConnection,
    change: &Change<'_>,
    additions: &[(i64, i64)],
) -> Result<(), StoreError> {
    for chunk in additions.chunks(INSERT_CHUNK) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|&(user, pool)| {
                (
                    assignments::pool_id.eq(pool),
                    assignments::school_id.eq(change.school_id),
                    assignments::product_id.eq(change.product_id),
                    assignments::user_id.eq(user),
                    assignments::assigned_at.eq(change.now),
                    assignments::assigned_by.eq(&change.actor.label),
                )
            })
            .collect();
        on_each_backend!(conn, c => diesel::insert_into(assignments::table).values(rows).execute(c))?;
    }
    Ok(())
}

fn record_events(
    conn: &mut DbConnection,
    change: &Change<'_>,
    plan: &Plan,
) -> Result<(), StoreError> {
    let removals = plan.removals.iter().map(|&(_, user, pool)| Event {
        action: "unassign",
        user,
        pool,
        product: change.product_id,
    });
    let additions = plan.additions.iter().map(|&(user, pool)| Event {
        action: "assign",
        user,
        pool,
        product: change.product_id,
    });
    let events: Vec<Event> = removals.chain(additions).collect();
    let context = EventContext {
        school_id: change.school_id,
        actor: change.actor,
        batch_id: change.batch_id,
        at: change.now,
    };
    Ok(append_events(conn, &context, &events)?)
}

/// One line of the audit record.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Event {
    pub action: &'static str,
    pub user: i64,
    pub pool: i64,
    pub product: i64,
}

/// What the events of one change share.
pub(crate) struct EventContext<'a> {
    pub school_id: i64,
    pub actor: &'a Actor,
    pub batch_id: &'a str,
    pub at: NaiveDateTime,
}

/// Appends events to the audit record, in as few statements as the backend allows.
pub(crate) fn append_events(
    conn: &mut DbConnection,
    context: &EventContext<'_>,
    events: &[Event],
) -> QueryResult<()> {
    for chunk in events.chunks(INSERT_CHUNK) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|event| {
                (
                    assignment_events::school_id.eq(context.school_id),
                    assignment_events::product_id.eq(event.product),
                    assignment_events::pool_id.eq(event.pool),
                    assignment_events::user_id.eq(event.user),
                    assignment_events::action.eq(event.action),
                    assignment_events::actor.eq(&context.actor.label),
                    assignment_events::channel.eq(context.actor.channel.as_str()),
                    assignment_events::batch_id.eq(context.batch_id),
                    assignment_events::at.eq(context.at),
                )
            })
            .collect();
        on_each_backend!(conn, c => diesel::insert_into(assignment_events::table).values(rows).execute(c))?;
    }
    Ok(())
}
