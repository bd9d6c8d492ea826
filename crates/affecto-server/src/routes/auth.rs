//! Signing in: administrators with email and password, machines with OAuth2 client
//! credentials. Both get a bearer token.

use std::time::{SystemTime, UNIX_EPOCH};

use actix_web::{web, HttpRequest};
use affecto_api_types::{ErrorBody, LoginRequest, TokenRequest, TokenResponse};
use affecto_store::accounts;

use crate::auth::{password, Principal, PrincipalKind, Scope, Scopes};
use crate::error::ApiError;
use crate::state::AppState;

const BAD_CREDENTIALS: &str = "unknown email or wrong password";
const BAD_CLIENT: &str = "unknown client or wrong secret";

/// Signs a school administrator in. The answer never tells whether the email exists.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 415, body = ErrorBody),
        (status = 429, description = "Too many failed sign-ins from this address or for this account", body = ErrorBody),
    ))]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let LoginRequest {
        email,
        password: secret,
    } = body.into_inner();
    let email = email.trim().to_lowercase();
    let keys = throttle_keys(&req, &format!("account:{email}"));
    let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    state
        .throttle
        .check(&key_refs)
        .map_err(ApiError::TooManyRequests)?;

    let found = state
        .db(move |conn| {
            let admin = accounts::admin_by_email(conn, &email)?;
            Ok(match admin {
                Some(admin) if password::verify(&admin.password_hash, &secret) => Some(admin),
                Some(_) => None,
                None => {
                    password::verify_nothing(&secret);
                    None
                }
            })
        })
        .await?;
    let Some(admin) = found else {
        state.throttle.record_failure(&key_refs);
        return Err(ApiError::Unauthorized(BAD_CREDENTIALS));
    };
    state.throttle.record_success(&key_refs[1..]);

    let kind = if admin.is_operator {
        PrincipalKind::Operator
    } else {
        PrincipalKind::Admin
    };
    let scopes: Scopes = match kind {
        PrincipalKind::Operator => Scope::ALL.into_iter().collect(),
        _ => Scope::ALL
            .into_iter()
            .filter(|s| *s != Scope::OrdersWrite)
            .collect(),
    };
    tracing::info!(
        admin_id = admin.id,
        operator = admin.is_operator,
        "administrator signed in"
    );
    Ok(web::Json(issue(
        &state,
        &Principal {
            kind,
            id: admin.id,
            scopes,
        },
    )))
}

/// Issues a token to an ENT portal or distributor (OAuth2 client credentials grant,
/// RFC 6749 §4.4), limited to the schools and scopes the client was granted.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, body = TokenResponse),
        (status = 400, description = "Unsupported grant type or scope not granted", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 415, body = ErrorBody),
        (status = 429, body = ErrorBody),
    ))]
pub async fn token(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<TokenRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let request = form.into_inner();
    if request.grant_type != "client_credentials" {
        return Err(ApiError::BadRequest(
            "grant_type must be client_credentials".into(),
        ));
    }
    let keys = throttle_keys(&req, &format!("client:{}", request.client_id));
    let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    state
        .throttle
        .check(&key_refs)
        .map_err(ApiError::TooManyRequests)?;

    let client_id = request.client_id.clone();
    let secret = request.client_secret.clone();
    let found = state
        .db(move |conn| {
            let client = accounts::client_by_client_id(conn, &client_id)?;
            Ok(match client {
                Some(client) if password::verify(&client.secret_hash, &secret) => Some(client),
                Some(_) => None,
                None => {
                    password::verify_nothing(&secret);
                    None
                }
            })
        })
        .await?;
    let Some(client) = found else {
        state.throttle.record_failure(&key_refs);
        return Err(ApiError::Unauthorized(BAD_CLIENT));
    };
    state.throttle.record_success(&key_refs[1..]);

    let granted: Scopes = client.scopes.parse().map_err(|_| ApiError::Internal)?;
    let scopes = match request.scope.as_deref().map(str::parse::<Scopes>) {
        None => granted,
        Some(Err(e)) => return Err(ApiError::BadRequest(e)),
        Some(Ok(asked)) if asked.intersection(&granted) != asked => {
            return Err(ApiError::BadRequest(
                "a scope asked for was not granted to this client".into(),
            ));
        }
        Some(Ok(asked)) => asked,
    };
    tracing::info!(client = %client.client_id, scopes = %scopes, "client token issued");
    Ok(web::Json(issue(
        &state,
        &Principal {
            kind: PrincipalKind::Client,
            id: client.id,
            scopes,
        },
    )))
}

/// The throttle keys of a sign-in: the caller's address, then the account.
fn throttle_keys(req: &HttpRequest, account: &str) -> [String; 2] {
    let address = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    [format!("ip:{address}"), account.to_owned()]
}

fn issue(state: &AppState, principal: &Principal) -> TokenResponse {
    let settings = &state.settings;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let scope = principal.scopes.to_string();
    TokenResponse {
        access_token: settings.keys.issue(
            principal.subject(),
            scope.clone(),
            now,
            settings.token_lifetime,
        ),
        token_type: "Bearer".into(),
        expires_in: settings.token_lifetime.as_secs(),
        scope: Some(scope),
    }
}
