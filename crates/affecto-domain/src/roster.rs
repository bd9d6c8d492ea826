//! A school's directory ("référentiel") as an import file describes it: people and
//! classes, checked once, whatever the file format they were read from.
//!
//! Readers of each format hand every row to a [`RosterBuilder`] with its place in the
//! file; the builder refuses what no school directory can hold (two people with one
//! login, a class with two levels, a teacher in a class...) and collects every problem,
//! so that a file is accepted whole or refused with the list of what to fix.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{Audience, Level};

/// At most this many problems are listed when a file is refused; the count of all of
/// them is given beside.
pub const MAX_LISTED_PROBLEMS: usize = 50;

/// Names, logins and identifiers longer than this are refused.
pub const MAX_TEXT_CHARS: usize = 128;

/// Something wrong at one place of an import file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FileProblem {
    /// The file of an archive or folder the problem is in, e.g. `users.csv`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "users.csv")]
    pub file: Option<String>,
    /// The line of that file, the header being line 1; absent when the problem is
    /// about the file as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[schema(example = "unknown level \"CM2\"; expected one of 6e, 5e, 4e, 3e, 2nde, 1re, Tle")]
    pub message: String,
}

/// Where a row was read: a file (for archives and folders) and a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place<'a> {
    pub file: Option<&'a str>,
    pub line: u64,
}

impl<'a> Place<'a> {
    pub fn line(line: u64) -> Self {
        Self { file: None, line }
    }

    pub fn in_file(file: &'a str, line: u64) -> Self {
        Self {
            file: Some(file),
            line,
        }
    }

    fn describe(&self) -> String {
        match self.file {
            Some(file) => format!("{file} line {}", self.line),
            None => format!("line {}", self.line),
        }
    }
}

/// The problems of a refused file: the first [`MAX_LISTED_PROBLEMS`] and how many
/// there were in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems {
    listed: Vec<FileProblem>,
    total: usize,
}

impl Problems {
    pub fn add(&mut self, place: Option<Place<'_>>, message: impl Into<String>) {
        self.total += 1;
        if self.listed.len() < MAX_LISTED_PROBLEMS {
            self.listed.push(FileProblem {
                file: place.and_then(|p| p.file).map(str::to_owned),
                line: place.map(|p| p.line),
                message: message.into(),
            });
        }
    }

    /// A refusal with a single problem about the file as a whole.
    pub fn whole_file(message: impl Into<String>) -> Self {
        let mut problems = Self::default();
        problems.add(None, message);
        problems
    }

    /// Adds the problems of another part of the file.
    pub fn extend(&mut self, other: Problems) {
        let room = MAX_LISTED_PROBLEMS.saturating_sub(self.listed.len());
        self.listed.extend(other.listed.into_iter().take(room));
        self.total += other.total;
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    pub fn total(&self) -> usize {
        self.total
    }

    pub fn listed(&self) -> &[FileProblem] {
        &self.listed
    }

    pub fn into_listed(self) -> Vec<FileProblem> {
        self.listed
    }
}

/// A student or teacher as the file describes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterPerson {
    pub role: Audience,
    /// The login the ENT knows them by, unique in the school.
    pub login: String,
    /// The school information system's identifier (OneRoster `sourcedId`), when the
    /// format has one: it finds the person again even if their login changed.
    pub source_id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    /// The name of the student's class; teachers have none.
    pub class: Option<String>,
    /// The subjects a teacher teaches; students have none.
    pub subjects: Vec<String>,
}

/// A class ("division") the file names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterClass {
    pub name: String,
    pub level: Level,
}

/// A school directory read from a file and checked: every login and source id is
/// unique, every student's class is listed with one level.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    pub classes: Vec<RosterClass>,
    pub people: Vec<RosterPerson>,
    /// Rows the file holds that are not students or teachers of the school (parents,
    /// staff, people of other schools, rows marked for deletion).
    pub ignored: u32,
}

/// One person's fields as a reader found them, before they are checked.
#[derive(Debug, Clone, Default)]
pub struct PersonRow {
    pub role: Option<Audience>,
    pub login: String,
    pub source_id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub class: Option<String>,
    pub subjects: Vec<String>,
}

/// Collects the rows of a file into a [`Roster`], or into the list of its problems.
#[derive(Debug, Default)]
pub struct RosterBuilder {
    people: Vec<RosterPerson>,
    classes: BTreeMap<String, (Level, String)>,
    logins: HashMap<String, String>,
    source_ids: HashMap<String, String>,
    problems: Problems,
    ignored: u32,
}

impl RosterBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem that no check of the builder found (a malformed field, an
    /// unknown role...).
    pub fn problem(&mut self, place: Option<Place<'_>>, message: impl Into<String>) {
        self.problems.add(place, message);
    }

    /// Counts a row that is not a student or teacher of the school.
    pub fn ignore(&mut self) {
        self.ignored += 1;
    }

    /// Declares a class with its level, or, when the level is not given, the level
    /// its name starts with ("6e A", "5EME2", "2nde 3"...).
    pub fn class(&mut self, place: Place<'_>, name: &str, level: Option<Level>) {
        let name = name.trim();
        if let Err(message) = check_text("class name", name) {
            return self.problem(Some(place), message);
        }
        let Some(level) = level.or_else(|| level_of_class_name(name)) else {
            return self.problem(
                Some(place),
                format!("class {name:?} has no level, and none can be read from its name"),
            );
        };
        match self.classes.get(name) {
            Some((known, first_place)) if *known != level => self.problem(
                Some(place),
                format!("class {name:?} is of level {known} at {first_place}, not {level}"),
            ),
            Some(_) => {}
            None => {
                self.classes
                    .insert(name.to_owned(), (level, place.describe()));
            }
        }
    }

    /// Adds one person. A student's class must have been declared with
    /// [`RosterBuilder::class`] first.
    pub fn person(&mut self, place: Place<'_>, row: PersonRow) {
        match check_person(&row) {
            Ok(person) => self.accept(place, person),
            Err(message) => self.problem(Some(place), message),
        }
    }

    fn accept(&mut self, place: Place<'_>, person: RosterPerson) {
        if let Some(first) = self.logins.get(&person.login) {
            let message = format!("login {:?} is already used at {first}", person.login);
            return self.problem(Some(place), message);
        }
        if let Some(source_id) = &person.source_id {
            if let Some(first) = self.source_ids.get(source_id) {
                let message = format!("identifier {source_id:?} is already used at {first}");
                return self.problem(Some(place), message);
            }
            self.source_ids.insert(source_id.clone(), place.describe());
        }
        if let Some(class) = &person.class {
            if !self.classes.contains_key(class) {
                let message = format!("class {class:?} is not declared");
                return self.problem(Some(place), message);
            }
        }
        self.logins.insert(person.login.clone(), place.describe());
        self.people.push(person);
    }

    /// The roster, or every problem found (the first [`MAX_LISTED_PROBLEMS`] listed).
    pub fn finish(self) -> Result<Roster, Problems> {
        if !self.problems.is_empty() {
            return Err(self.problems);
        }
        let classes = self
            .classes
            .into_iter()
            .map(|(name, (level, _))| RosterClass { name, level })
            .collect();
        Ok(Roster {
            classes,
            people: self.people,
            ignored: self.ignored,
        })
    }
}

fn check_text(what: &str, value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err(format!("the {what} is empty"));
    }
    if value.chars().count() > MAX_TEXT_CHARS {
        return Err(format!(
            "the {what} is longer than {MAX_TEXT_CHARS} characters"
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(format!("the {what} holds a control character"));
    }
    Ok(())
}

fn check_person(row: &PersonRow) -> Result<RosterPerson, String> {
    let role = row
        .role
        .ok_or("the role is empty; expected student or teacher")?;
    let login = row.login.trim();
    check_text("login", login)?;
    if login.chars().any(char::is_whitespace) {
        return Err(format!("login {login:?} holds a space"));
    }
    let source_id = row.source_id.as_deref().map(str::trim);
    if let Some(source_id) = source_id {
        check_text("identifier", source_id)?;
    }
    check_text("last name", row.last_name.trim())?;
    check_text("first name", row.first_name.trim())?;
    let class = row
        .class
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let subjects = clean_subjects(&row.subjects)?;
    match role {
        Audience::Teacher if class.is_some() => {
            return Err("a teacher belongs to no class; leave the class empty".into())
        }
        Audience::Student if !subjects.is_empty() => {
            return Err("only teachers have subjects; leave them empty for a student".into())
        }
        _ => {}
    }
    Ok(RosterPerson {
        role,
        login: login.to_owned(),
        source_id: source_id.map(str::to_owned),
        first_name: row.first_name.trim().to_owned(),
        last_name: row.last_name.trim().to_owned(),
        class: class.map(str::to_owned),
        subjects,
    })
}

fn clean_subjects(raw: &[String]) -> Result<Vec<String>, String> {
    let mut subjects: Vec<String> = Vec::with_capacity(raw.len());
    for subject in raw.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        check_text("subject", subject)?;
        if !subjects.iter().any(|known| known == subject) {
            subjects.push(subject.to_owned());
        }
    }
    Ok(subjects)
}

/// Splits a list of subjects written in one field: "Français|Latin", "Français, Latin".
pub fn split_subjects(field: &str) -> Vec<String> {
    field
        .split(['|', ',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The level a class name starts with, as schools name their classes: "6e A",
/// "6EME2", "5ème B", "2nde 3", "1re G2", "Tle STMG".
pub fn level_of_class_name(name: &str) -> Option<Level> {
    let key = name.trim().to_lowercase().replace(['è', 'é'], "e");
    const PREFIXES: [(&str, Level); 17] = [
        ("6eme", Level::Sixieme),
        ("6e", Level::Sixieme),
        ("5eme", Level::Cinquieme),
        ("5e", Level::Cinquieme),
        ("4eme", Level::Quatrieme),
        ("4e", Level::Quatrieme),
        ("3eme", Level::Troisieme),
        ("3e", Level::Troisieme),
        ("seconde", Level::Seconde),
        ("2nde", Level::Seconde),
        ("2de", Level::Seconde),
        ("premiere", Level::Premiere),
        ("1ere", Level::Premiere),
        ("1re", Level::Premiere),
        ("terminale", Level::Terminale),
        ("term", Level::Terminale),
        ("tle", Level::Terminale),
    ];
    PREFIXES
        .iter()
        .find(|(prefix, _)| key.starts_with(prefix))
        .map(|(_, level)| *level)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn student(login: &str, class: &str) -> PersonRow {
        PersonRow {
            role: Some(Audience::Student),
            login: login.into(),
            first_name: "Emma".into(),
            last_name: "Martin".into(),
            class: Some(class.into()),
            ..PersonRow::default()
        }
    }

    fn teacher(login: &str, subjects: &[&str]) -> PersonRow {
        PersonRow {
            role: Some(Audience::Teacher),
            login: login.into(),
            first_name: "Claire".into(),
            last_name: "Fontaine".into(),
            subjects: subjects.iter().map(|s| s.to_string()).collect(),
            ..PersonRow::default()
        }
    }

    #[test]
    fn a_clean_file_becomes_a_roster_with_its_classes() {
        let mut builder = RosterBuilder::new();
        builder.class(Place::line(2), "6e A", Some(Level::Sixieme));
        builder.person(Place::line(2), student("e1", "6e A"));
        builder.person(
            Place::line(3),
            teacher("p1", &["Français", " Latin ", "Français"]),
        );
        builder.ignore();

        let roster = builder.finish().unwrap();

        assert_eq!(
            roster.classes,
            [RosterClass {
                name: "6e A".into(),
                level: Level::Sixieme
            }]
        );
        assert_eq!(roster.people.len(), 2);
        assert_eq!(roster.people[1].subjects, ["Français", "Latin"]);
        assert_eq!(roster.ignored, 1);
    }

    #[test]
    fn a_login_used_twice_is_refused_with_both_lines() {
        let mut builder = RosterBuilder::new();
        builder.class(Place::line(2), "6e A", None);
        builder.person(Place::line(2), student("e1", "6e A"));
        builder.person(Place::line(7), student("e1", "6e A"));

        let problems = builder.finish().unwrap_err();

        assert_eq!(
            problems.listed(),
            [FileProblem {
                file: None,
                line: Some(7),
                message: "login \"e1\" is already used at line 2".into()
            }]
        );
    }

    #[test]
    fn a_class_with_two_levels_is_refused() {
        let mut builder = RosterBuilder::new();
        builder.class(
            Place::in_file("classes.csv", 2),
            "6e A",
            Some(Level::Sixieme),
        );
        builder.class(
            Place::in_file("classes.csv", 3),
            "6e A",
            Some(Level::Cinquieme),
        );
        let problems = builder.finish().unwrap_err();
        assert_eq!(problems.listed()[0].file.as_deref(), Some("classes.csv"));
        assert!(problems.listed()[0].message.contains("classes.csv line 2"));
    }

    #[test]
    fn teachers_have_no_class_and_students_no_subjects() {
        let mut builder = RosterBuilder::new();
        builder.class(Place::line(2), "6e A", None);
        let mut with_class = teacher("p1", &[]);
        with_class.class = Some("6e A".into());
        builder.person(Place::line(2), with_class);
        let mut with_subjects = student("e1", "6e A");
        with_subjects.subjects = vec!["Latin".into()];
        builder.person(Place::line(3), with_subjects);
        assert_eq!(builder.finish().unwrap_err().total(), 2);
    }

    #[test]
    fn empty_or_spaced_fields_are_refused() {
        let mut builder = RosterBuilder::new();
        builder.class(Place::line(2), "6e A", None);
        builder.person(Place::line(2), student("", "6e A"));
        builder.person(Place::line(3), student("jean dupont", "6e A"));
        let mut nameless = student("e3", "6e A");
        nameless.last_name = "  ".into();
        builder.person(Place::line(4), nameless);
        builder.person(Place::line(5), PersonRow::default());
        let problems = builder.finish().unwrap_err();
        let lines: Vec<Option<u64>> = problems.listed().iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(2), Some(3), Some(4), Some(5)]);
    }

    #[test]
    fn only_the_first_problems_are_listed_but_all_are_counted() {
        let mut builder = RosterBuilder::new();
        for line in 0..120 {
            builder.person(Place::line(line), student("e", "nowhere"));
        }
        let problems = builder.finish().unwrap_err();
        assert_eq!(problems.total(), 120);
        assert_eq!(problems.listed().len(), MAX_LISTED_PROBLEMS);
    }

    #[test]
    fn class_names_tell_their_level() {
        assert_eq!(level_of_class_name("6e A"), Some(Level::Sixieme));
        assert_eq!(level_of_class_name("5EME2"), Some(Level::Cinquieme));
        assert_eq!(level_of_class_name("3ème B"), Some(Level::Troisieme));
        assert_eq!(level_of_class_name("2nde 3"), Some(Level::Seconde));
        assert_eq!(level_of_class_name("1re G2"), Some(Level::Premiere));
        assert_eq!(level_of_class_name("Tle STMG"), Some(Level::Terminale));
        assert_eq!(level_of_class_name("ULIS"), None);
    }

    #[test]
    fn subject_lists_split_on_the_usual_separators() {
        assert_eq!(
            split_subjects("Français| Latin,Grec ; "),
            ["Français", "Latin", "Grec"]
        );
        assert!(split_subjects("").is_empty());
    }
}
