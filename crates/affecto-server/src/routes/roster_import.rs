//! Importing the school's directory ("Importer le référentiel") from the file its
//! information system exports: Affecto's CSV or a OneRoster 1.2 zip, sent as the raw
//! request body.

use actix_web::http::header::{self, HeaderMap};
use actix_web::{web, HttpRequest};
use affecto_api_types::{ErrorBody, RosterImportMode, RosterImportOutcome};
use affecto_domain::roster::Problems;
use affecto_domain::Uai;
use affecto_store::roster_import::{import_roster as import_into_store, Import};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Principal, Scope};
use crate::error::ApiError;
use crate::imports::{archive, RosterFile};
use crate::routes::schools::visible_school;
use crate::state::AppState;

/// The largest directory file accepted: a few thousand people take well under 1 MiB.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// A OneRoster export as a zip archive, sent as the raw body.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[expect(dead_code, reason = "only describes the body in the OpenAPI document")]
pub struct ZipArchive(Vec<u8>);

/// How to apply the file.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportOptions {
    /// Answer what the import would change, changing nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// `sync` (the default): the file is the whole directory, and people it does not
    /// list are removed with their licences taken back; `upsert`: add and update only.
    #[serde(default)]
    pub mode: RosterImportMode,
    /// Accept a sync that removes more than a quarter of the school's people.
    #[serde(default)]
    pub confirm_removals: bool,
}

/// Imports the school's directory. The file is the raw body: `text/csv` for Affecto's
/// CSV (UTF-8, with or without BOM, commas or semicolons), `application/zip` for a
/// OneRoster 1.2 CSV export. People are found again by identifier or login and updated
/// in place, so a student who changed class keeps their licences. A file with a bad
/// row is refused whole, each problem with its line. See docs/imports.md.
#[utoipa::path(post, path = "/api/v1/schools/{uai}/roster", tag = "roster",
    params(
        ("uai" = String, Path, description = "The school's UAI", pattern = "^[0-9]{7}[A-Za-z]$"),
        ImportOptions,
    ),
    request_body(
        description = "The directory file, at most 10 MiB",
        content(
            (String = "text/csv", example = "role;login;last_name;first_name;class;level;subjects\nstudent;0020002s-e1001;Martin;Emma;6e A;6e;\nteacher;0020002s-p101;Fontaine;Claire;;;Français|Latin\n"),
            (ZipArchive = "application/zip"),
        ),
    ),
    responses(
        (status = 200, description = "The directory was imported, or, for a dry run, what the import would do", body = RosterImportOutcome),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "The sync would remove more than a quarter of the school's people (`removals_need_confirmation`), or a concurrent change (`conflict`); nothing was imported", body = ErrorBody),
        (status = 413, body = ErrorBody),
        (status = 415, description = "The body is neither CSV nor a zip archive", body = ErrorBody),
        (status = 422, description = "The file cannot be read or holds bad rows (`invalid_file`, with `problems`); nothing was imported", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn import_roster(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    uai: web::Path<String>,
    options: web::Query<ImportOptions>,
    body: web::Bytes,
) -> Result<web::Json<RosterImportOutcome>, ApiError> {
    let school_principal = principal.clone();
    let school = state
        .db(move |conn| visible_school(conn, &school_principal, &uai, Scope::RosterWrite))
        .await?;

    let file = roster_file(req.headers(), body)?;
    let school_uai = Uai::parse(&school.uai).map_err(|_| ApiError::Internal)?;
    let format = file.format();
    let roster = web::block(move || file.read(&school_uai)).await??;

    let options = options.into_inner();
    let clock = state.settings.clock.clone();
    let batch_id = uuid::Uuid::new_v4().to_string();
    let log_batch = batch_id.clone();
    let outcome = state
        .db(move |conn| {
            let actor = principal.actor();
            let import = Import {
                school_id: school.id,
                roster: &roster,
                format,
                mode: options.mode,
                dry_run: options.dry_run,
                confirm_removals: options.confirm_removals,
                actor: &actor,
                batch_id: &batch_id,
                now: clock.now_naive(),
            };
            Ok(import_into_store(conn, &import)?)
        })
        .await?;
    log_outcome(&school.uai, &outcome, &log_batch);
    Ok(web::Json(outcome))
}

/// The file the body holds, told by its content type and, when that is vague, by its
/// first bytes. Anything but CSV or zip is refused.
fn roster_file(headers: &HeaderMap, body: web::Bytes) -> Result<RosterFile, ApiError> {
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
    let zipped = archive::is_zip(&body);
    match declared.as_deref() {
        None | Some("application/octet-stream") if zipped => {
            Ok(RosterFile::OneRosterZip(body.to_vec()))
        }
        None | Some("application/octet-stream") => Ok(RosterFile::Csv(body.to_vec())),
        Some("text/csv" | "application/csv" | "text/plain" | "application/vnd.ms-excel") => {
            if zipped {
                Ok(RosterFile::OneRosterZip(body.to_vec()))
            } else {
                Ok(RosterFile::Csv(body.to_vec()))
            }
        }
        Some("application/zip" | "application/x-zip-compressed" | "application/x-zip") => {
            if zipped {
                Ok(RosterFile::OneRosterZip(body.to_vec()))
            } else {
                Err(Problems::whole_file("the body is not a zip archive").into())
            }
        }
        Some(other) => Err(ApiError::UnsupportedMediaType(format!(
            "{other} is not a directory file: send text/csv or application/zip"
        ))),
    }
}

/// One line per import, with counts and never a name or a login.
pub fn log_outcome(uai: &str, outcome: &RosterImportOutcome, batch_id: &str) {
    tracing::info!(
        school = %uai,
        format = outcome.format.as_str(),
        mode = outcome.mode.as_str(),
        dry_run = outcome.dry_run,
        created = outcome.created,
        updated = outcome.updated,
        removed = outcome.removed,
        seats_released = outcome.seats_released,
        ignored = outcome.ignored,
        batch_id,
        "directory imported"
    );
}
