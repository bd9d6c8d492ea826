//! Who is calling: sign-in of administrators, client credentials of machines, the
//! tokens they get, and the scopes those tokens carry.

pub mod jwt;
pub mod password;
mod principal;
mod scope;
pub mod throttle;
mod verified;

pub use principal::{Principal, PrincipalKind};
pub use scope::{Scope, Scopes};
pub use verified::VerifiedTokens;
