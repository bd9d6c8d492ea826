//! Request and response bodies of the Affecto REST API (`/api/v1`).
//!
//! The server serialises these and the web app deserialises them, so a change here is
//! a change of the public contract: `api-spec/openapi.json` must be regenerated. This
//! crate depends on serde and utoipa only and builds for `wasm32-unknown-unknown`.

mod auth;
mod error;
mod imports;
mod licences;
mod orders;
mod roster;
mod year;

pub use affecto_domain::{Audience, AutoUnassignDate, Cycle, Level};
pub use auth::{LoginRequest, TokenRequest, TokenResponse};
pub use error::{ErrorBody, ErrorCode, ErrorDetail};
pub use imports::{FileProblem, RosterFormat, RosterImportMode, RosterImportOutcome};
pub use licences::{
    AccessDecision, AssignmentChange, AssignmentOutcome, LicenceOverview, PoolLicences, Product,
    ProductLicences, UserLicence, UserLicences,
};
pub use orders::{Order, OrderOutcome, OrderRequest, OrderedProduct, ProductList};
pub use roster::{
    ClassList, ClassSummary, School, SchoolList, StudentList, StudentRow, TeacherList, TeacherRow,
};
pub use year::{
    AssignmentList, AssignmentRow, AuditEvent, AuditPage, RolloverOutcome, RolloverPreview,
    RolloverRelease, RolloverRun,
};

/// Database identifiers as they appear in paths and bodies.
pub type Id = i64;
