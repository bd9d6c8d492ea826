use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::Id;

/// How many student licences of one product the yearly unassignment takes back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RolloverRelease {
    pub product_id: Id,
    pub title: String,
    pub student_licences: u32,
}

/// A past run of the yearly unassignment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RolloverRun {
    /// e.g. "2025-2026".
    pub school_year: String,
    pub ran_at: DateTime<Utc>,
    pub released: u32,
}

/// What the next yearly unassignment will release, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RolloverPreview {
    /// The school year whose student licences the next run takes back.
    pub school_year: String,
    /// The day the next run happens (or happened, if it is due and not yet done).
    pub date: NaiveDate,
    /// Student licences the run would take back now, by product; teacher licences stay.
    pub releases: Vec<RolloverRelease>,
    pub total: u32,
    pub last_run: Option<RolloverRun>,
}

/// What a manual run of the yearly unassignment did, or would do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RolloverOutcome {
    pub school_year: String,
    pub dry_run: bool,
    /// True when this school year's run had already happened: nothing was released.
    pub already_done: bool,
    pub released: u32,
}

/// One assignment change of the audit record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditEvent {
    pub id: Id,
    pub at: DateTime<Utc>,
    /// `assign` or `unassign`.
    pub action: String,
    pub product_id: Id,
    pub product_title: String,
    pub user_id: Id,
    /// Absent when the user has since left the directory.
    pub user_login: Option<String>,
    pub user_name: Option<String>,
    /// `admin:<id>`, `operator:<id>`, `client:<id>` or `system`.
    pub actor: String,
    /// `web`, `api`, `cli` or `system`.
    pub channel: String,
    /// Events of one change share a batch id.
    pub batch_id: String,
}

/// A page of the audit record, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditPage {
    pub events: Vec<AuditEvent>,
    /// Pass as `before` to get the next page; absent on the last page.
    pub next_before: Option<Id>,
}

/// A licence held by a user, as exported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AssignmentRow {
    pub user_id: Id,
    pub first_name: String,
    pub last_name: String,
    pub login: String,
    /// The student's class; absent for teachers.
    pub class: Option<String>,
    pub audience: crate::Audience,
    pub product_id: Id,
    pub product_title: String,
    pub valid_until: NaiveDate,
    pub assigned_at: DateTime<Utc>,
}

/// Licences held, of one product or by one class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AssignmentList {
    pub assignments: Vec<AssignmentRow>,
}
