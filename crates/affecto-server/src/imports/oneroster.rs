//! OneRoster 1.2 CSV (also 1.1): the bulk export of a school information system, as a
//! set of files. The school is the `orgs.csv` row of type `school` whose `identifier`
//! is its UAI; its students and teachers come from `users.csv` (role from `users.csv`,
//! else `roles.csv`, else their enrolments), a student's class is their homeroom class
//! in `classes.csv` / `enrollments.csv`, a class's level comes from its `grades` (or its
//! course's) read as French levels ("06" is 6e ... "12" is Tle), and a teacher's
//! subjects from the classes they teach.

use std::collections::{BTreeMap, HashMap, HashSet};

use affecto_domain::roster::{PersonRow, Place, Problems, Roster, RosterBuilder};
use affecto_domain::{Audience, Level, Uai};

use super::table::{Row, Table};

/// The files of a OneRoster export, by lower-case name.
pub type FileSet = BTreeMap<String, Vec<u8>>;

const REQUIRED: [&str; 5] = [
    "manifest.csv",
    "orgs.csv",
    "users.csv",
    "classes.csv",
    "enrollments.csv",
];

/// A class of the school as `classes.csv` describes it.
#[derive(Debug)]
struct ClassInfo {
    line: u64,
    title: String,
    homeroom: bool,
    level: Option<Level>,
    subjects: Vec<String>,
}

/// A user's enrolment in one of the school's classes.
#[derive(Debug)]
struct Enrolment {
    class: String,
    role: String,
    primary: bool,
}

/// Every table of the export, read.
struct Export {
    users: Table,
    classes: Table,
    enrollments: Table,
    orgs: Table,
    manifest: Table,
    courses: Option<Table>,
    roles: Option<Table>,
}

/// Reads a OneRoster export into the roster of the school `uai`, or lists its problems
/// by file and line.
pub fn read(files: &FileSet, uai: &Uai) -> Result<Roster, Problems> {
    let export = load(files)?;
    check_manifest(&export.manifest)?;
    let (school, single_school) = find_school(&export.orgs, uai)?;
    let courses = export.courses.as_ref().map(courses).unwrap_or_default();
    let classes = school_classes(&export.classes, &school, &courses);
    let enrolments = enrolments(&export.enrollments, &school, &classes);
    let roles = export
        .roles
        .as_ref()
        .map(|t| roles_at(t, &school))
        .unwrap_or_default();
    let context = Context {
        school,
        single_school,
        classes_table: &export.classes,
        classes,
        enrolments,
        roles,
    };
    let mut builder = RosterBuilder::new();
    let users = &export.users;
    let columns = UserColumns::find(users);
    for row in users.rows() {
        read_user(&context, users, &columns, row, &mut builder);
    }
    builder.finish()
}

fn load(files: &FileSet) -> Result<Export, Problems> {
    let mut problems = Problems::default();
    for name in REQUIRED.iter().filter(|name| !files.contains_key(**name)) {
        problems.add(None, format!("the export has no {name}"));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut table = |name: &str| -> Option<Table> {
        let bytes = files.get(name)?;
        Table::parse(Some(name), bytes)
            .map_err(|p| problems.extend(p))
            .ok()
    };
    let export = (|| {
        Some(Export {
            manifest: table("manifest.csv")?,
            orgs: table("orgs.csv")?,
            users: table("users.csv")?,
            classes: table("classes.csv")?,
            enrollments: table("enrollments.csv")?,
            courses: files
                .contains_key("courses.csv")
                .then(|| table("courses.csv"))
                .flatten(),
            roles: files
                .contains_key("roles.csv")
                .then(|| table("roles.csv"))
                .flatten(),
        })
    })();
    match export {
        Some(export) if problems.is_empty() => Ok(export),
        _ => Err(problems),
    }
}

/// Refuses versions other than 1.1 and 1.2, and delta files: an import is a full sync.
fn check_manifest(manifest: &Table) -> Result<(), Problems> {
    let (name, value) = (
        manifest.column(&["propertyName"]),
        manifest.column(&["value"]),
    );
    let mut problems = Problems::default();
    for row in manifest.rows() {
        let property = row.get(name);
        let setting = row.get(value).to_lowercase();
        let place = Some(manifest.place(row));
        if property == "oneroster.version" && !matches!(setting.as_str(), "1.1" | "1.2") {
            problems.add(
                place,
                format!("OneRoster version {setting:?} is not supported; expected 1.2 (or 1.1)"),
            );
        } else if property.starts_with("file.") && setting == "delta" {
            problems.add(
                place,
                "delta files are not supported: export the directory in bulk",
            );
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The sourcedId of the school whose identifier is `uai`, and whether the export holds
/// no other school.
fn find_school(orgs: &Table, uai: &Uai) -> Result<(String, bool), Problems> {
    let (id, kind, identifier) = (
        orgs.column(&["sourcedId"]),
        orgs.column(&["type"]),
        orgs.column(&["identifier"]),
    );
    let schools: Vec<&Row> = orgs
        .rows()
        .iter()
        .filter(|r| r.get(kind).eq_ignore_ascii_case("school") && is_active(orgs, r))
        .collect();
    let found = schools
        .iter()
        .find(|r| r.get(identifier).eq_ignore_ascii_case(uai.as_str()));
    match found {
        Some(row) => Ok((row.get(id).to_owned(), schools.len() == 1)),
        None => {
            let listed: Vec<&str> = schools.iter().map(|r| r.get(identifier)).collect();
            let mut problems = Problems::default();
            problems.add(
                None,
                format!(
                    "orgs.csv has no school whose identifier is {uai} (schools found: {})",
                    if listed.is_empty() {
                        "none".into()
                    } else {
                        listed.join(", ")
                    }
                ),
            );
            Err(problems)
        }
    }
}

/// Whether a row is part of the export (not marked `tobedeleted`).
fn is_active(table: &Table, row: &Row) -> bool {
    !row.get(table.column(&["status"]))
        .eq_ignore_ascii_case("tobedeleted")
}

/// A OneRoster list field: comma-separated values.
fn list(field: &str) -> Vec<String> {
    field
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The French level of OneRoster grades: "06" is 6e ... "12" is Tle; French names
/// are understood too.
fn level_of_grades(grades: &[String]) -> Option<Level> {
    grades.iter().find_map(|grade| {
        let level = match grade.trim_start_matches('0') {
            "6" => Level::Sixieme,
            "7" => Level::Cinquieme,
            "8" => Level::Quatrieme,
            "9" => Level::Troisieme,
            "10" => Level::Seconde,
            "11" => Level::Premiere,
            "12" => Level::Terminale,
            other => other.parse().ok()?,
        };
        Some(level)
    })
}

/// Course sourcedId → (grades, subjects).
fn courses(table: &Table) -> HashMap<String, (Vec<String>, Vec<String>)> {
    let (id, grades, subjects) = (
        table.column(&["sourcedId"]),
        table.column(&["grades"]),
        table.column(&["subjects"]),
    );
    table
        .rows()
        .iter()
        .filter(|r| is_active(table, r))
        .map(|r| {
            (
                r.get(id).to_owned(),
                (list(r.get(grades)), list(r.get(subjects))),
            )
        })
        .collect()
}

fn school_classes(
    table: &Table,
    school: &str,
    courses: &HashMap<String, (Vec<String>, Vec<String>)>,
) -> HashMap<String, ClassInfo> {
    let column = |names: &[&str]| table.column(names);
    let (id, title, code, kind, school_id, grades, subjects, course) = (
        column(&["sourcedId"]),
        column(&["title"]),
        column(&["classCode"]),
        column(&["classType"]),
        column(&["schoolSourcedId"]),
        column(&["grades"]),
        column(&["subjects"]),
        column(&["courseSourcedId"]),
    );
    let mut found = HashMap::new();
    for row in table.rows() {
        let of_school = school_id.is_none() || row.get(school_id) == school;
        if !of_school || !is_active(table, row) {
            continue;
        }
        let of_course = courses.get(row.get(course));
        let mut class_subjects = list(row.get(subjects));
        if class_subjects.is_empty() {
            class_subjects = of_course.map(|c| c.1.clone()).unwrap_or_default();
        }
        let level = level_of_grades(&list(row.get(grades)))
            .or_else(|| of_course.and_then(|c| level_of_grades(&c.0)));
        let info = ClassInfo {
            line: row.line,
            title: row.non_empty(title).unwrap_or(row.get(code)).to_owned(),
            homeroom: row.get(kind).eq_ignore_ascii_case("homeroom"),
            level,
            subjects: class_subjects,
        };
        found.insert(row.get(id).to_owned(), info);
    }
    found
}

/// User sourcedId → their enrolments in the school's classes, in file order.
fn enrolments(
    table: &Table,
    school: &str,
    classes: &HashMap<String, ClassInfo>,
) -> HashMap<String, Vec<Enrolment>> {
    let (class, school_id, user, role, primary) = (
        table.column(&["classSourcedId"]),
        table.column(&["schoolSourcedId"]),
        table.column(&["userSourcedId"]),
        table.column(&["role"]),
        table.column(&["primary"]),
    );
    let mut found: HashMap<String, Vec<Enrolment>> = HashMap::new();
    for row in table.rows() {
        let of_school = school_id.is_none() || row.get(school_id) == school;
        if !of_school || !is_active(table, row) || !classes.contains_key(row.get(class)) {
            continue;
        }
        found
            .entry(row.get(user).to_owned())
            .or_default()
            .push(Enrolment {
                class: row.get(class).to_owned(),
                role: row.get(role).to_lowercase(),
                primary: row.get(primary).eq_ignore_ascii_case("true"),
            });
    }
    found
}

/// User sourcedId → their role at the school in `roles.csv`, the primary one first.
fn roles_at(table: &Table, school: &str) -> HashMap<String, String> {
    let (user, org, role, kind) = (
        table.column(&["userSourcedId"]),
        table.column(&["orgSourcedId"]),
        table.column(&["role"]),
        table.column(&["roleType"]),
    );
    let mut found: HashMap<String, String> = HashMap::new();
    for row in table.rows() {
        if row.get(org) != school || !is_active(table, row) {
            continue;
        }
        let primary = row.get(kind).eq_ignore_ascii_case("primary");
        let user = row.get(user).to_owned();
        if primary || !found.contains_key(&user) {
            found.insert(user, row.get(role).to_lowercase());
        }
    }
    found
}

/// What every user row is read against.
struct Context<'t> {
    school: String,
    single_school: bool,
    classes_table: &'t Table,
    classes: HashMap<String, ClassInfo>,
    enrolments: HashMap<String, Vec<Enrolment>>,
    roles: HashMap<String, String>,
}

struct UserColumns {
    id: Option<usize>,
    enabled: Option<usize>,
    orgs: Option<usize>,
    role: Option<usize>,
    username: Option<usize>,
    given_name: Option<usize>,
    family_name: Option<usize>,
}

impl UserColumns {
    fn find(users: &Table) -> Self {
        Self {
            id: users.column(&["sourcedId"]),
            enabled: users.column(&["enabledUser"]),
            orgs: users.column(&["orgSourcedIds", "primaryOrgSourcedId"]),
            role: users.column(&["role"]),
            username: users.column(&["username"]),
            given_name: users.column(&["givenName"]),
            family_name: users.column(&["familyName"]),
        }
    }
}

fn read_user(
    context: &Context<'_>,
    users: &Table,
    columns: &UserColumns,
    row: &Row,
    builder: &mut RosterBuilder,
) {
    let place = users.place(row);
    let id = row.get(columns.id);
    let enrolled = context
        .enrolments
        .get(id)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let disabled = row.get(columns.enabled).eq_ignore_ascii_case("false");
    let role = role_of(context, columns, row, id, enrolled);
    let (Some(role), true, false) = (role, belongs(context, columns, row, id, enrolled), disabled)
    else {
        return builder.ignore();
    };
    if !is_active(users, row) {
        return builder.ignore();
    }
    if id.is_empty() {
        return builder.problem(Some(place), "the sourcedId is empty");
    }
    let (class, subjects) = match role {
        Audience::Student => (homeroom(context, enrolled, builder), Vec::new()),
        Audience::Teacher => (None, taught_subjects(context, enrolled)),
    };
    builder.person(
        place,
        PersonRow {
            role: Some(role),
            login: row.get(columns.username).to_owned(),
            source_id: Some(id.to_owned()),
            first_name: row.get(columns.given_name).to_owned(),
            last_name: row.get(columns.family_name).to_owned(),
            class,
            subjects,
        },
    );
}

/// Student or teacher, from `users.csv`, else `roles.csv`, else the enrolments;
/// `None` for every other role (parents, staff...).
fn role_of(
    context: &Context<'_>,
    columns: &UserColumns,
    row: &Row,
    id: &str,
    enrolled: &[Enrolment],
) -> Option<Audience> {
    let declared = row
        .non_empty(columns.role)
        .map(str::to_lowercase)
        .or_else(|| context.roles.get(id).cloned())
        .or_else(|| enrolled.first().map(|e| e.role.clone()))?;
    match declared.as_str() {
        "student" => Some(Audience::Student),
        "teacher" => Some(Audience::Teacher),
        _ => None,
    }
}

/// Whether the user is of the school: listed in its org, given a role there, enrolled
/// in its classes, or in an export of this school alone that says nothing else.
fn belongs(
    context: &Context<'_>,
    columns: &UserColumns,
    row: &Row,
    id: &str,
    enrolled: &[Enrolment],
) -> bool {
    let orgs: HashSet<String> = list(row.get(columns.orgs)).into_iter().collect();
    if orgs.contains(&context.school) || context.roles.contains_key(id) || !enrolled.is_empty() {
        return true;
    }
    context.single_school && orgs.is_empty()
}

/// The student's class: their homeroom, else their primary class, else the first; the
/// class is declared to the builder with its place in `classes.csv`.
fn homeroom(
    context: &Context<'_>,
    enrolled: &[Enrolment],
    builder: &mut RosterBuilder,
) -> Option<String> {
    let as_student = || enrolled.iter().filter(|e| e.role == "student");
    let chosen = as_student()
        .find(|e| context.classes[&e.class].homeroom)
        .or_else(|| as_student().find(|e| e.primary))
        .or_else(|| as_student().next())?;
    let class = &context.classes[&chosen.class];
    let place = Place {
        file: context.classes_table.file.as_deref(),
        line: class.line,
    };
    builder.class(place, &class.title, class.level);
    Some(class.title.trim().to_owned())
}

/// The subjects of the classes a teacher teaches.
fn taught_subjects(context: &Context<'_>, enrolled: &[Enrolment]) -> Vec<String> {
    enrolled
        .iter()
        .filter(|e| e.role == "teacher")
        .flat_map(|e| context.classes[&e.class].subjects.iter().cloned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export(users: &str, enrollments: &str) -> FileSet {
        let files = [
            ("manifest.csv", "propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\nfile.users,bulk\n"),
            ("orgs.csv", "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\norg-1,,,Collège,school,0020002S,\n"),
            ("classes.csv", "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects\n\
                c-6a,,,6e A,06,,6A,homeroom,,org-1,,\n\
                c-fr,,,Français 6e A,06,,FR6A,scheduled,,org-1,,Français\n"),
            ("users.csv", users),
            ("enrollments.csv", enrollments),
        ];
        files
            .into_iter()
            .map(|(name, text)| (name.to_owned(), text.as_bytes().to_vec()))
            .collect()
    }

    const USERS: &str = "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,givenName,familyName\n\
        u-1,,,true,org-1,student,e1,Emma,Martin\n\
        u-2,,,true,org-1,teacher,p1,Claire,Fontaine\n\
        u-3,,,true,org-1,guardian,g1,Paul,Martin\n";
    const ENROLMENTS: &str = "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary\n\
        en-1,,,c-fr,org-1,u-1,student,false\n\
        en-2,,,c-6a,org-1,u-1,student,false\n\
        en-3,,,c-fr,org-1,u-2,teacher,true\n";

    #[test]
    fn students_land_in_their_homeroom_and_teachers_get_their_classes_subjects() {
        let uai = Uai::parse("0020002S").unwrap();
        let roster = read(&export(USERS, ENROLMENTS), &uai).unwrap();
        assert_eq!(roster.people.len(), 2);
        assert_eq!(roster.people[0].class.as_deref(), Some("6e A"));
        assert_eq!(roster.people[0].source_id.as_deref(), Some("u-1"));
        assert_eq!(roster.people[1].subjects, ["Français"]);
        assert_eq!(roster.ignored, 1, "the guardian");
        assert_eq!(roster.classes[0].level, Level::Sixieme);
    }

    #[test]
    fn another_school_s_export_is_refused() {
        let uai = Uai::parse("0590001A").unwrap();
        let problems = read(&export(USERS, ENROLMENTS), &uai).unwrap_err();
        assert!(problems.listed()[0].message.contains("0020002S"));
    }

    #[test]
    fn missing_files_are_named() {
        let mut files = export(USERS, ENROLMENTS);
        files.remove("enrollments.csv");
        let uai = Uai::parse("0020002S").unwrap();
        let problems = read(&files, &uai).unwrap_err();
        assert_eq!(
            problems.listed()[0].message,
            "the export has no enrollments.csv"
        );
    }

    #[test]
    fn a_bad_user_row_is_reported_in_users_csv_with_its_line() {
        let users = format!("{USERS}u-4,,,true,org-1,student,,Léo,Roux\n");
        let uai = Uai::parse("0020002S").unwrap();
        let problems = read(&export(&users, ENROLMENTS), &uai).unwrap_err();
        let problem = &problems.listed()[0];
        assert_eq!(
            (problem.file.as_deref(), problem.line),
            (Some("users.csv"), Some(5))
        );
    }

    #[test]
    fn grades_read_as_french_levels() {
        let grades =
            |g: &[&str]| level_of_grades(&g.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(grades(&["06"]), Some(Level::Sixieme));
        assert_eq!(grades(&["12"]), Some(Level::Terminale));
        assert_eq!(grades(&["KG", "5e"]), Some(Level::Cinquieme));
        assert_eq!(grades(&["03"]), None);
    }
}
