//! What an import changes: the file's people matched against the school's, decided
//! before anything is written, without the database so that it can be tested alone.

use std::collections::{BTreeSet, HashMap, HashSet};

use affecto_api_types::RosterImportMode;
use affecto_domain::roster::{Roster, RosterClass, RosterPerson};
use affecto_domain::{Audience, Level};
use diesel::prelude::*;

use crate::schema::{classes, subjects, teacher_subjects, users};
use crate::{DbConnection, StoreError};

/// A person of the school's directory before the import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingPerson {
    pub id: i64,
    pub role: Option<Audience>,
    pub login: String,
    pub source_id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub class_id: Option<i64>,
    pub subjects: BTreeSet<String>,
}

/// A class of the school before the import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingClass {
    pub id: i64,
    pub name: String,
    pub level: Option<Level>,
}

/// The school's directory before the import.
#[derive(Debug, Clone, Default)]
pub struct SchoolState {
    pub people: Vec<ExistingPerson>,
    pub classes: Vec<ExistingClass>,
}

/// A person found again whose details change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonUpdate<'r> {
    pub id: i64,
    pub person: &'r RosterPerson,
    pub login_changed: bool,
    pub source_id_changed: bool,
    /// A student who became a teacher or the reverse: the licences of their former
    /// audience are taken back.
    pub role_changed: bool,
    pub subjects_changed: bool,
    /// First or last name changed.
    pub names_changed: bool,
}

impl PersonUpdate<'_> {
    /// Whether the person's row changes beyond their class (a class move alone is
    /// written for a whole class at once).
    pub fn row_changed(&self) -> bool {
        self.login_changed || self.source_id_changed || self.role_changed || self.names_changed
    }
}

/// Everything an import changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPlan<'r> {
    pub people_before: u32,
    pub creations: Vec<&'r RosterPerson>,
    pub updates: Vec<PersonUpdate<'r>>,
    pub unchanged: u32,
    /// Ids of the people the file no longer lists (sync only).
    pub removals: Vec<i64>,
    pub new_classes: Vec<&'r RosterClass>,
    /// Classes whose level changed: (id, new level).
    pub relevelled_classes: Vec<(i64, Level)>,
    /// Ids of the classes the file no longer names (sync only).
    pub removed_classes: Vec<i64>,
    /// Logins of the file held by another person of the school, who stays (upsert
    /// only: a sync removes them first).
    pub logins_in_use: Vec<String>,
}

/// Reads the school's people, their subjects and its classes.
pub fn load_state(conn: &mut DbConnection, school_id: i64) -> Result<SchoolState, StoreError> {
    type PersonColumns = (
        i64,
        String,
        String,
        Option<String>,
        String,
        String,
        Option<i64>,
    );
    let rows: Vec<PersonColumns> = users::table
        .filter(users::school_id.eq(school_id))
        .select((
            users::id,
            users::role,
            users::login,
            users::source_id,
            users::first_name,
            users::last_name,
            users::class_id,
        ))
        .load(conn)?;
    let taught: Vec<(i64, String)> = teacher_subjects::table
        .inner_join(subjects::table)
        .inner_join(users::table)
        .filter(users::school_id.eq(school_id))
        .select((teacher_subjects::user_id, subjects::name))
        .load(conn)?;
    let mut subjects_of: HashMap<i64, BTreeSet<String>> = HashMap::new();
    for (user, name) in taught {
        subjects_of.entry(user).or_default().insert(name);
    }
    let people = rows
        .into_iter()
        .map(
            |(id, role, login, source_id, first_name, last_name, class_id)| ExistingPerson {
                id,
                role: role.parse().ok(),
                login,
                source_id,
                first_name,
                last_name,
                class_id,
                subjects: subjects_of.remove(&id).unwrap_or_default(),
            },
        )
        .collect();
    let classes: Vec<(i64, String, String)> = classes::table
        .filter(classes::school_id.eq(school_id))
        .select((classes::id, classes::name, classes::level))
        .load(conn)?;
    let classes = classes
        .into_iter()
        .map(|(id, name, level)| ExistingClass {
            id,
            name,
            level: level.parse().ok(),
        })
        .collect();
    Ok(SchoolState { people, classes })
}

/// Matches the file's people with the school's (by source id, then by login) and
/// decides what to create, update and remove.
pub fn plan_import<'r>(
    state: &SchoolState,
    roster: &'r Roster,
    mode: RosterImportMode,
) -> ImportPlan<'r> {
    let mut plan = ImportPlan {
        people_before: state.people.len() as u32,
        ..ImportPlan::default()
    };
    plan_classes(state, roster, mode, &mut plan);
    let class_names: HashMap<i64, &str> = state
        .classes
        .iter()
        .map(|c| (c.id, c.name.as_str()))
        .collect();

    let matches = match_people(&state.people, &roster.people);
    let mut kept: HashSet<usize> = HashSet::with_capacity(matches.len());
    for (person, found) in roster.people.iter().zip(matches) {
        let Some(index) = found else {
            plan.creations.push(person);
            continue;
        };
        kept.insert(index);
        let existing = &state.people[index];
        match compare(existing, person, &class_names) {
            Some(update) => plan.updates.push(update),
            None => plan.unchanged += 1,
        }
    }
    let unmatched = (0..state.people.len()).filter(|i| !kept.contains(i));
    match mode {
        RosterImportMode::Sync => {
            plan.removals = unmatched.map(|i| state.people[i].id).collect();
        }
        RosterImportMode::Upsert => {
            let file_logins: HashSet<&str> =
                roster.people.iter().map(|p| p.login.as_str()).collect();
            plan.logins_in_use = unmatched
                .map(|i| &state.people[i].login)
                .filter(|login| file_logins.contains(login.as_str()))
                .cloned()
                .collect();
        }
    }
    plan
}

fn plan_classes<'r>(
    state: &SchoolState,
    roster: &'r Roster,
    mode: RosterImportMode,
    plan: &mut ImportPlan<'r>,
) {
    let existing: HashMap<&str, &ExistingClass> =
        state.classes.iter().map(|c| (c.name.as_str(), c)).collect();
    for class in &roster.classes {
        match existing.get(class.name.as_str()) {
            None => plan.new_classes.push(class),
            Some(known) if known.level != Some(class.level) => {
                plan.relevelled_classes.push((known.id, class.level));
            }
            Some(_) => {}
        }
    }
    if mode == RosterImportMode::Sync {
        let named: HashSet<&str> = roster.classes.iter().map(|c| c.name.as_str()).collect();
        plan.removed_classes = state
            .classes
            .iter()
            .filter(|c| !named.contains(c.name.as_str()))
            .map(|c| c.id)
            .collect();
    }
}

/// For each person of the file, the index of the school's person they are: the one
/// with their source id, else the one with their login. Nobody is matched twice.
fn match_people(existing: &[ExistingPerson], file: &[RosterPerson]) -> Vec<Option<usize>> {
    let by_source: HashMap<&str, usize> = existing
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((p.source_id.as_deref()?, i)))
        .collect();
    let by_login: HashMap<&str, usize> = existing
        .iter()
        .enumerate()
        .map(|(i, p)| (p.login.as_str(), i))
        .collect();
    let mut taken = vec![false; existing.len()];
    let mut matches = vec![None; file.len()];
    // Source ids first: they are the stronger identity, and a login may have moved.
    for (slot, person) in matches.iter_mut().zip(file) {
        let found = person.source_id.as_deref().and_then(|s| by_source.get(s));
        if let Some(&index) = found {
            taken[index] = true;
            *slot = Some(index);
        }
    }
    for (slot, person) in matches.iter_mut().zip(file) {
        if slot.is_some() {
            continue;
        }
        if let Some(&index) = by_login.get(person.login.as_str()) {
            let other_identity = matches!(
                (&existing[index].source_id, &person.source_id),
                (Some(known), Some(given)) if known != given
            );
            if !taken[index] && !other_identity {
                taken[index] = true;
                *slot = Some(index);
            }
        }
    }
    matches
}

/// The update that brings `existing` in line with the file, if anything differs.
fn compare<'r>(
    existing: &ExistingPerson,
    person: &'r RosterPerson,
    class_names: &HashMap<i64, &str>,
) -> Option<PersonUpdate<'r>> {
    let current_class = existing
        .class_id
        .and_then(|id| class_names.get(&id).copied());
    let wanted_subjects: BTreeSet<String> = person.subjects.iter().cloned().collect();
    let update = PersonUpdate {
        id: existing.id,
        person,
        login_changed: existing.login != person.login,
        source_id_changed: person.source_id.is_some() && existing.source_id != person.source_id,
        role_changed: existing.role != Some(person.role),
        subjects_changed: existing.subjects != wanted_subjects,
        names_changed: existing.first_name != person.first_name
            || existing.last_name != person.last_name,
    };
    let class_changed = current_class != person.class.as_deref();
    let changed = class_changed || update.row_changed() || update.subjects_changed;
    changed.then_some(update)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn existing(id: i64, login: &str, class_id: Option<i64>) -> ExistingPerson {
        ExistingPerson {
            id,
            role: Some(Audience::Student),
            login: login.into(),
            source_id: None,
            first_name: "Emma".into(),
            last_name: "Martin".into(),
            class_id,
            subjects: BTreeSet::new(),
        }
    }

    fn listed(login: &str, class: &str) -> RosterPerson {
        RosterPerson {
            role: Audience::Student,
            login: login.into(),
            source_id: None,
            first_name: "Emma".into(),
            last_name: "Martin".into(),
            class: Some(class.into()),
            subjects: vec![],
        }
    }

    fn class(id: i64, name: &str, level: Level) -> ExistingClass {
        ExistingClass {
            id,
            name: name.into(),
            level: Some(level),
        }
    }

    fn roster(people: Vec<RosterPerson>, classes: &[(&str, Level)]) -> Roster {
        Roster {
            classes: classes
                .iter()
                .map(|(name, level)| RosterClass {
                    name: (*name).into(),
                    level: *level,
                })
                .collect(),
            people,
            ignored: 0,
        }
    }

    #[test]
    fn a_student_who_changed_class_is_updated_not_replaced() {
        let state = SchoolState {
            people: vec![existing(1, "e1", Some(10)), existing(2, "e2", Some(10))],
            classes: vec![class(10, "6e A", Level::Sixieme)],
        };
        let file = roster(
            vec![listed("e1", "6e B"), listed("e2", "6e A")],
            &[("6e A", Level::Sixieme), ("6e B", Level::Sixieme)],
        );

        let plan = plan_import(&state, &file, RosterImportMode::Sync);

        assert_eq!(plan.updates.len(), 1);
        assert_eq!(plan.updates[0].id, 1);
        assert!(!plan.updates[0].role_changed);
        assert_eq!(plan.unchanged, 1);
        assert!(plan.creations.is_empty() && plan.removals.is_empty());
        assert_eq!(plan.new_classes.len(), 1);
    }

    #[test]
    fn a_sync_removes_the_unlisted_and_an_upsert_does_not() {
        let state = SchoolState {
            people: vec![existing(1, "e1", Some(10)), existing(2, "e2", Some(10))],
            classes: vec![
                class(10, "6e A", Level::Sixieme),
                class(11, "CM2", Level::Sixieme),
            ],
        };
        let file = roster(
            vec![listed("e1", "6e A"), listed("e3", "6e A")],
            &[("6e A", Level::Sixieme)],
        );

        let sync = plan_import(&state, &file, RosterImportMode::Sync);
        assert_eq!(sync.removals, [2]);
        assert_eq!(sync.removed_classes, [11]);
        assert_eq!(sync.creations.len(), 1);

        let upsert = plan_import(&state, &file, RosterImportMode::Upsert);
        assert!(upsert.removals.is_empty() && upsert.removed_classes.is_empty());
    }

    #[test]
    fn a_source_id_finds_a_person_whose_login_changed() {
        let mut known = existing(1, "old-login", None);
        known.source_id = Some("sis-1".into());
        let state = SchoolState {
            people: vec![known],
            classes: vec![class(10, "6e A", Level::Sixieme)],
        };
        let mut person = listed("new-login", "6e A");
        person.source_id = Some("sis-1".into());
        let file = roster(vec![person], &[("6e A", Level::Sixieme)]);

        let plan = plan_import(&state, &file, RosterImportMode::Sync);

        assert_eq!(plan.updates.len(), 1);
        assert!(plan.updates[0].login_changed);
        assert!(plan.removals.is_empty());
    }

    #[test]
    fn a_login_held_by_another_identity_is_not_matched() {
        let mut known = existing(1, "e1", None);
        known.source_id = Some("sis-1".into());
        let state = SchoolState {
            people: vec![known],
            classes: vec![],
        };
        let mut person = listed("e1", "6e A");
        person.source_id = Some("sis-2".into());
        let file = roster(vec![person], &[("6e A", Level::Sixieme)]);

        let plan = plan_import(&state, &file, RosterImportMode::Sync);

        assert_eq!(
            (plan.creations.len(), plan.removals.as_slice()),
            (1, &[1][..])
        );
        let upsert = plan_import(&state, &file, RosterImportMode::Upsert);
        assert_eq!(upsert.logins_in_use, ["e1"]);
    }

    #[test]
    fn a_student_who_became_a_teacher_is_flagged() {
        let state = SchoolState {
            people: vec![existing(1, "p1", None)],
            classes: vec![],
        };
        let mut person = listed("p1", "");
        person.role = Audience::Teacher;
        person.class = None;
        person.subjects = vec!["Latin".into()];
        let file = roster(vec![person], &[]);

        let plan = plan_import(&state, &file, RosterImportMode::Sync);

        assert!(plan.updates[0].role_changed && plan.updates[0].subjects_changed);
    }
}
