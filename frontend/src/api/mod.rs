//! Calls to the Affecto REST API (`/api/v1`), typed with `affecto-api-types`.
//!
//! Every call but sign-in sends the session's bearer token; a 401 closes the session,
//! which sends the administrator back to the sign-in screen.

mod error;

use affecto_api_types::{
    AssignmentChange, AssignmentOutcome, AuditPage, ClassList, ErrorBody, Id, LicenceOverview,
    LoginRequest, ProductLicences, RosterImportMode, RosterImportOutcome, SchoolList, StudentList,
    TeacherList, TokenResponse,
};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;

pub use error::ApiError;

use crate::session::Auth;

const BASE: &str = "/api/v1";

/// Signs in with an e-mail and a password (401 when they do not match).
pub async fn login(credentials: &LoginRequest) -> Result<TokenResponse, ApiError> {
    let request = Request::post(&format!("{BASE}/auth/login")).json(credentials);
    read(send(request).await?).await
}

/// The schools the administrator manages.
pub async fn schools(auth: Auth) -> Result<SchoolList, ApiError> {
    get(auth, "/schools".to_owned()).await
}

/// The "Gestion des licences" figures of a school.
pub async fn licences(auth: Auth, uai: &str) -> Result<LicenceOverview, ApiError> {
    get(auth, format!("/schools/{}/licences", segment(uai))).await
}

/// One product's valid pools in a school.
pub async fn product_licences(
    auth: Auth,
    uai: &str,
    product_id: Id,
) -> Result<ProductLicences, ApiError> {
    get(
        auth,
        format!("/schools/{}/licences/{product_id}", segment(uai)),
    )
    .await
}

/// The school's classes, by level then name.
pub async fn classes(auth: Auth, uai: &str) -> Result<ClassList, ApiError> {
    get(auth, format!("/schools/{}/classes", segment(uai))).await
}

/// A class's students, each with whether they hold a licence of the product.
pub async fn students(
    auth: Auth,
    uai: &str,
    class_id: Id,
    product_id: Id,
) -> Result<StudentList, ApiError> {
    let path = format!(
        "/schools/{}/classes/{class_id}/students?product_id={product_id}",
        segment(uai)
    );
    get(auth, path).await
}

/// The teachers of the product's subjects, or all the school's teachers.
pub async fn teachers(
    auth: Auth,
    uai: &str,
    product_id: Id,
    all: bool,
) -> Result<TeacherList, ApiError> {
    let path = format!(
        "/schools/{}/teachers?product_id={product_id}&all={all}",
        segment(uai)
    );
    get(auth, path).await
}

/// Assigns and unassigns one product's licences in one go, all or nothing.
pub async fn change_assignments(
    auth: Auth,
    uai: &str,
    product_id: Id,
    change: &AssignmentChange,
) -> Result<AssignmentOutcome, ApiError> {
    let url = format!(
        "{BASE}/schools/{}/products/{product_id}/assignments",
        segment(uai)
    );
    let request = with_token(auth, Request::post(&url))?.json(change);
    authorized(auth, send(request).await?).await
}

/// Which events of the audit record to read.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AuditFilter {
    /// Only the changes of this product.
    pub product_id: Option<Id>,
    /// Only the events older than this one (the `next_before` of the previous page).
    pub before: Option<Id>,
}

impl AuditFilter {
    fn query(&self) -> String {
        let mut params = Vec::new();
        if let Some(id) = self.product_id {
            params.push(format!("product_id={id}"));
        }
        if let Some(id) = self.before {
            params.push(format!("before={id}"));
        }
        if params.is_empty() {
            String::new()
        } else {
            format!("?{}", params.join("&"))
        }
    }
}

/// One page of the school's audit record, newest first.
pub async fn audit(auth: Auth, uai: &str, filter: AuditFilter) -> Result<AuditPage, ApiError> {
    get(
        auth,
        format!("/schools/{}/audit{}", segment(uai), filter.query()),
    )
    .await
}

/// The audit record as the server's CSV file (French header, local times), as bytes.
pub async fn audit_csv(auth: Auth, uai: &str, filter: AuditFilter) -> Result<Vec<u8>, ApiError> {
    let url = format!(
        "{BASE}/schools/{}/audit.csv{}",
        segment(uai),
        filter.query()
    );
    let token = auth.token().ok_or(ApiError::Unauthorized)?;
    let request = Request::get(&url)
        .header("Authorization", &format!("Bearer {token}"))
        .header("Accept", "text/csv")
        .build();
    let response = send(request).await?;
    if response.status() == 401 {
        auth.sign_out();
        return Err(ApiError::Unauthorized);
    }
    let status = response.status();
    if !response.ok() {
        return Err(refusal(response).await);
    }
    response
        .binary()
        .await
        .map_err(|_| ApiError::Unexpected { status })
}

/// How to send a directory file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RosterImport {
    /// Only say what the import would do.
    pub dry_run: bool,
    pub mode: RosterImportMode,
    /// Accept a sync removing more than a quarter of the school's people.
    pub confirm_removals: bool,
}

/// Sends a directory file (Affecto CSV or OneRoster zip) as the raw request body.
pub async fn import_roster(
    auth: Auth,
    uai: &str,
    file: &web_sys::File,
    options: RosterImport,
) -> Result<RosterImportOutcome, ApiError> {
    let url = format!(
        "{BASE}/schools/{}/roster?dry_run={}&mode={}&confirm_removals={}",
        segment(uai),
        options.dry_run,
        options.mode.as_str(),
        options.confirm_removals
    );
    let request = with_token(auth, Request::post(&url))?
        .header("Content-Type", roster_content_type(&file.name()))
        .body(file.clone());
    authorized(auth, send(request).await?).await
}

/// `application/zip` for a `.zip` file (OneRoster), `text/csv` for anything else.
pub fn roster_content_type(file_name: &str) -> &'static str {
    if file_name.to_lowercase().ends_with(".zip") {
        "application/zip"
    } else {
        "text/csv"
    }
}

async fn get<T: DeserializeOwned>(auth: Auth, path: String) -> Result<T, ApiError> {
    let request = with_token(auth, Request::get(&format!("{BASE}{path}")))?.build();
    authorized(auth, send(request).await?).await
}

fn with_token(auth: Auth, request: RequestBuilder) -> Result<RequestBuilder, ApiError> {
    let token = auth.token().ok_or(ApiError::Unauthorized)?;
    Ok(request
        .header("Authorization", &format!("Bearer {token}"))
        .header("Accept", "application/json"))
}

async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiError> {
    let request = request.map_err(|e| ApiError::Network(e.to_string()))?;
    request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))
}

/// Reads a response to an authenticated call; a 401 ends the session.
async fn authorized<T: DeserializeOwned>(auth: Auth, response: Response) -> Result<T, ApiError> {
    if response.status() == 401 {
        auth.sign_out();
        return Err(ApiError::Unauthorized);
    }
    read(response).await
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    if response.ok() {
        return response
            .json::<T>()
            .await
            .map_err(|_| ApiError::Unexpected { status });
    }
    Err(refusal(response).await)
}

/// The error a refused call answers, with the server's envelope when it sent one.
async fn refusal(response: Response) -> ApiError {
    let status = response.status();
    match response.json::<ErrorBody>().await {
        Ok(body) => ApiError::Refused {
            status,
            detail: body.error,
        },
        Err(_) => ApiError::Unexpected { status },
    }
}

/// Escapes a value taken from the address bar before putting it in a path.
fn segment(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_filters_become_query_parameters() {
        assert_eq!(AuditFilter::default().query(), "");
        let filter = AuditFilter {
            product_id: Some(4),
            before: Some(120),
        };
        assert_eq!(filter.query(), "?product_id=4&before=120");
    }

    #[test]
    fn zip_files_are_sent_as_oneroster() {
        assert_eq!(roster_content_type("export.ZIP"), "application/zip");
        assert_eq!(roster_content_type("eleves.csv"), "text/csv");
    }
}
