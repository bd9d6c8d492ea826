//! Writing an import plan, inside the import's transaction.

use std::collections::{BTreeMap, HashMap};

use affecto_domain::roster::{RosterClass, RosterPerson};
use affecto_domain::Audience;
use diesel::prelude::*;

use super::plan::{ExistingPerson, ImportPlan, PersonUpdate, SchoolState};
use super::{Import, ImportError};
use crate::catalogue::subject_id;
use crate::schema::{
    assignment_events, assignments, classes, licence_pools, subjects, teacher_subjects, users,
};
use crate::{DbConnection, StoreError};

/// Rows per statement, well under SQLite's limit on bound parameters.
const CHUNK: usize = 500;

/// A licence held by someone the import removes or moves to the other audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Held {
    assignment: i64,
    user: i64,
    pool: i64,
    product: i64,
}

/// The licences the plan takes back: all those of the people removed, and those of
/// the former audience of the people whose role changes.
pub(super) fn seats_to_release(
    conn: &mut DbConnection,
    plan: &ImportPlan<'_>,
) -> Result<Vec<Held>, StoreError> {
    let mut held = held_by(conn, &plan.removals, None)?;
    for role in Audience::ALL {
        let changed: Vec<i64> = plan
            .updates
            .iter()
            .filter(|u| u.role_changed && u.person.role == role)
            .map(|u| u.id)
            .collect();
        held.extend(held_by(conn, &changed, Some(role))?);
    }
    Ok(held)
}

/// The licences these users hold, but for those of `keep_audience`'s pools.
fn held_by(
    conn: &mut DbConnection,
    user_ids: &[i64],
    keep_audience: Option<Audience>,
) -> Result<Vec<Held>, StoreError> {
    let mut held = Vec::new();
    for chunk in user_ids.chunks(CHUNK) {
        let mut query = assignments::table
            .inner_join(licence_pools::table)
            .filter(assignments::user_id.eq_any(chunk))
            .select((
                assignments::id,
                assignments::user_id,
                assignments::pool_id,
                assignments::product_id,
            ))
            .into_boxed();
        if let Some(audience) = keep_audience {
            query = query.filter(licence_pools::audience.ne(audience.as_str()));
        }
        let rows: Vec<(i64, i64, i64, i64)> = query.load(conn)?;
        held.extend(
            rows.into_iter()
                .map(|(assignment, user, pool, product)| Held {
                    assignment,
                    user,
                    pool,
                    product,
                }),
        );
    }
    Ok(held)
}

/// Writes the plan; returns how many licences went back to their pools.
pub(super) fn apply_plan(
    conn: &mut DbConnection,
    import: &Import<'_>,
    state: &SchoolState,
    plan: &ImportPlan<'_>,
) -> Result<u32, ImportError> {
    let class_ids = write_classes(conn, import.school_id, state, plan)?;
    let held = seats_to_release(conn, plan)?;
    release(conn, import, &held)?;
    for chunk in plan.removals.chunks(CHUNK) {
        diesel::delete(users::table.filter(users::id.eq_any(chunk))).execute(conn)?;
    }

    let mut subjects = SubjectIds::load(conn)?;
    update_people(conn, state, plan, &class_ids)?;
    let retaught: Vec<(i64, &RosterPerson)> = plan
        .updates
        .iter()
        .filter(|u| u.subjects_changed || u.role_changed)
        .map(|u| (u.id, u.person))
        .collect();
    replace_subjects(conn, &mut subjects, &retaught)?;
    create_people(
        conn,
        import.school_id,
        &plan.creations,
        &class_ids,
        &mut subjects,
    )?;

    for chunk in plan.removed_classes.chunks(CHUNK) {
        diesel::delete(classes::table.filter(classes::id.eq_any(chunk))).execute(conn)?;
    }
    Ok(held.len() as u32)
}

/// Creates the new classes, re-levels the changed ones; returns every class id by name.
fn write_classes(
    conn: &mut DbConnection,
    school_id: i64,
    state: &SchoolState,
    plan: &ImportPlan<'_>,
) -> Result<HashMap<String, i64>, StoreError> {
    let rows: Vec<_> = plan
        .new_classes
        .iter()
        .map(|c: &&RosterClass| {
            (
                classes::school_id.eq(school_id),
                classes::name.eq(c.name.as_str()),
                classes::level.eq(c.level.as_str()),
            )
        })
        .collect();
    for chunk in rows.chunks(CHUNK) {
        let chunk = chunk.to_vec();
        on_each_backend!(conn, c => diesel::insert_into(classes::table).values(chunk).execute(c))?;
    }
    for (id, level) in &plan.relevelled_classes {
        diesel::update(classes::table.find(id))
            .set(classes::level.eq(level.as_str()))
            .execute(conn)?;
    }
    let mut ids: HashMap<String, i64> = state
        .classes
        .iter()
        .map(|c| (c.name.clone(), c.id))
        .collect();
    if !plan.new_classes.is_empty() {
        let all: Vec<(i64, String)> = classes::table
            .filter(classes::school_id.eq(school_id))
            .select((classes::id, classes::name))
            .load(conn)?;
        ids.extend(all.into_iter().map(|(id, name)| (name, id)));
    }
    Ok(ids)
}

/// Takes the licences back: assignment rows deleted, pool counts decremented, one
/// `unassign` event each, as an unassignment does.
fn release(conn: &mut DbConnection, import: &Import<'_>, held: &[Held]) -> QueryResult<()> {
    let ids: Vec<i64> = held.iter().map(|h| h.assignment).collect();
    for chunk in ids.chunks(CHUNK) {
        diesel::delete(assignments::table.filter(assignments::id.eq_any(chunk))).execute(conn)?;
    }
    let mut per_pool: BTreeMap<i64, i32> = BTreeMap::new();
    for h in held {
        *per_pool.entry(h.pool).or_default() += 1;
    }
    for (pool, released) in per_pool {
        diesel::update(licence_pools::table.find(pool))
            .set(licence_pools::assigned.eq(licence_pools::assigned - released))
            .execute(conn)?;
    }
    for chunk in held.chunks(CHUNK) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|h| {
                (
                    assignment_events::school_id.eq(import.school_id),
                    assignment_events::product_id.eq(h.product),
                    assignment_events::pool_id.eq(h.pool),
                    assignment_events::user_id.eq(h.user),
                    assignment_events::action.eq("unassign"),
                    assignment_events::actor.eq(&import.actor.label),
                    assignment_events::channel.eq(import.actor.channel.as_str()),
                    assignment_events::batch_id.eq(import.batch_id),
                    assignment_events::at.eq(import.now),
                )
            })
            .collect();
        on_each_backend!(conn, c => diesel::insert_into(assignment_events::table).values(rows).execute(c))?;
    }
    Ok(())
}

/// Updates the people found again. Logins and source ids that change are first set
/// aside, so that two people may swap them within one import.
fn update_people(
    conn: &mut DbConnection,
    state: &SchoolState,
    plan: &ImportPlan<'_>,
    class_ids: &HashMap<String, i64>,
) -> QueryResult<()> {
    for update in plan.updates.iter().filter(|u| u.login_changed) {
        // No login of a file holds a space, so this stand-in collides with none.
        diesel::update(users::table.find(update.id))
            .set(users::login.eq(format!("moving {}", update.id)))
            .execute(conn)?;
    }
    let moving_sources: Vec<i64> = plan
        .updates
        .iter()
        .filter(|u| u.source_id_changed)
        .map(|u| u.id)
        .collect();
    for chunk in moving_sources.chunks(CHUNK) {
        diesel::update(users::table.filter(users::id.eq_any(chunk)))
            .set(users::source_id.eq(None::<String>))
            .execute(conn)?;
    }
    let before: HashMap<i64, &ExistingPerson> = state.people.iter().map(|p| (p.id, p)).collect();
    let mut moves: BTreeMap<Option<i64>, Vec<i64>> = BTreeMap::new();
    for update in &plan.updates {
        if update.row_changed() {
            let kept_source = before.get(&update.id).and_then(|p| p.source_id.clone());
            update_person(conn, update, kept_source, class_ids)?;
        } else {
            moves
                .entry(class_of(update.person, class_ids))
                .or_default()
                .push(update.id);
        }
    }
    for (class_id, people) in moves {
        for chunk in people.chunks(CHUNK) {
            diesel::update(users::table.filter(users::id.eq_any(chunk)))
                .set(users::class_id.eq(class_id))
                .execute(conn)?;
        }
    }
    Ok(())
}

fn class_of(person: &RosterPerson, class_ids: &HashMap<String, i64>) -> Option<i64> {
    person
        .class
        .as_ref()
        .and_then(|name| class_ids.get(name).copied())
}

fn update_person(
    conn: &mut DbConnection,
    update: &PersonUpdate<'_>,
    kept_source: Option<String>,
    class_ids: &HashMap<String, i64>,
) -> QueryResult<usize> {
    let person = update.person;
    let class_id = class_of(person, class_ids);
    diesel::update(users::table.find(update.id))
        .set((
            users::role.eq(person.role.as_str()),
            users::login.eq(&person.login),
            users::source_id.eq(person.source_id.clone().or(kept_source)),
            users::first_name.eq(&person.first_name),
            users::last_name.eq(&person.last_name),
            users::class_id.eq(class_id),
        ))
        .execute(conn)
}

fn create_people(
    conn: &mut DbConnection,
    school_id: i64,
    people: &[&RosterPerson],
    class_ids: &HashMap<String, i64>,
    subjects: &mut SubjectIds,
) -> Result<(), StoreError> {
    for chunk in people.chunks(CHUNK) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|p| {
                let class_id = class_of(p, class_ids);
                (
                    users::school_id.eq(school_id),
                    users::role.eq(p.role.as_str()),
                    users::login.eq(p.login.as_str()),
                    users::source_id.eq(p.source_id.as_deref()),
                    users::first_name.eq(p.first_name.as_str()),
                    users::last_name.eq(p.last_name.as_str()),
                    users::class_id.eq(class_id),
                )
            })
            .collect();
        on_each_backend!(conn, c => diesel::insert_into(users::table).values(rows).execute(c))?;
    }
    let teachers: Vec<&RosterPerson> = people
        .iter()
        .copied()
        .filter(|p| !p.subjects.is_empty())
        .collect();
    let mut taught = Vec::with_capacity(teachers.len());
    for chunk in teachers.chunks(CHUNK) {
        let logins: Vec<&str> = chunk.iter().map(|p| p.login.as_str()).collect();
        let ids: HashMap<String, i64> = users::table
            .filter(users::school_id.eq(school_id))
            .filter(users::login.eq_any(&logins))
            .select((users::login, users::id))
            .load::<(String, i64)>(conn)?
            .into_iter()
            .collect();
        taught.extend(chunk.iter().filter_map(|p| Some((*ids.get(&p.login)?, *p))));
    }
    insert_subjects(conn, subjects, &taught)
}

/// Replaces the subjects of people found again: those of the file for a teacher,
/// none for a student.
fn replace_subjects(
    conn: &mut DbConnection,
    subjects: &mut SubjectIds,
    people: &[(i64, &RosterPerson)],
) -> Result<(), StoreError> {
    let ids: Vec<i64> = people.iter().map(|(id, _)| *id).collect();
    for chunk in ids.chunks(CHUNK) {
        diesel::delete(teacher_subjects::table.filter(teacher_subjects::user_id.eq_any(chunk)))
            .execute(conn)?;
    }
    insert_subjects(conn, subjects, people)
}

fn insert_subjects(
    conn: &mut DbConnection,
    subjects: &mut SubjectIds,
    people: &[(i64, &RosterPerson)],
) -> Result<(), StoreError> {
    let mut rows = Vec::new();
    for (user, person) in people {
        if person.role != Audience::Teacher {
            continue;
        }
        for name in &person.subjects {
            let subject = subjects.id(conn, name)?;
            rows.push((
                teacher_subjects::user_id.eq(*user),
                teacher_subjects::subject_id.eq(subject),
            ));
        }
    }
    for chunk in rows.chunks(CHUNK) {
        let chunk = chunk.to_vec();
        on_each_backend!(conn, c => diesel::insert_into(teacher_subjects::table).values(chunk).execute(c))?;
    }
    Ok(())
}

/// The ids of the subjects by name, read once and completed as new ones are created.
struct SubjectIds(HashMap<String, i64>);

impl SubjectIds {
    fn load(conn: &mut DbConnection) -> QueryResult<Self> {
        let all: Vec<(String, i64)> = subjects::table
            .select((subjects::name, subjects::id))
            .load(conn)?;
        Ok(Self(all.into_iter().collect()))
    }

    fn id(&mut self, conn: &mut DbConnection, name: &str) -> Result<i64, StoreError> {
        if let Some(id) = self.0.get(name) {
            return Ok(*id);
        }
        let id = subject_id(conn, name)?;
        self.0.insert(name.to_owned(), id);
        Ok(id)
    }
}
