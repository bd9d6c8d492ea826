//! Slows down password guessing: too many failed sign-ins from one address or for one
//! account within a window, and further attempts are refused until it ends.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed attempts allowed per account within the window.
const MAX_FAILURES: u32 = 5;
/// Failed attempts allowed per address: higher, since a whole school may sign in
/// from behind one address.
const MAX_FAILURES_PER_ADDRESS: u32 = 20;

fn allowance(key: &str) -> u32 {
    if key.starts_with("ip:") {
        MAX_FAILURES_PER_ADDRESS
    } else {
        MAX_FAILURES
    }
}
const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Counts failures per key (an address or an account).
// Known limitation: counts live in each server process, so with N processes behind a
// load balancer an attacker gets up to N times the allowance per window.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl LoginThrottle {
    /// `Err(seconds to wait)` when any of the keys has used up its attempts.
    pub fn check(&self, keys: &[&str]) -> Result<(), u64> {
        let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let wait = keys
            .iter()
            .filter_map(|key| failures.get(*key).map(|entry| (allowance(key), entry)))
            .filter(|(limit, (count, since))| {
                *count >= *limit && now.duration_since(*since) < WINDOW
            })
            .map(|(_, (_, since))| (WINDOW - now.duration_since(*since)).as_secs().max(1))
            .max();
        wait.map_or(Ok(()), Err)
    }

    pub fn record_failure(&self, keys: &[&str]) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        failures.retain(|_, (_, since)| now.duration_since(*since) < WINDOW);
        for key in keys {
            let entry = failures.entry((*key).to_owned()).or_insert((0, now));
            entry.0 += 1;
        }
    }

    pub fn record_success(&self, keys: &[&str]) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for key in keys {
            failures.remove(*key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_failure_in_a_row_is_refused_and_other_keys_are_not() {
        let throttle = LoginThrottle::default();
        for _ in 0..MAX_FAILURES {
            assert!(throttle.check(&["account:a"]).is_ok());
            throttle.record_failure(&["account:a"]);
        }
        assert!(throttle.check(&["account:a"]).is_err());
        assert!(throttle.check(&["account:b"]).is_ok());
    }

    #[test]
    fn a_success_clears_the_count() {
        let throttle = LoginThrottle::default();
        throttle.record_failure(&["ip:127.0.0.1"]);
        throttle.record_success(&["ip:127.0.0.1"]);
        assert!(throttle.failures.lock().unwrap().is_empty());
    }
}
