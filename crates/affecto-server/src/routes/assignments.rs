//! Handing out and taking back licences ("affectation", "désaffectation").

use std::collections::HashSet;

use actix_web::web;
use affecto_api_types::{AssignmentChange, AssignmentOutcome, ErrorBody, Id};
use affecto_store::assignments::{apply_change, Change};
use affecto_store::licences;

use crate::auth::{Principal, Scope};
use crate::error::ApiError;
use crate::routes::schools::visible_school;
use crate::state::AppState;

/// The most users one change may name; larger changes are split by the caller.
pub const MAX_USERS_PER_CHANGE: usize = 5000;

/// Assigns and unassigns one product's licences for one audience, whole or not at all.
///
/// New licences are drawn from the valid pools of the audience that end last. Naming a
/// user who already holds a licence in `assign`, or one who holds none in `unassign`,
/// changes nothing, so retrying a request is safe.
#[utoipa::path(post, path = "/api/v1/schools/{uai}/products/{product_id}/assignments", tag = "assignments",
    params(
        ("uai" = String, Path, description = "The school's UAI", pattern = "^[0-9]{7}[A-Za-z]$"),
        ("product_id" = i64, Path, description = "The product's id"),
    ),
    request_body = AssignmentChange,
    responses(
        (status = 200, description = "The change was applied", body = AssignmentOutcome),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, description = "No such school, or the school has no pool of this product", body = ErrorBody),
        (status = 409, description = "Not enough licences available (`not_enough_licences`, with `available` and `requested`), or a concurrent change (`conflict`); nothing was changed", body = ErrorBody),
        (status = 413, body = ErrorBody),
        (status = 415, body = ErrorBody),
        (status = 422, description = "A user is unknown in this school, not of this audience, or named twice; or no pool is valid today", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn change_assignments(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, Id)>,
    body: web::Json<AssignmentChange>,
) -> Result<web::Json<AssignmentOutcome>, ApiError> {
    let (uai, product_id) = path.into_inner();
    let change = body.into_inner();
    check_change(&change)?;
    let clock = state.settings.clock.clone();
    let metrics = state.metrics.clone();
    let outcome = state
        .db(move |conn| {
            let school = visible_school(conn, &principal, &uai, Scope::AssignmentsWrite)?;
            let today = clock.today();
            if licences::school_pools(conn, school.id, Some(product_id))?.is_empty() {
                return Err(ApiError::NotFound);
            }
            let actor = principal.actor();
            let batch_id = uuid::Uuid::new_v4().to_string();
            let counts = apply_change(
                conn,
                &Change {
                    school_id: school.id,
                    product_id,
                    audience: change.audience,
                    assign: &change.assign,
                    unassign: &change.unassign,
                    actor: &actor,
                    batch_id: &batch_id,
                    now: clock.now_naive(),
                    today,
                },
            )?;
            tracing::info!(
                school = %school.uai, product_id, audience = %change.audience, actor = %actor.label,
                assigned = counts.assigned, unassigned = counts.unassigned, batch_id, "assignments changed"
            );
            metrics.record_change(counts.assigned, counts.unassigned);
            let licences = licences::product_licences(conn, school.id, product_id, today)?.ok_or(ApiError::NotFound)?;
            Ok(AssignmentOutcome { assigned: counts.assigned, unassigned: counts.unassigned, licences })
        })
        .await?;
    Ok(web::Json(outcome))
}

/// Refuses a change that names too many users, or the same user twice.
fn check_change(change: &AssignmentChange) -> Result<(), ApiError> {
    let named = change.assign.len() + change.unassign.len();
    if named > MAX_USERS_PER_CHANGE {
        return Err(ApiError::InvalidInput(format!(
            "{named} users named; one change may name at most {MAX_USERS_PER_CHANGE}"
        )));
    }
    let mut seen = HashSet::with_capacity(named);
    let mut repeated: Vec<Id> = change
        .assign
        .iter()
        .chain(&change.unassign)
        .copied()
        .filter(|id| !seen.insert(*id))
        .collect();
    if !repeated.is_empty() {
        repeated.sort_unstable();
        repeated.dedup();
        return Err(ApiError::DuplicateUsers(repeated));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use affecto_api_types::Audience;

    fn change(assign: Vec<Id>, unassign: Vec<Id>) -> AssignmentChange {
        AssignmentChange {
            audience: Audience::Student,
            assign,
            unassign,
        }
    }

    #[test]
    fn a_user_named_twice_is_refused() {
        assert!(
            matches!(check_change(&change(vec![1, 2, 1], vec![])), Err(ApiError::DuplicateUsers(ids)) if ids == [1])
        );
        assert!(
            matches!(check_change(&change(vec![3], vec![3])), Err(ApiError::DuplicateUsers(ids)) if ids == [3])
        );
    }

    #[test]
    fn too_many_users_in_one_change_are_refused() {
        let many: Vec<Id> = (0..=MAX_USERS_PER_CHANGE as Id).collect();
        assert!(matches!(
            check_change(&change(many, vec![])),
            Err(ApiError::InvalidInput(_))
        ));
        assert!(check_change(&change(vec![1, 2], vec![3])).is_ok());
    }
}
