//! Affecto's own directory CSV: one line per person, as a school exports it from a
//! spreadsheet. Header (any order, French names accepted):
//! `role,login,last_name,first_name,class,level,subjects`.

use affecto_domain::roster::{split_subjects, PersonRow, Problems, Roster, RosterBuilder};
use affecto_domain::{Audience, Level};

use super::table::{Row, Table};

/// The header names each column is known by.
const ROLE: &[&str] = &["role", "profil", "type"];
const LOGIN: &[&str] = &["login", "identifiant", "username"];
const LAST_NAME: &[&str] = &["last_name", "nom", "family_name"];
const FIRST_NAME: &[&str] = &["first_name", "prenom", "given_name"];
const CLASS: &[&str] = &["class", "classe", "division"];
const LEVEL: &[&str] = &["level", "niveau"];
const SUBJECTS: &[&str] = &["subjects", "matieres", "matiere", "disciplines"];

/// The header the documentation shows.
pub const HEADER: &str = "role,login,last_name,first_name,class,level,subjects";

struct Columns {
    role: Option<usize>,
    login: Option<usize>,
    last_name: Option<usize>,
    first_name: Option<usize>,
    class: Option<usize>,
    level: Option<usize>,
    subjects: Option<usize>,
}

/// Reads a directory CSV into a checked roster, or lists its problems by line.
pub fn read(bytes: &[u8]) -> Result<Roster, Problems> {
    let table = Table::parse(None, bytes)?;
    let columns = columns(&table)?;
    let mut builder = RosterBuilder::new();
    for row in table.rows() {
        read_row(&table, &columns, row, &mut builder);
    }
    builder.finish()
}

fn columns(table: &Table) -> Result<Columns, Problems> {
    let columns = Columns {
        role: table.column(ROLE),
        login: table.column(LOGIN),
        last_name: table.column(LAST_NAME),
        first_name: table.column(FIRST_NAME),
        class: table.column(CLASS),
        level: table.column(LEVEL),
        subjects: table.column(SUBJECTS),
    };
    let required = [
        ("role", columns.role),
        ("login", columns.login),
        ("last_name", columns.last_name),
        ("first_name", columns.first_name),
    ];
    let missing: Vec<&str> = required
        .iter()
        .filter(|(_, found)| found.is_none())
        .map(|(name, _)| *name)
        .collect();
    if missing.is_empty() {
        return Ok(columns);
    }
    let mut problems = Problems::default();
    problems.add(
        Some(affecto_domain::roster::Place::line(1)),
        format!(
            "the header lacks the column(s) {}; expected {HEADER}",
            missing.join(", ")
        ),
    );
    Err(problems)
}

fn read_row(table: &Table, columns: &Columns, row: &Row, builder: &mut RosterBuilder) {
    let place = table.place(row);
    let role = match parse_role(row.get(columns.role)) {
        Ok(role) => role,
        Err(message) => return builder.problem(Some(place), message),
    };
    let class = row.non_empty(columns.class);
    if let Some(class) = class {
        let level = match row.non_empty(columns.level).map(str::parse::<Level>) {
            Some(Err(e)) => return builder.problem(Some(place), e.to_string()),
            Some(Ok(level)) => Some(level),
            None => None,
        };
        if role == Audience::Student {
            builder.class(place, class, level);
        }
    } else if role == Audience::Student {
        return builder.problem(Some(place), "a student needs a class");
    }
    builder.person(
        place,
        PersonRow {
            role: Some(role),
            login: row.get(columns.login).to_owned(),
            source_id: None,
            first_name: row.get(columns.first_name).to_owned(),
            last_name: row.get(columns.last_name).to_owned(),
            class: class.map(str::to_owned),
            subjects: split_subjects(row.get(columns.subjects)),
        },
    );
}

/// `student` or `teacher`, in English or French, any case.
fn parse_role(raw: &str) -> Result<Audience, String> {
    let key = raw.trim().to_lowercase().replace(['é', 'è'], "e");
    match key.as_str() {
        "student" | "eleve" => Ok(Audience::Student),
        "teacher" | "enseignant" | "professeur" | "prof" => Ok(Audience::Teacher),
        "" => Err("the role is empty; expected student or teacher".into()),
        _ => Err(format!(
            "unknown role {raw:?}; expected student (élève) or teacher (enseignant)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_headers_semicolons_and_roles_are_understood() {
        let file = "\u{feff}Profil;Identifiant;Nom;Prénom;Classe;Niveau;Matières\n\
                    Élève;e1;Martin;Emma;6e A;6ème;\n\
                    Enseignant;p1;Fontaine;Claire;;;Français|Latin\n";
        let roster = read(file.as_bytes()).unwrap();
        assert_eq!(roster.people.len(), 2);
        assert_eq!(roster.classes[0].level, Level::Sixieme);
        assert_eq!(roster.people[1].subjects, ["Français", "Latin"]);
    }

    #[test]
    fn the_level_may_be_read_from_the_class_name() {
        let file = "role,login,last_name,first_name,class\nstudent,e1,Martin,Emma,5e B\n";
        assert_eq!(
            read(file.as_bytes()).unwrap().classes[0].level,
            Level::Cinquieme
        );
    }

    #[test]
    fn every_bad_line_is_reported_with_its_number() {
        let file = "role,login,last_name,first_name,class,level\n\
                    student,e1,Martin,Emma,6e A,6e\n\
                    parent,x1,Martin,Paul,,\n\
                    student,e2,Roux,Léo,,\n\
                    student,e3,Petit,Zoé,CM2 A,CM2\n\
                    student,e1,Martin,Emma,6e A,6e\n";
        let problems = read(file.as_bytes()).unwrap_err();
        let lines: Vec<Option<u64>> = problems.listed().iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(3), Some(4), Some(5), Some(6)]);
        assert!(problems.listed()[0].message.contains("unknown role"));
    }

    #[test]
    fn a_header_without_the_needed_columns_is_refused_at_line_1() {
        let problems = read(b"nom,prenom\nMartin,Emma\n").unwrap_err();
        assert_eq!(problems.listed()[0].line, Some(1));
        assert!(problems.listed()[0].message.contains("role, login"));
    }
}
