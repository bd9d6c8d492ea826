//! The yearly automatic unassignment, run from inside the server: at startup (so a
//! server that was down on the day catches up) and then periodically.

use std::time::Duration;

use affecto_store::rollover;

use crate::error::ApiError;
use crate::state::AppState;

/// Checks for due runs now and then every `every`, for as long as the server runs.
pub fn spawn_rollover(state: AppState, every: Duration) {
    actix_web::rt::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            if let Err(error) = run_due(&state).await {
                tracing::warn!(%error, "yearly unassignment check failed; will retry");
            }
        }
    });
}

/// Runs the latest due yearly unassignment for every school that has not had it;
/// returns how many schools it ran for. Safe to call from several processes at once.
pub async fn run_due(state: &AppState) -> Result<usize, ApiError> {
    let clock = state.settings.clock.clone();
    let school_year = state.settings.auto_unassign.latest_due(clock.today());
    let run_date = state.settings.auto_unassign.date_for(school_year);
    state
        .db(move |conn| {
            let mut ran = 0;
            for school in rollover::due_schools(conn, school_year, run_date)? {
                if let Some(released) = rollover::run(conn, school.id, school_year, clock.now_naive())? {
                    tracing::info!(school = %school.uai, school_year = %school_year, released, "yearly unassignment done");
                    ran += 1;
                }
            }
            Ok(ran)
        })
        .await
}
