//! Tokens already verified by this process, so that the same bearer token presented
//! again — an ENT portal sends one token for every access check of the hour it is
//! valid — costs a lookup instead of a signature check and two JSON parses.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use super::jwt::LEEWAY_SECONDS;
use super::Principal;

/// How many tokens are remembered; when full, the memory starts over.
const CAPACITY: usize = 4096;

/// Verified tokens and whom they name, until they expire. Only a token that passed
/// verification is ever stored, keyed by its full text, so a forged or altered token
/// can never match an entry.
#[derive(Debug, Default)]
pub struct VerifiedTokens {
    entries: Mutex<HashMap<Box<str>, Verified>>,
}

#[derive(Debug, Clone)]
struct Verified {
    principal: Principal,
    expires_at: u64,
}

impl VerifiedTokens {
    /// The principal of `token` if it was verified before and has not expired since.
    pub fn get(&self, token: &str) -> Option<Principal> {
        let now = unix_now();
        let mut entries = self.entries.lock().ok()?;
        let entry = entries.get(token)?;
        if still_valid(entry.expires_at, now) {
            return Some(entry.principal.clone());
        }
        entries.remove(token);
        None
    }

    /// Remembers that `token` was verified and names `principal` until `expires_at`.
    pub fn insert(&self, token: &str, principal: Principal, expires_at: u64) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(
            token.into(),
            Verified {
                principal,
                expires_at,
            },
        );
    }
}

/// The same rule as the signature check's: a token is accepted up to the leeway after
/// its expiry.
fn still_valid(expires_at: u64, now: u64) -> bool {
    now <= expires_at.saturating_add(LEEWAY_SECONDS)
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{PrincipalKind, Scopes};

    fn principal() -> Principal {
        Principal {
            kind: PrincipalKind::Client,
            id: 7,
            scopes: "access:read".parse::<Scopes>().unwrap(),
        }
    }

    #[test]
    fn a_verified_token_is_found_until_it_expires() {
        let tokens = VerifiedTokens::default();
        let now = unix_now();
        tokens.insert("live", principal(), now + 60);
        tokens.insert("dead", principal(), now - LEEWAY_SECONDS - 1);
        assert_eq!(tokens.get("live").map(|p| p.id), Some(7));
        assert!(tokens.get("dead").is_none());
        assert!(tokens.get("never-seen").is_none());
        assert!(tokens.get("liv").is_none(), "only the full text matches");
    }

    #[test]
    fn the_memory_stays_bounded() {
        let tokens = VerifiedTokens::default();
        let later = unix_now() + 60;
        for n in 0..CAPACITY + 10 {
            tokens.insert(&format!("token-{n}"), principal(), later);
        }
        assert!(tokens.entries.lock().unwrap().len() <= CAPACITY);
        assert!(tokens.get(&format!("token-{}", CAPACITY + 9)).is_some());
    }
}
