//! Handing out and taking back licences, and what access they grant.

use serde_json::{json, Value};

use crate::common::{Backend, TestApp, COLLEGE, COLLEGE_ADMIN, LYCEE, LYCEE_ADMIN};
use crate::{on_both_backends, spawn_or_skip};

on_both_backends!(
    assigning_three_students_moves_the_counts_and_the_flags,
    unassigning_gives_the_seats_back,
    assigning_more_than_available_is_refused_whole,
    retrying_the_same_change_changes_nothing,
    users_unknown_or_of_the_wrong_audience_are_refused,
    a_teacher_licence_goes_to_a_teacher,
    expired_pools_are_neither_assignable_nor_granting_access,
    a_licence_from_an_expired_pool_is_replaced_by_a_valid_one,
    access_follows_assignments_and_lists_a_user_s_resources,
);

const ENGLISH: &str = "I Bet You Can! 6e (2017)";
const SCIENCE: &str = "Sciences et technologie 6e ed 2016";
const FRENCH: &str = "FRANCAIS 4e L'envol des lettres ed 2016";

fn assignments_path(product_id: i64) -> String {
    format!("/api/v1/schools/{COLLEGE}/products/{product_id}/assignments")
}

async fn first_students(
    app: &TestApp,
    token: &str,
    class: &str,
    product_id: i64,
    n: usize,
) -> Vec<i64> {
    app.students(token, COLLEGE, class, product_id)
        .await
        .into_iter()
        .take(n)
        .map(|(id, _)| id)
        .collect()
}

/// A student of the lycée, the other demo school.
async fn first_lycee_student(app: &TestApp, product_id: i64) -> i64 {
    let token = app.login(LYCEE_ADMIN).await;
    let (_, classes) = app
        .get(&format!("/api/v1/schools/{LYCEE}/classes"), &token)
        .await;
    let class = classes["classes"][0]["id"].as_i64().unwrap();
    let (_, students) = app
        .get(
            &format!("/api/v1/schools/{LYCEE}/classes/{class}/students?product_id={product_id}"),
            &token,
        )
        .await;
    students["students"][0]["id"].as_i64().unwrap()
}

async fn assigning_three_students_moves_the_counts_and_the_flags(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let token = app.login(COLLEGE_ADMIN).await;
    let english = app.product_id(&token, ENGLISH).await;
    let three = first_students(&app, &token, "6e A", english, 3).await;

    let (status, outcome) = app
        .post(
            &assignments_path(english),
            &token,
            &json!({"audience": "student", "assign": three}),
        )
        .await;

    assert_eq!(status, 200, "{outcome}");
    assert_eq!(
        (outcome["assigned"].as_u64(), outcome["unassigned"].as_u64()),
        (Some(3), Some(0))
    );
    assert_eq!(outcome["licences"]["available"], 85);
    assert_eq!(app.counts(&token, english).await, (88, 85, 3));
    let flags = app.students(&token, COLLEGE, "6e A", english).await;
    let holders: Vec<i64> = flags
        .iter()
        .filter(|(_, assigned)| *assigned)
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(holders, three);
}

async fn unassigning_gives_the_seats_back(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let token = app.login(COLLEGE_ADMIN).await;
    let science = app.product_id(&token, SCIENCE).await;
    let two = first_students(&app, &token, "6e A", science, 2).await;

    let (status, outcome) = app
        .post(
            &assignments_path(science),
            &token,
            &json!({"audience": "student", "unassign": two}),
        )
        .await;

    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome["unassigned"], 2);
    assert_eq!(app.counts(&token, science).await, (58, 7, 51));
}

async fn assigning_more_than_available_is_refused_whole(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let token = app.login(COLLEGE_ADMIN).await;
    let science = app.product_id(&token, SCIENCE).await;
    let five = first_students(&app, &token, "6e C", science, 5).await;
    let freed = first_students(&app, &token, "6e A", science, 1).await;

    let change = json!({"audience": "student", "assign": five, "unassign": []});
    let (status, error) = app.post(&assignments_path(science), &token, &change).await;

    assert_eq!(status, 409);
    assert_eq!(error["error"]["code"], "not_enough_licences");
    assert_eq!(
        (
            error["error"]["available"].as_u64(),
            error["error"]["requested"].as_u64()
        ),
        (Some(4), Some(5))
    );
    assert_eq!(app.counts(&token, science).await, (58, 5, 53));
    assert!(app
        .students(&token, COLLEGE, "6e C", science)
        .await
        .iter()
        .all(|(_, assigned)| !assigned));

    let with_one_freed = json!({"audience": "student", "assign": five, "unassign": freed});
    let (status, outcome) = app
        .post(&assignments_path(science), &token, &with_one_freed)
        .await;
    assert_eq!(
        status, 200,
        "a seat freed in the same change can be reused: {outcome}"
    );
    assert_eq!(app.counts(&token, science).await, (58, 1, 57));
}

async fn retrying_the_same_change_changes_nothing(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let token = app.login(COLLEGE_ADMIN).await;
    let english = app.product_id(&token, ENGLISH).await;
    let three = first_students(&app, &token, "6e B", english, 3).await;
    let change = json!({"audience": "student", "assign": three});

    app.post(&assignments_path(english), &token, &change).await;
    let (status, again) = app.post(&assignments_path(english), &token, &change).await;

    assert_eq!(status, 200);
    assert_eq!(again["assigned"], 0);
    assert_eq!(app.counts(&token, english).await, (88, 85, 3));
    let never_held = first_students(&app, &token, "6e C", english, 1).await;
    let (status, outcome) = app
        .post(
            &assignments_path(english),
            &token,
            &json!({"audience": "student", "unassign": never_held}),
        )
        .await;
    assert_eq!((status, outcome["unassigned"].as_u64()), (200, Some(0)));
}

async fn users_unknown_or_of_the_wrong_audience_are_refused(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let token = app.login(COLLEGE_ADMIN).await;
    let english = app.product_id(&token, ENGLISH).await;
    let (_, teachers) = app
        .get(
            &format!("/api/v1/schools/{COLLEGE}/teachers?product_id={english}&all=true"),
            &token,
        )
        .await;
    let teacher = teachers["teachers"][0]["id"].as_i64().unwrap();
    let foreign_student = first_lycee_student(&app, english).await;
    let student = first_students(&app, &token, "6e A", english, 1).await[0];

    let cases: [(Value, &str); 4] = [
        (
            json!({"audience": "student", "assign": [student, teacher]}),
            "wrong_audience",
        ),
        (
            json!({"audience": "student", "assign": [student, foreign_student]}),
            "unknown_users",
        ),
        (
            json!({"audience": "student", "assign": [student, 999_999_999]}),
            "unknown_users",
        ),
        (
            json!({"audience": "student", "assign": [student], "unassign": [student]}),
            "duplicate_users",
        ),
    ];
    for (change, code) in cases {
        let (status, error) = app.post(&assignments_path(english), &token, &change).await;
        assert_eq!(
            (status, error["error"]["code"].as_str()),
            (422, Some(code)),
            "{change}"
        );
    }
    assert_eq!(
        app.counts(&token, english).await,
        (88, 88, 0),
        "nothing was half-applied"
    );
}

async fn a_teacher_licence_goes_to_a_teacher(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let token = app.login(COLLEGE_ADMIN).await;
    let science = app.product_id(&token, SCIENCE).await;
    let (_, list) = app
        .get(
            &format!("/api/v1/schools/{COLLEGE}/teachers?product_id={science}"),
            &token,
        )
        .await;
    let free_teacher = list["teachers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["assigned"] == false)
        .unwrap()["id"]
        .clone();

    let (status, outcome) = app
        .post(
            &assignments_path(science),
            &token,
            &json!({"audience": "teacher", "assign": [free_teacher]}),
        )
        .await;

    assert_eq!(status, 200, "{outcome}");
    assert_eq!(app.counts(&token, science).await, (58, 4, 54));
    let student = first_students(&app, &token, "6e C", science, 1).await;
    let (status, error) = app
        .post(
            &assignments_path(science),
            &token,
            &json!({"audience": "teacher", "assign": student}),
        )
        .await;
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (422, Some("wrong_audience"))
    );
}

async fn expired_pools_are_neither_assignable_nor_granting_access(backend: Backend) {
    let Some(app) =
        TestApp::spawn_at(backend, "2026-12-03T09:00:00Z", "2027-08-10T09:00:00Z").await
    else {
        return;
    };
    let token = app.login(COLLEGE_ADMIN).await;

    let (_, overview) = app
        .get(&format!("/api/v1/schools/{COLLEGE}/licences"), &token)
        .await;
    assert_eq!(
        overview["active"].as_array().unwrap().len(),
        0,
        "every pool ended on 3 August"
    );
    assert_eq!(overview["expired"].as_array().unwrap().len(), 7);

    let french = app.product_id(&token, FRENCH).await;
    let fourth = app.class_id(&token, COLLEGE, "4e A").await;
    let (_, list) = app
        .get(
            &format!("/api/v1/schools/{COLLEGE}/classes/{fourth}/students?product_id={french}"),
            &token,
        )
        .await;
    let holder = list["students"][0]["id"].as_i64().unwrap();
    assert_eq!(
        list["students"][0]["assigned"], false,
        "an expired licence is not shown as held"
    );

    let (status, error) = app
        .post(
            &assignments_path(french),
            &token,
            &json!({"audience": "student", "assign": [holder]}),
        )
        .await;
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (422, Some("no_valid_pool"))
    );
    let (status, access) = app
        .get(
            &format!("/api/v1/schools/{COLLEGE}/access?user_id={holder}&product_id={french}"),
            &token,
        )
        .await;
    assert_eq!((status, access["granted"].as_bool()), (200, Some(false)));
}

async fn a_licence_from_an_expired_pool_is_replaced_by_a_valid_one(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let token = app.login(COLLEGE_ADMIN).await;
    let science = app.product_id(&token, SCIENCE).await;
    let old_holder = first_students(&app, &token, "5e A", science, 1).await;

    let (status, outcome) = app
        .post(
            &assignments_path(science),
            &token,
            &json!({"audience": "student", "assign": old_holder}),
        )
        .await;

    assert_eq!(
        (status, outcome["assigned"].as_u64()),
        (200, Some(1)),
        "{outcome}"
    );
    assert_eq!(app.counts(&token, science).await, (58, 4, 54));
    let (_, overview) = app
        .get(&format!("/api/v1/schools/{COLLEGE}/licences"), &token)
        .await;
    let expired_science = overview["expired"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["product"]["id"] == science)
        .unwrap();
    assert_eq!(
        expired_science["assigned"], 52,
        "the dead licence left the expired pool"
    );
}

async fn access_follows_assignments_and_lists_a_user_s_resources(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let admin = app.login(COLLEGE_ADMIN).await;
    let ent = app.client_token(Some("access:read")).await;
    let french = app.product_id(&admin, FRENCH).await;
    let english = app.product_id(&admin, ENGLISH).await;
    let fourth_grader = first_students(&app, &admin, "4e A", french, 1).await[0];
    let third_grader = first_students(&app, &admin, "3e A", french, 1).await[0];
    let access = |user: i64, product: i64| {
        format!("/api/v1/schools/{COLLEGE}/access?user_id={user}&product_id={product}")
    };

    assert_eq!(
        app.get(&access(fourth_grader, french), &ent).await.1["granted"],
        true
    );
    assert_eq!(
        app.get(&access(fourth_grader, english), &ent).await.1["granted"],
        false
    );
    assert_eq!(
        app.get(&access(third_grader, french), &ent).await.1["granted"],
        false,
        "last year's pool expired"
    );
    assert_eq!(
        app.get(&access(999_999, french), &ent).await.1["granted"],
        false
    );

    let (status, resources) = app
        .get(
            &format!("/api/v1/schools/{COLLEGE}/users/{fourth_grader}/licences"),
            &ent,
        )
        .await;
    assert_eq!(status, 200);
    let titles: Vec<&str> = resources["licences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["product"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, vec![FRENCH]);
    let (status, _) = app
        .get(
            &format!("/api/v1/schools/{COLLEGE}/users/999999/licences"),
            &ent,
        )
        .await;
    assert_eq!(status, 404);
    let lycee_student = first_lycee_student(&app, english).await;
    for (uai, why) in [
        (COLLEGE, "a user is listed only at their own school"),
        (LYCEE, "the portal serves the collège only"),
    ] {
        let path = format!("/api/v1/schools/{uai}/users/{lycee_student}/licences");
        assert_eq!(app.get(&path, &ent).await.0, 404, "{why}");
    }
    let (status, resources) = app
        .get(
            &format!("/api/v1/schools/{COLLEGE}/users/{third_grader}/licences"),
            &ent,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        resources["licences"],
        json!([]),
        "a licence from an expired pool is not listed"
    );

    app.post(
        &assignments_path(french),
        &admin,
        &json!({"audience": "student", "unassign": [fourth_grader]}),
    )
    .await;
    assert_eq!(
        app.get(&access(fourth_grader, french), &ent).await.1["granted"],
        false
    );
}
