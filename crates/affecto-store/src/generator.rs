//! Large generated data sets for benchmarks: many schools, each with classes, students,
//! teachers, licence pools and assignments at a realistic coverage. Rows go in by
//! hundreds per statement, one transaction per school.

use std::collections::HashMap;

use affecto_domain::{Audience, Level};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::catalogue::{ensure_product, NewProduct};
use crate::schema::{assignments, classes, licence_pools, schools, users};
use crate::{DbConnection, StoreError};

const CHUNK: usize = 500;
const CLASS_SIZE: usize = 25;
const LEVELS: [Level; 4] = [
    Level::Sixieme,
    Level::Cinquieme,
    Level::Quatrieme,
    Level::Troisieme,
];

/// The shape of a generated data set.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub schools: usize,
    pub students_per_school: usize,
    /// Out of 100: how many students of a level hold each of its products.
    pub coverage_percent: usize,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub now: NaiveDateTime,
}

/// What was generated.
#[derive(Debug, Clone, Copy, Default)]
pub struct Generated {
    pub schools: usize,
    pub students: usize,
    pub teachers: usize,
    pub assignments: usize,
}

const SUBJECTS: [&str; 6] = [
    "Français",
    "Mathématiques",
    "Anglais",
    "Histoire-Géographie",
    "SVT",
    "Physique-Chimie",
];

/// One textbook per subject and level: (external id, title, level, subject).
fn catalogue() -> Vec<(String, String, Level, &'static str)> {
    LEVELS
        .iter()
        .flat_map(|level| {
            SUBJECTS.iter().map(move |subject| {
                let slug: String = subject
                    .to_lowercase()
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .collect();
                (
                    format!("ark:/bench/{slug}-{level}"),
                    format!("{subject} {level} (banc d'essai)"),
                    *level,
                    *subject,
                )
            })
        })
        .collect()
}

/// The UAI of the `n`th generated school; the 9xxxxxxB range is left to them.
pub fn generated_uai(n: usize) -> String {
    format!("{:07}B", 9_000_000 + n)
}

/// Adds `shape.schools` schools after the generated ones already there.
pub fn generate(
    conn: &mut DbConnection,
    shape: &Shape,
    mut progress: impl FnMut(usize),
) -> Result<Generated, StoreError> {
    let mut products = Vec::new();
    for (external_id, title, level, subject) in catalogue() {
        let id = ensure_product(
            conn,
            &NewProduct {
                external_id: &external_id,
                kind: "Manuel numérique",
                title: &title,
                levels: &[level],
                subjects: &[subject],
            },
        )?;
        products.push((id, level));
    }
    let first: i64 = schools::table
        .filter(schools::uai.like("9%B"))
        .count()
        .get_result(conn)?;
    let mut total = Generated::default();
    for n in 0..shape.schools {
        let school = generate_school(conn, shape, &products, first as usize + n)?;
        total.schools += 1;
        total.students += school.students;
        total.teachers += school.teachers;
        total.assignments += school.assignments;
        if total.schools.is_power_of_two() {
            refresh_statistics(conn)?;
        }
        progress(n + 1);
    }
    refresh_statistics(conn)?;
    Ok(total)
}

/// Fresh planner statistics, taken each time the number of generated schools doubles
/// and once at the end. PostgreSQL plans the foreign-key checks of a session once:
/// planned from the figures of a small database (where a scan beats an index), each
/// inserted row would scan the whole referenced table, and without autovacuum the run
/// would slow down with every school.
fn refresh_statistics(conn: &mut DbConnection) -> Result<(), StoreError> {
    Ok(conn.batch_execute("ANALYZE")?)
}

fn generate_school(
    conn: &mut DbConnection,
    shape: &Shape,
    products: &[(i64, Level)],
    n: usize,
) -> Result<Generated, StoreError> {
    conn.transaction(|conn| {
        let uai = generated_uai(n);
        diesel::insert_into(schools::table)
            .values((
                schools::uai.eq(&uai),
                schools::name.eq(format!("Collège généré n°{n}")),
                schools::created_at.eq(shape.now),
            ))
            .execute(conn)?;
        let school_id: i64 = schools::table
            .filter(schools::uai.eq(&uai))
            .select(schools::id)
            .first(conn)?;
        let per_level = shape.students_per_school / LEVELS.len();
        let class_ids = insert_classes(conn, school_id, per_level)?;
        let students = insert_students(conn, school_id, &uai, &class_ids, per_level)?;
        let teachers = insert_teachers(conn, school_id, &uai, shape.students_per_school / 20 + 1)?;
        let assignments =
            insert_pools_and_assignments(conn, shape, school_id, products, &students)?;
        Ok(Generated {
            schools: 1,
            students: students.values().map(Vec::len).sum(),
            teachers,
            assignments,
        })
    })
}

/// Classes of 25 per level; returns (level, class id) pairs.
fn insert_classes(
    conn: &mut DbConnection,
    school_id: i64,
    per_level: usize,
) -> Result<Vec<(Level, i64)>, StoreError> {
    let count = per_level.div_ceil(CLASS_SIZE).max(1);
    let rows: Vec<_> = LEVELS
        .iter()
        .flat_map(|level| (0..count).map(move |k| (*level, format!("{level} {}", class_letter(k)))))
        .map(|(level, name)| {
            (
                classes::school_id.eq(school_id),
                classes::name.eq(name),
                classes::level.eq(level.as_str()),
            )
        })
        .collect();
    on_each_backend!(conn, c => diesel::insert_into(classes::table).values(rows).execute(c))?;
    let found: Vec<(i64, String)> = classes::table
        .filter(classes::school_id.eq(school_id))
        .select((classes::id, classes::level))
        .order(classes::id)
        .load(conn)?;
    Ok(found
        .into_iter()
        .filter_map(|(id, level)| Some((level.parse().ok()?, id)))
        .collect())
}

/// A, B, ... Z, then A2, B2...
fn class_letter(k: usize) -> String {
    let letter = (b'A' + (k % 26) as u8) as char;
    match k / 26 {
        0 => letter.to_string(),
        round => format!("{letter}{}", round + 1),
    }
}

/// Students spread over their level's classes; returns their ids by level.
fn insert_students(
    conn: &mut DbConnection,
    school_id: i64,
    uai: &str,
    class_ids: &[(Level, i64)],
    per_level: usize,
) -> Result<HashMap<Level, Vec<i64>>, StoreError> {
    let prefix = uai.to_lowercase();
    let mut people = Vec::with_capacity(per_level * LEVELS.len());
    for level in LEVELS {
        let level_classes: Vec<i64> = class_ids
            .iter()
            .filter(|(l, _)| *l == level)
            .map(|(_, id)| *id)
            .collect();
        for k in 0..per_level {
            let n = people.len();
            people.push((
                format!("{prefix}-e{n:05}"),
                format!("Élève{n}"),
                format!("Nom{}", n % 997),
                level_classes[k / CLASS_SIZE % level_classes.len()],
            ));
        }
    }
    for chunk in people.chunks(CHUNK) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(login, first, last, class)| {
                (
                    users::school_id.eq(school_id),
                    users::role.eq(Audience::Student.as_str()),
                    users::login.eq(login),
                    users::first_name.eq(first),
                    users::last_name.eq(last),
                    users::class_id.eq(Some(*class)),
                )
            })
            .collect();
        on_each_backend!(conn, c => diesel::insert_into(users::table).values(rows).execute(c))?;
    }
    let found: Vec<(i64, Option<i64>)> = users::table
        .filter(users::school_id.eq(school_id))
        .filter(users::role.eq(Audience::Student.as_str()))
        .select((users::id, users::class_id))
        .load(conn)?;
    let level_of: HashMap<i64, Level> = class_ids.iter().map(|(level, id)| (*id, *level)).collect();
    let mut by_level: HashMap<Level, Vec<i64>> = HashMap::new();
    for (id, class) in found {
        if let Some(level) = class.and_then(|c| level_of.get(&c)) {
            by_level.entry(*level).or_default().push(id);
        }
    }
    Ok(by_level)
}

fn insert_teachers(
    conn: &mut DbConnection,
    school_id: i64,
    uai: &str,
    count: usize,
) -> Result<usize, StoreError> {
    let prefix = uai.to_lowercase();
    let rows: Vec<_> = (0..count)
        .map(|n| {
            (
                users::school_id.eq(school_id),
                users::role.eq(Audience::Teacher.as_str()),
                users::login.eq(format!("{prefix}-p{n:04}")),
                users::first_name.eq(format!("Professeur{n}")),
                users::last_name.eq(format!("Nom{n}")),
                users::class_id.eq(None::<i64>),
            )
        })
        .collect();
    on_each_backend!(conn, c => diesel::insert_into(users::table).values(rows).execute(c))?;
    Ok(count)
}

/// One student pool per product with 10% spare seats, filled to the coverage.
fn insert_pools_and_assignments(
    conn: &mut DbConnection,
    shape: &Shape,
    school_id: i64,
    products: &[(i64, Level)],
    students: &HashMap<Level, Vec<i64>>,
) -> Result<usize, StoreError> {
    let mut total = 0;
    for (product_id, level) in products {
        let cohort = students.get(level).map(Vec::as_slice).unwrap_or_default();
        let holders = &cohort[..cohort.len() * shape.coverage_percent / 100];
        diesel::insert_into(licence_pools::table)
            .values((
                licence_pools::school_id.eq(school_id),
                licence_pools::product_id.eq(product_id),
                licence_pools::audience.eq(Audience::Student.as_str()),
                licence_pools::purchased.eq((cohort.len() * 11 / 10) as i32),
                licence_pools::assigned.eq(holders.len() as i32),
                licence_pools::valid_from.eq(shape.valid_from),
                licence_pools::valid_until.eq(shape.valid_until),
            ))
            .execute(conn)?;
        let pool_id: i64 = licence_pools::table
            .filter(licence_pools::school_id.eq(school_id))
            .filter(licence_pools::product_id.eq(product_id))
            .select(licence_pools::id)
            .first(conn)?;
        for chunk in holders.chunks(CHUNK) {
            let rows: Vec<_> = chunk
                .iter()
                .map(|user| {
                    (
                        assignments::pool_id.eq(pool_id),
                        assignments::school_id.eq(school_id),
                        assignments::product_id.eq(product_id),
                        assignments::user_id.eq(user),
                        assignments::assigned_at.eq(shape.now),
                        assignments::assigned_by.eq("system:generator"),
                    )
                })
                .collect();
            on_each_backend!(conn, c => diesel::insert_into(assignments::table).values(rows).execute(c))?;
        }
        total += holders.len();
    }
    Ok(total)
}
