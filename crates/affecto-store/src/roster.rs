//! The school's directory ("référentiel"): classes, students and teachers, with
//! whether each holds a licence of a given product.

use std::collections::{HashMap, HashSet};

use affecto_api_types::{ClassSummary, StudentList, StudentRow, TeacherList, TeacherRow};
use affecto_domain::{Audience, Level};
use chrono::NaiveDate;
use diesel::dsl::exists;
use diesel::prelude::*;

use crate::id_list::in_ids;
use crate::licences::pool_valid_on;
use crate::schema::{
    assignments, classes, licence_pools, product_subjects, subjects, teacher_subjects, users,
};
use crate::{DbConnection, StoreError};

/// The school's classes, by level then name, with their number of students.
pub fn classes(
    conn: &mut DbConnection,
    school_id: i64,
    level: Option<Level>,
) -> Result<Vec<ClassSummary>, StoreError> {
    class_summaries(conn, school_id, level)
}

/// One class of the school with its number of students; `None` when the school has
/// no such class.
pub fn class(
    conn: &mut DbConnection,
    school_id: i64,
    class_id: i64,
) -> Result<Option<ClassSummary>, StoreError> {
    let one = classes::table
        .left_join(users::table.on(users::class_id.eq(classes::id.nullable())))
        .filter(classes::id.eq(class_id))
        .filter(classes::school_id.eq(school_id))
        .group_by((classes::id, classes::name, classes::level))
        .select(summary_columns());
    let row: Option<SummaryRow> = on_each_backend!(conn, c => one.first(c).optional())?;
    Ok(row.and_then(summary))
}

/// A class as stored, with its number of students.
type SummaryRow = (i64, String, String, i64);

type SummaryColumns = (
    classes::id,
    classes::name,
    classes::level,
    diesel::dsl::count<diesel::dsl::Nullable<users::id>>,
);

/// The columns of a [`SummaryRow`], over classes left-joined with their students.
fn summary_columns() -> SummaryColumns {
    (
        classes::id,
        classes::name,
        classes::level,
        diesel::dsl::count(users::id.nullable()),
    )
}

fn summary((id, name, level, count): SummaryRow) -> Option<ClassSummary> {
    Some(ClassSummary {
        id,
        name,
        level: level.parse().ok()?,
        student_count: u32::try_from(count).unwrap_or(0),
    })
}

fn class_summaries(
    conn: &mut DbConnection,
    school_id: i64,
    level: Option<Level>,
) -> Result<Vec<ClassSummary>, StoreError> {
    let mut query = classes::table
        .left_join(users::table.on(users::class_id.eq(classes::id.nullable())))
        .filter(classes::school_id.eq(school_id))
        .group_by((classes::id, classes::name, classes::level))
        .select(summary_columns())
        .into_boxed();
    if let Some(level) = level {
        query = query.filter(classes::level.eq(level.as_str()));
    }
    let rows: Vec<SummaryRow> = query.load(conn)?;
    let mut found: Vec<ClassSummary> = rows.into_iter().filter_map(summary).collect();
    found.sort_by(|a, b| a.level.cmp(&b.level).then_with(|| a.name.cmp(&b.name)));
    Ok(found)
}

/// A class of the school with its students, and for each whether they hold a licence
/// of `product_id` valid today, read together. `None` when the class is not this
/// school's.
pub fn class_students(
    conn: &mut DbConnection,
    school_id: i64,
    class_id: i64,
    product_id: i64,
    today: NaiveDate,
) -> Result<Option<StudentList>, StoreError> {
    let Some(class) = class(conn, school_id, class_id)? else {
        return Ok(None);
    };
    let holds = exists(
        assignments::table
            .inner_join(licence_pools::table)
            .filter(assignments::user_id.eq(users::id))
            .filter(assignments::product_id.eq(product_id))
            .filter(assignments::school_id.eq(school_id))
            .filter(pool_valid_on(today)),
    );
    let people = users::table
        .filter(users::class_id.eq(class_id))
        .filter(users::school_id.eq(school_id))
        .filter(users::role.eq(Audience::Student.as_str()))
        .order((users::last_name, users::first_name, users::id))
        .select((
            users::id,
            users::first_name,
            users::last_name,
            users::login,
            holds,
        ));
    let people: Vec<(i64, String, String, String, bool)> =
        on_each_backend!(&mut *conn, c => people.load(c))?;
    let students = people
        .into_iter()
        .map(|(id, first_name, last_name, login, assigned)| StudentRow {
            id,
            first_name,
            last_name,
            login,
            assigned,
        })
        .collect();
    Ok(Some(StudentList { class, students }))
}

/// The school's teachers — all of them, or those teaching one of the product's
/// subjects — each with their subjects and whether they hold a valid licence.
pub fn teachers(
    conn: &mut DbConnection,
    school_id: i64,
    product_id: i64,
    all: bool,
    today: NaiveDate,
) -> Result<TeacherList, StoreError> {
    let mut query = users::table
        .filter(users::school_id.eq(school_id))
        .filter(users::role.eq(Audience::Teacher.as_str()))
        .order((users::last_name, users::first_name, users::id))
        .select((users::id, users::first_name, users::last_name))
        .into_boxed();
    if !all {
        let product_subject_ids = product_subjects::table
            .filter(product_subjects::product_id.eq(product_id))
            .select(product_subjects::subject_id);
        let subject_teachers = teacher_subjects::table
            .filter(teacher_subjects::subject_id.eq_any(product_subject_ids))
            .select(teacher_subjects::user_id);
        query = query.filter(users::id.eq_any(subject_teachers));
    }
    let people: Vec<(i64, String, String)> = query.load(conn)?;
    let ids: Vec<i64> = people.iter().map(|p| p.0).collect();
    let mut subjects_of = subjects_of(conn, &ids)?;
    let holders = holders_of(conn, school_id, product_id, &ids, today)?;
    let teachers = people
        .into_iter()
        .map(|(id, first_name, last_name)| TeacherRow {
            id,
            first_name,
            last_name,
            subjects: subjects_of.remove(&id).unwrap_or_default(),
            assigned: holders.contains(&id),
        })
        .collect();
    Ok(TeacherList { all, teachers })
}

fn subjects_of(
    conn: &mut DbConnection,
    user_ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>, StoreError> {
    let rows = teacher_subjects::table
        .inner_join(subjects::table)
        .filter(in_ids(teacher_subjects::user_id, user_ids))
        .order(subjects::name)
        .select((teacher_subjects::user_id, subjects::name));
    let rows: Vec<(i64, String)> = on_each_backend!(conn, c => rows.load(c))?;
    let mut by_user: HashMap<i64, Vec<String>> = HashMap::new();
    for (user_id, name) in rows {
        by_user.entry(user_id).or_default().push(name);
    }
    Ok(by_user)
}

/// Which of these users hold a licence of the product from a pool valid today.
pub fn holders_of(
    conn: &mut DbConnection,
    school_id: i64,
    product_id: i64,
    user_ids: &[i64],
    today: NaiveDate,
) -> Result<HashSet<i64>, StoreError> {
    let holders = assignments::table
        .inner_join(licence_pools::table)
        .filter(assignments::school_id.eq(school_id))
        .filter(assignments::product_id.eq(product_id))
        .filter(in_ids(assignments::user_id, user_ids))
        .filter(pool_valid_on(today))
        .select(assignments::user_id);
    let holders: Vec<i64> = on_each_backend!(conn, c => holders.load(c))?;
    Ok(holders.into_iter().collect())
}
