//! The one error type of the API and its JSON envelope, used for every 4xx and 5xx the
//! server answers, extractor failures and unknown routes included.

use actix_web::body::EitherBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpResponse, ResponseError};
use affecto_api_types::{ErrorBody, ErrorCode, ErrorDetail, FileProblem};
use affecto_domain::roster::Problems;
use affecto_domain::{Audience, SeatShortage};
use affecto_store::assignments::ChangeError;
use affecto_store::orders::OrderError;
use affecto_store::roster_import::ImportError;
use affecto_store::StoreError;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::auth::Scope;

/// Everything a request can end in besides success.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    InvalidInput(String),
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("this token lacks the {} scope", .0.as_str())]
    Forbidden(Scope),
    #[error("too many failed sign-ins; retry in {0} seconds")]
    TooManyRequests(u64),
    #[error(transparent)]
    NotEnoughLicences(SeatShortage),
    #[error("some users are unknown in this school")]
    UnknownUsers(Vec<i64>),
    #[error("some users are not of the {audience} audience")]
    WrongAudience { audience: Audience, ids: Vec<i64> },
    #[error("the product has no {0} licence pool valid today")]
    NoValidPool(Audience),
    #[error("each user may be named once per change")]
    DuplicateUsers(Vec<i64>),
    #[error("another change touched the same licences at the same moment; retry")]
    Conflict,
    #[error("{}", invalid_file_message(*.total, .problems.len()))]
    InvalidFile {
        total: usize,
        problems: Vec<FileProblem>,
    },
    #[error("this import would remove {removing} of the school's {people} people, more than a quarter: more likely a partial file than a mass departure. Send it again with confirm_removals=true if it is intended; nothing was imported")]
    RemovalsNeedConfirmation { removing: u32, people: u32 },
    #[error("{assigned} {audience} licences of this order are assigned: it cannot go down to {requested}; nothing was changed")]
    OrderBelowAssigned {
        audience: Audience,
        assigned: u32,
        requested: u32,
    },
    #[error("the database is unavailable; retry shortly")]
    Unavailable,
    /// The cause is logged where the error is made, never sent.
    #[error("internal error")]
    Internal,
}

impl ApiError {
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::BadRequest(_) => ErrorCode::BadRequest,
            ApiError::InvalidInput(_) => ErrorCode::InvalidInput,
            ApiError::NotFound => ErrorCode::NotFound,
            ApiError::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            ApiError::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            ApiError::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            ApiError::Unauthorized(_) => ErrorCode::Unauthorized,
            ApiError::Forbidden(_) => ErrorCode::Forbidden,
            ApiError::TooManyRequests(_) => ErrorCode::TooManyRequests,
            ApiError::NotEnoughLicences(_) => ErrorCode::NotEnoughLicences,
            ApiError::UnknownUsers(_) => ErrorCode::UnknownUsers,
            ApiError::WrongAudience { .. } => ErrorCode::WrongAudience,
            ApiError::NoValidPool(_) => ErrorCode::NoValidPool,
            ApiError::DuplicateUsers(_) => ErrorCode::DuplicateUsers,
            ApiError::Conflict => ErrorCode::Conflict,
            ApiError::InvalidFile { .. } => ErrorCode::InvalidFile,
            ApiError::RemovalsNeedConfirmation { .. } => ErrorCode::RemovalsNeedConfirmation,
            ApiError::OrderBelowAssigned { .. } => ErrorCode::OrderBelowAssigned,
            ApiError::Unavailable => ErrorCode::ServiceUnavailable,
            ApiError::Internal => ErrorCode::Internal,
        }
    }

    /// The envelope sent for an error status that no handler described, e.g. a 404
    /// from the router or a 405 from a resource.
    fn for_status(status: StatusCode) -> ApiError {
        match status {
            StatusCode::NOT_FOUND => ApiError::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                ApiError::UnsupportedMediaType("unsupported content type".into())
            }
            StatusCode::UNAUTHORIZED => ApiError::Unauthorized("missing or invalid credentials"),
            StatusCode::SERVICE_UNAVAILABLE => ApiError::Unavailable,
            s if s.is_client_error() => {
                ApiError::BadRequest(s.canonical_reason().unwrap_or("bad request").into())
            }
            _ => ApiError::Internal,
        }
    }

    fn detail(&self) -> ErrorDetail {
        let mut detail = ErrorDetail {
            code: self.code(),
            message: self.to_string(),
            available: None,
            requested: None,
            ids: Vec::new(),
            assigned: None,
            problems: Vec::new(),
        };
        match self {
            ApiError::NotEnoughLicences(shortage) => {
                detail.available = Some(shortage.available);
                detail.requested = Some(shortage.requested);
            }
            ApiError::UnknownUsers(ids)
            | ApiError::DuplicateUsers(ids)
            | ApiError::WrongAudience { ids, .. } => {
                detail.ids = ids.clone();
            }
            ApiError::InvalidFile { problems, .. } => detail.problems = problems.clone(),
            ApiError::OrderBelowAssigned {
                assigned,
                requested,
                ..
            } => {
                detail.assigned = Some(*assigned);
                detail.requested = Some(*requested);
            }
            _ => {}
        }
        detail
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::InvalidInput(_)
            | ApiError::UnknownUsers(_)
            | ApiError::WrongAudience { .. }
            | ApiError::NoValidPool(_)
            | ApiError::DuplicateUsers(_)
            | ApiError::InvalidFile { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::NotEnoughLicences(_)
            | ApiError::Conflict
            | ApiError::RemovalsNeedConfirmation { .. }
            | ApiError::OrderBelowAssigned { .. } => StatusCode::CONFLICT,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        match self {
            ApiError::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            ApiError::TooManyRequests(seconds) => {
                response.insert_header((header::RETRY_AFTER, seconds.to_string()));
            }
            ApiError::Unavailable => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            _ => {}
        }
        response.json(ErrorBody {
            error: self.detail(),
        })
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unavailable(reason) => {
                tracing::warn!(%reason, "database unavailable");
                ApiError::Unavailable
            }
            StoreError::Query(query) => from_query_error(query),
            other => {
                tracing::error!(error = %other, "storage failure");
                ApiError::Internal
            }
        }
    }
}

fn from_query_error(error: DieselError) -> ApiError {
    match &error {
        DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => {
            tracing::warn!(error = %error, "database connection lost");
            ApiError::Unavailable
        }
        DieselError::DatabaseError(
            DatabaseErrorKind::UniqueViolation
            | DatabaseErrorKind::SerializationFailure
            | DatabaseErrorKind::CheckViolation,
            _,
        ) => {
            tracing::info!(error = %error, "concurrent change refused by the database");
            ApiError::Conflict
        }
        DieselError::DatabaseError(DatabaseErrorKind::Unknown, info)
            if info.message().contains("deadlock detected") =>
        {
            tracing::info!(error = %error, "concurrent changes deadlocked; one was cancelled");
            ApiError::Conflict
        }
        DieselError::DatabaseError(DatabaseErrorKind::Unknown, info)
            if is_connection_failure(info.message()) =>
        {
            tracing::warn!(error = %error, "database connection lost");
            ApiError::Unavailable
        }
        _ => {
            tracing::error!(error = %error, "database query failed");
            ApiError::Internal
        }
    }
}

/// libpq reports a dropped server as an unclassified error; SQLite reports a lock
/// held longer than the busy timeout the same way.
fn is_connection_failure(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    [
        "connection",
        "terminating",
        "server closed",
        "could not receive",
        "database is locked",
        "no connection",
    ]
    .iter()
    .any(|hint| message.contains(hint))
}

impl From<ChangeError> for ApiError {
    fn from(error: ChangeError) -> Self {
        match error {
            ChangeError::UnknownUsers(ids) => ApiError::UnknownUsers(ids),
            ChangeError::WrongAudience { audience, ids } => {
                ApiError::WrongAudience { audience, ids }
            }
            ChangeError::NoValidPool(audience) => ApiError::NoValidPool(audience),
            ChangeError::NotEnough(shortage) => ApiError::NotEnoughLicences(shortage),
            ChangeError::Store(store) => store.into(),
        }
    }
}

fn invalid_file_message(total: usize, listed: usize) -> String {
    let found = match total {
        1 => "the file has a problem".to_owned(),
        n => format!("the file has {n} problems"),
    };
    if listed < total {
        format!("{found} (the first {listed} are listed); nothing was imported")
    } else {
        format!("{found}; nothing was imported")
    }
}

impl From<Problems> for ApiError {
    fn from(problems: Problems) -> Self {
        ApiError::InvalidFile {
            total: problems.total(),
            problems: problems.into_listed(),
        }
    }
}

impl From<ImportError> for ApiError {
    fn from(error: ImportError) -> Self {
        match error {
            ImportError::RemovalsNeedConfirmation { removing, people } => {
                ApiError::RemovalsNeedConfirmation { removing, people }
            }
            ImportError::LoginsInUse(logins) => {
                let mut problems = Problems::default();
                for login in logins {
                    let message = format!(
                        "login {login:?} belongs to another person of the school, known by another identifier"
                    );
                    problems.add(None, message);
                }
                problems.into()
            }
            ImportError::Store(store) => store.into(),
        }
    }
}

impl From<OrderError> for ApiError {
    fn from(error: OrderError) -> Self {
        match error {
            OrderError::BelowAssigned {
                audience,
                assigned,
                requested,
            } => ApiError::OrderBelowAssigned {
                audience,
                assigned,
                requested,
            },
            OrderError::OtherSchool(_) | OrderError::OtherProduct(_) => {
                ApiError::InvalidInput(error.to_string())
            }
            OrderError::Store(store) => store.into(),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(_: actix_web::error::BlockingError) -> Self {
        tracing::error!("blocking task pool shut down or a database task panicked");
        ApiError::Internal
    }
}

/// Rewrites any error response that is not already the JSON envelope (router 404s,
/// 405s, errors of actix's own extractors) into the envelope.
pub fn envelope_errors<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let allow = res.headers().get(header::ALLOW).cloned();
    let (req, _) = res.into_parts();
    let mut body = ApiError::for_status(status).error_response();
    *body.status_mut() = status;
    if let Some(allow) = allow {
        body.headers_mut().insert(header::ALLOW, allow);
    }
    let res: ServiceResponse<EitherBody<B>> = ServiceResponse::new(req, body).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(res))
}

/// JSON bodies that cannot be read: wrong content type, too large, not JSON, wrong shape.
pub fn json_error(
    error: actix_web::error::JsonPayloadError,
    _: &actix_web::HttpRequest,
) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as E;
    let api = match &error {
        E::ContentType => ApiError::UnsupportedMediaType(
            "the body must be JSON (Content-Type: application/json)".into(),
        ),
        E::Overflow { .. } | E::OverflowKnownLength { .. } => ApiError::PayloadTooLarge,
        E::Deserialize(e) => ApiError::BadRequest(format!("invalid JSON body: {e}")),
        other => ApiError::BadRequest(format!("invalid JSON body: {other}")),
    };
    api.into()
}

/// Query strings that cannot be read.
pub fn query_error(
    error: actix_web::error::QueryPayloadError,
    _: &actix_web::HttpRequest,
) -> actix_web::Error {
    ApiError::BadRequest(format!("invalid query string: {error}")).into()
}

/// Path segments of the wrong type, e.g. a word where an id is expected.
pub fn path_error(
    error: actix_web::error::PathError,
    _: &actix_web::HttpRequest,
) -> actix_web::Error {
    ApiError::BadRequest(format!("invalid path: {error}")).into()
}

/// Form bodies that cannot be read (the OAuth2 token endpoint).
pub fn form_error(
    error: actix_web::error::UrlencodedError,
    _: &actix_web::HttpRequest,
) -> actix_web::Error {
    use actix_web::error::UrlencodedError as E;
    let api = match &error {
        E::ContentType => ApiError::UnsupportedMediaType(
            "the body must be application/x-www-form-urlencoded".into(),
        ),
        E::Overflow { .. } => ApiError::PayloadTooLarge,
        other => ApiError::BadRequest(format!("invalid form body: {other}")),
    };
    api.into()
}
