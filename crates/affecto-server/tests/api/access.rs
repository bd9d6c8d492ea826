//! Access checks asked many at a time: on PostgreSQL the checks that arrive together
//! are answered by one statement, and each must still get its own answer.

use affecto_store::access::{check_access, check_access_batch, AccessCheck};
use affecto_store::accounts::{admin_by_email, client_by_client_id};
use affecto_store::schools::Viewer;
use futures::future::join_all;

use crate::common::{Backend, TestApp, COLLEGE, COLLEGE_ADMIN, LYCEE, LYCEE_ADMIN};
use crate::{on_both_backends, spawn_or_skip};

on_both_backends!(
    checks_answered_together_each_get_the_answer_they_get_alone,
    concurrent_access_checks_each_get_their_own_answer,
);

const FRENCH: &str = "FRANCAIS 4e L'envol des lettres ed 2016";
const ENGLISH: &str = "I Bet You Can! 6e (2017)";

/// A student of the collège holding the French licence, and one without it.
async fn holder_and_non_holder(app: &TestApp, admin: &str, french: i64) -> (i64, i64) {
    let students = app.students(admin, COLLEGE, "4e A", french).await;
    let holder = students.iter().find(|(_, held)| *held).unwrap().0;
    let other = app.students(admin, COLLEGE, "6e A", french).await[0].0;
    (holder, other)
}

async fn checks_answered_together_each_get_the_answer_they_get_alone(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let admin = app.login(COLLEGE_ADMIN).await;
    let french = app.product_id(&admin, FRENCH).await;
    let english = app.product_id(&admin, ENGLISH).await;
    let (holder, other) = holder_and_non_holder(&app, &admin, french).await;
    let mut conn = app.state.pool.get().unwrap();
    let ent = client_by_client_id(&mut conn, "demo-ent").unwrap().unwrap();
    let lycee_admin = admin_by_email(&mut conn, LYCEE_ADMIN).unwrap().unwrap();
    let today = app.state.settings.clock.today();
    let check = |viewer, uai: &str, user_id, product_id| AccessCheck {
        viewer,
        uai: uai.to_owned(),
        user_id,
        product_id,
        today,
    };
    let asked = [
        (
            check(Viewer::Client(ent.id), COLLEGE, holder, french),
            Some(true),
        ),
        (
            check(Viewer::Client(ent.id), COLLEGE, holder, english),
            Some(false),
        ),
        (
            check(Viewer::Client(ent.id), COLLEGE, other, french),
            Some(false),
        ),
        (check(Viewer::Client(ent.id), LYCEE, holder, french), None),
        (
            check(Viewer::Admin(lycee_admin.id), COLLEGE, holder, french),
            None,
        ),
        (
            check(Viewer::Admin(lycee_admin.id), LYCEE, holder, french),
            Some(false),
        ),
        (check(Viewer::Operator, COLLEGE, holder, french), Some(true)),
        (check(Viewer::Operator, "9999999Z", holder, french), None),
        (
            check(Viewer::Client(ent.id), COLLEGE, holder, french),
            Some(true),
        ),
    ];
    let checks: Vec<AccessCheck> = asked.iter().map(|(c, _)| c.clone()).collect();
    let expected: Vec<Option<bool>> = asked.iter().map(|(_, e)| *e).collect();

    let together = check_access_batch(&mut conn, &checks).unwrap();
    let alone: Vec<Option<bool>> = checks
        .iter()
        .map(|c| check_access(&mut conn, c).unwrap())
        .collect();

    assert_eq!(together, expected);
    assert_eq!(alone, expected);
    assert_eq!(check_access_batch(&mut conn, &[]).unwrap(), vec![]);
}

async fn concurrent_access_checks_each_get_their_own_answer(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let admin = app.login(COLLEGE_ADMIN).await;
    let ent = app.client_token(Some("access:read")).await;
    let french = app.product_id(&admin, FRENCH).await;
    let (holder, other) = holder_and_non_holder(&app, &admin, french).await;
    let asked: Vec<(String, (u16, Option<bool>))> = (0..150)
        .map(|n| match n % 3 {
            0 => (COLLEGE, holder, (200, Some(true))),
            1 => (COLLEGE, other, (200, Some(false))),
            _ => (LYCEE, holder, (404, None)),
        })
        .map(|(uai, user, expected)| {
            let path = format!("/api/v1/schools/{uai}/access?user_id={user}&product_id={french}");
            (path, expected)
        })
        .collect();

    let answers = join_all(asked.iter().map(|(path, _)| app.get(path, &ent))).await;

    for ((path, expected), (status, body)) in asked.iter().zip(answers) {
        assert_eq!(
            (status, body["granted"].as_bool()),
            *expected,
            "{path}: {body}"
        );
    }
}
