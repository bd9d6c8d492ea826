//! Access tokens: HS256 JWTs with a key id, so keys can be rotated without signing
//! everyone out (sign with the new key, keep verifying with the old one a while).

use std::time::Duration;

use jsonwebtoken::{
    decode, decode_header, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation,
};
use serde::{Deserialize, Serialize};

use crate::config::Environment;

pub const ISSUER: &str = "affecto";
pub const AUDIENCE: &str = "affecto-api";

/// The development key: known to everyone, so refused in production.
const DEVELOPMENT_KEY: (&str, &str) = ("dev", "affecto-development-key-do-not-use-in-production");
const MIN_SECRET_BYTES: usize = 32;
/// How long after its expiry a token is still accepted, for clocks slightly apart.
pub const LEEWAY_SECONDS: u64 = 5;

/// What a token says about its holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// `admin:<id>`, `operator:<id>` or `client:<id>`.
    pub sub: String,
    pub iat: u64,
    pub exp: u64,
    /// Space-separated scopes.
    pub scope: String,
}

/// The keys tokens are signed and checked with; the first one signs.
#[derive(Clone)]
pub struct SigningKeys {
    keys: Vec<(String, Vec<u8>)>,
}

impl std::fmt::Debug for SigningKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|(kid, _)| kid.as_str()).collect();
        write!(f, "SigningKeys({ids:?})")
    }
}

impl SigningKeys {
    /// Reads `kid:secret[,kid:secret...]`. Without it, development uses a built-in key
    /// and production refuses to start; production also refuses short or known keys.
    pub fn from_config(raw: Option<&str>, environment: Environment) -> Result<Self, String> {
        let Some(raw) = raw else {
            return match environment {
                Environment::Development => Ok(Self::development()),
                Environment::Production => {
                    Err("must be set in production (kid:secret, at least 32 bytes)".into())
                }
            };
        };
        let mut keys = Vec::new();
        for entry in raw.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (kid, secret) = entry
                .split_once(':')
                .ok_or("each key is written kid:secret")?;
            if kid.is_empty() || secret.len() < MIN_SECRET_BYTES {
                return Err(format!(
                    "key {kid:?} needs a name and a secret of at least {MIN_SECRET_BYTES} bytes"
                ));
            }
            if environment == Environment::Production && secret == DEVELOPMENT_KEY.1 {
                return Err("the development key cannot be used in production".into());
            }
            keys.push((kid.to_owned(), secret.as_bytes().to_vec()));
        }
        if keys.is_empty() {
            return Err("no key given".into());
        }
        Ok(Self { keys })
    }

    pub fn development() -> Self {
        Self {
            keys: vec![(
                DEVELOPMENT_KEY.0.into(),
                DEVELOPMENT_KEY.1.as_bytes().to_vec(),
            )],
        }
    }

    /// Signs a token for `sub` with `scope`, valid for `lifetime` from `now`.
    pub fn issue(&self, sub: String, scope: String, now_unix: u64, lifetime: Duration) -> String {
        let (kid, secret) = &self.keys[0];
        let claims = Claims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub,
            iat: now_unix,
            exp: now_unix + lifetime.as_secs(),
            scope,
        };
        let header = Header {
            kid: Some(kid.clone()),
            ..Header::new(Algorithm::HS256)
        };
        encode(&header, &claims, &EncodingKey::from_secret(secret))
            .expect("HS256 signing cannot fail")
    }

    /// Checks signature, algorithm, key id, issuer, audience and expiry.
    pub fn verify(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        use jsonwebtoken::errors::ErrorKind;
        let header = decode_header(token)?;
        if header.alg != Algorithm::HS256 {
            return Err(ErrorKind::InvalidAlgorithm.into());
        }
        let kid = header.kid.ok_or(ErrorKind::InvalidToken)?;
        let (_, secret) = self
            .keys
            .iter()
            .find(|(k, _)| *k == kid)
            .ok_or(ErrorKind::InvalidSignature)?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY_SECONDS;
        Ok(decode::<Claims>(token, &DecodingKey::from_secret(secret), &validation)?.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
    }

    #[test]
    fn a_token_verifies_with_the_key_that_signed_it() {
        let keys = SigningKeys::development();
        let token = keys.issue(
            "admin:1".into(),
            "licences:read".into(),
            now(),
            Duration::from_secs(60),
        );
        assert_eq!(keys.verify(&token).unwrap().sub, "admin:1");
    }

    #[test]
    fn an_old_key_still_verifies_after_rotation() {
        let old = SigningKeys::from_config(
            Some("k1:0123456789abcdef0123456789abcdef"),
            Environment::Production,
        )
        .unwrap();
        let rotated = SigningKeys::from_config(
            Some("k2:fedcba9876543210fedcba9876543210,k1:0123456789abcdef0123456789abcdef"),
            Environment::Production,
        )
        .unwrap();
        let token = old.issue(
            "client:3".into(),
            String::new(),
            now(),
            Duration::from_secs(60),
        );
        assert!(rotated.verify(&token).is_ok());
    }

    #[test]
    fn expired_and_foreign_tokens_are_refused() {
        let keys = SigningKeys::development();
        let expired = keys.issue(
            "admin:1".into(),
            String::new(),
            now() - 3600,
            Duration::from_secs(60),
        );
        assert!(keys.verify(&expired).is_err());
        let other = SigningKeys::from_config(
            Some("dev:another-secret-of-at-least-32-bytes!!"),
            Environment::Development,
        )
        .unwrap();
        let forged = other.issue(
            "admin:1".into(),
            String::new(),
            now(),
            Duration::from_secs(60),
        );
        assert!(keys.verify(&forged).is_err());
    }

    #[test]
    fn production_refuses_missing_short_or_development_keys() {
        assert!(SigningKeys::from_config(None, Environment::Production).is_err());
        assert!(SigningKeys::from_config(Some("k:short"), Environment::Production).is_err());
        let dev = format!("dev:{}", DEVELOPMENT_KEY.1);
        assert!(SigningKeys::from_config(Some(&dev), Environment::Production).is_err());
    }
}
