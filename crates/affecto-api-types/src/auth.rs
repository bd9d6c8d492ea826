use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A school administrator's sign-in.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LoginRequest {
    #[schema(example = "admin@college-demo.fr")]
    pub email: String,
    #[schema(example = "demo", format = Password)]
    pub password: String,
}

/// OAuth2 client credentials grant (RFC 6749 §4.4), sent form-encoded.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TokenRequest {
    #[schema(example = "client_credentials")]
    pub grant_type: String,
    #[schema(example = "demo-ent")]
    pub client_id: String,
    #[schema(format = Password)]
    pub client_secret: String,
    /// Space-separated scopes to narrow the token to; all granted scopes when absent.
    #[serde(default)]
    pub scope: Option<String>,
}

/// A bearer token, to be sent as `Authorization: Bearer ...`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Lifetime of the token in seconds.
    pub expires_in: u64,
    /// The scopes the token carries, space separated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}
