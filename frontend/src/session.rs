//! The signed-in administrator's bearer token, kept in `localStorage` so that a
//! reload keeps the session until the token expires.

use affecto_api_types::TokenResponse;
use leptos::prelude::*;

const TOKEN_KEY: &str = "affecto.token";
const EXPIRES_KEY: &str = "affecto.expires_at";

/// A bearer token and the moment (milliseconds since the epoch) it stops working.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub token: String,
    pub expires_at_ms: f64,
}

impl Session {
    fn is_expired(&self) -> bool {
        js_sys::Date::now() >= self.expires_at_ms
    }
}

/// The app-wide sign-in state, shared through the reactive context.
#[derive(Debug, Clone, Copy)]
pub struct Auth(RwSignal<Option<Session>>);

impl Auth {
    /// Restores a stored, unexpired session and makes it available to every page.
    pub fn provide() -> Self {
        let auth = Auth(RwSignal::new(load().filter(|s| !s.is_expired())));
        provide_context(auth);
        auth
    }

    /// The sign-in state provided by [`Auth::provide`].
    pub fn expect() -> Self {
        expect_context()
    }

    /// Whether someone is signed in (reactive).
    pub fn is_signed_in(&self) -> bool {
        self.0.with(Option::is_some)
    }

    /// The token to send, or `None` (and the session ends) if it has expired.
    pub fn token(&self) -> Option<String> {
        let session = self.0.get_untracked()?;
        if session.is_expired() {
            self.sign_out();
            return None;
        }
        Some(session.token)
    }

    /// Starts a session with the token the server issued.
    pub fn sign_in(&self, token: &TokenResponse) {
        let lifetime_ms = token.expires_in as f64 * 1000.0;
        let session = Session {
            token: token.access_token.clone(),
            expires_at_ms: js_sys::Date::now() + lifetime_ms,
        };
        store(Some(&session));
        self.0.set(Some(session));
    }

    /// Forgets the token, here and in storage.
    pub fn sign_out(&self) {
        store(None);
        self.0.set(None);
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn load() -> Option<Session> {
    let storage = storage()?;
    let token = storage.get_item(TOKEN_KEY).ok().flatten()?;
    let expires_at_ms = storage.get_item(EXPIRES_KEY).ok().flatten()?.parse().ok()?;
    Some(Session {
        token,
        expires_at_ms,
    })
}

// Storage can be refused (private browsing, quota): the session then lasts as long
// as the page, which is the best that can be done.
fn store(session: Option<&Session>) {
    let Some(storage) = storage() else { return };
    let _ = match session {
        Some(s) => storage
            .set_item(TOKEN_KEY, &s.token)
            .and_then(|()| storage.set_item(EXPIRES_KEY, &s.expires_at_ms.to_string())),
        None => storage
            .remove_item(TOKEN_KEY)
            .and_then(|()| storage.remove_item(EXPIRES_KEY)),
    };
}
