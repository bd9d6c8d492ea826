use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{Id, Level};

/// A school ("établissement").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct School {
    #[schema(example = "0020002S")]
    pub uai: String,
    #[schema(example = "Collège de démonstration")]
    pub name: String,
}

/// The schools the caller may see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SchoolList {
    pub schools: Vec<School>,
}

/// A class ("division") and its headcount.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ClassSummary {
    pub id: Id,
    #[schema(example = "6e A")]
    pub name: String,
    pub level: Level,
    pub student_count: u32,
}

/// A school's classes, by level then name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ClassList {
    pub classes: Vec<ClassSummary>,
}

/// A student of a class, and whether they hold a valid licence of the product asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StudentRow {
    pub id: Id,
    pub first_name: String,
    pub last_name: String,
    #[schema(example = "0020002s-e4459")]
    pub login: String,
    pub assigned: bool,
}

/// A class's students, by last name then first name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StudentList {
    pub class: ClassSummary,
    pub students: Vec<StudentRow>,
}

/// A teacher, their subjects, and whether they hold a valid licence of the product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TeacherRow {
    pub id: Id,
    pub first_name: String,
    pub last_name: String,
    pub subjects: Vec<String>,
    pub assigned: bool,
}

/// Teachers, by last name then first name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TeacherList {
    /// True when the list is every teacher of the school, false when it is only
    /// those teaching one of the product's subjects.
    pub all: bool,
    pub teachers: Vec<TeacherRow>,
}
