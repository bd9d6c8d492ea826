use std::future::{ready, Ready};

use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use affecto_store::assignments::{Actor, Channel};
use affecto_store::schools::Viewer;

use super::{Scope, Scopes};
use crate::error::ApiError;
use crate::state::AppState;

/// What kind of caller a token was issued to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    Admin,
    Operator,
    Client,
}

impl PrincipalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::Admin => "admin",
            PrincipalKind::Operator => "operator",
            PrincipalKind::Client => "client",
        }
    }
}

/// The authenticated caller of a request, taken from its bearer token.
#[derive(Debug, Clone)]
pub struct Principal {
    pub kind: PrincipalKind,
    pub id: i64,
    pub scopes: Scopes,
}

impl Principal {
    /// The `sub` claim of this principal's tokens.
    pub fn subject(&self) -> String {
        format!("{}:{}", self.kind.as_str(), self.id)
    }

    fn from_subject(sub: &str, scopes: Scopes) -> Option<Self> {
        let (kind, id) = sub.split_once(':')?;
        let kind = match kind {
            "admin" => PrincipalKind::Admin,
            "operator" => PrincipalKind::Operator,
            "client" => PrincipalKind::Client,
            _ => return None,
        };
        Some(Self {
            kind,
            id: id.parse().ok()?,
            scopes,
        })
    }

    /// Which schools this principal may see.
    pub fn viewer(&self) -> Viewer {
        match self.kind {
            PrincipalKind::Operator => Viewer::Operator,
            PrincipalKind::Admin => Viewer::Admin(self.id),
            PrincipalKind::Client => Viewer::Client(self.id),
        }
    }

    /// Refuses with 403 unless the token carries `scope`.
    pub fn require(&self, scope: Scope) -> Result<(), ApiError> {
        if self.scopes.contains(scope) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(scope))
        }
    }

    /// How this principal's changes are recorded in the audit record.
    pub fn actor(&self) -> Actor {
        let channel = match self.kind {
            PrincipalKind::Admin | PrincipalKind::Operator => Channel::Web,
            PrincipalKind::Client => Channel::Api,
        };
        Actor {
            label: self.subject(),
            channel,
        }
    }
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

fn authenticate(req: &HttpRequest) -> Result<Principal, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or(ApiError::Internal)?;
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .ok_or(ApiError::Unauthorized("a bearer token is required"))?;
    let token = token.trim();
    if let Some(principal) = state.verified_tokens.get(token) {
        return Ok(principal);
    }
    let invalid = || ApiError::Unauthorized("the token is invalid or expired");
    let claims = state.settings.keys.verify(token).map_err(|_| invalid())?;
    let scopes: Scopes = claims.scope.parse().map_err(|_| invalid())?;
    let principal = Principal::from_subject(&claims.sub, scopes).ok_or_else(invalid)?;
    state
        .verified_tokens
        .insert(token, principal.clone(), claims.exp);
    Ok(principal)
}
