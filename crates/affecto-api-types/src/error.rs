use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::FileProblem;

/// The envelope of every error the server answers, whatever the status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"error": {"code": "not_enough_licences",
    "message": "3 licences requested but only 2 available", "available": 2, "requested": 3}}))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong: a stable code for programs, a message for people, and figures
/// where they help.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    pub message: String,
    /// Seats still available, for `not_enough_licences`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<u32>,
    /// Seats the request needed, for `not_enough_licences`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested: Option<u32>,
    /// The identifiers the error is about, e.g. users of another audience.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<i64>,
    /// Seats already assigned, for `order_below_assigned`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned: Option<u32>,
    /// What is wrong in an import file and where, for `invalid_file`: the first 50
    /// problems (the message gives their total).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<FileProblem>,
}

/// Stable, snake_case error codes. Clients branch on these, never on messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request body, a path segment or a query parameter could not be read.
    BadRequest,
    /// A field was well formed but its value is refused (e.g. a malformed UAI).
    InvalidInput,
    /// No such resource, or not one the caller may see.
    NotFound,
    /// The route exists but not with this HTTP method.
    MethodNotAllowed,
    /// The body is not JSON or declares another content type.
    UnsupportedMediaType,
    /// The body is larger than the server accepts.
    PayloadTooLarge,
    /// Missing, expired or invalid credentials.
    Unauthorized,
    /// Credentials are valid but lack the scope for this action.
    Forbidden,
    /// Too many failed sign-ins; retry later.
    TooManyRequests,
    /// The valid pools of this audience lack seats for the change; nothing was changed.
    NotEnoughLicences,
    /// A user named in the change is unknown in this school.
    UnknownUsers,
    /// A user named in the change is not of the pool's audience.
    WrongAudience,
    /// The product has no pool valid today for this audience.
    NoValidPool,
    /// The same user is named twice in one change.
    DuplicateUsers,
    /// Another change touched the same licences at the same moment; retry.
    Conflict,
    /// An import file cannot be read or holds bad rows; `problems` says where. Nothing
    /// was imported.
    InvalidFile,
    /// The import would remove more than a quarter of the school's people; send it
    /// again with `confirm_removals=true` if that is intended. Nothing was imported.
    RemovalsNeedConfirmation,
    /// An order cannot go below the licences already assigned from it (`assigned`,
    /// `requested`). Nothing was changed.
    OrderBelowAssigned,
    /// The database cannot be reached right now; retry shortly.
    ServiceUnavailable,
    /// An unexpected failure on the server; it has been logged.
    Internal,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_details_are_left_out_of_the_envelope() {
        let body = ErrorBody {
            error: ErrorDetail {
                code: ErrorCode::NotFound,
                message: "no such school".into(),
                available: None,
                requested: None,
                ids: vec![],
                assigned: None,
                problems: vec![],
            },
        };
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {"code": "not_found", "message": "no such school"}})
        );
    }
}
