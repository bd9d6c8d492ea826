//! The school year: the automatic unassignment of student licences, its preview and
//! manual run, and the audit record of every change.

use affecto_server::scheduler::run_due;
use serde_json::json;

use crate::common::{Backend, TestApp, COLLEGE, COLLEGE_ADMIN};
use crate::{on_both_backends, spawn_or_skip};

on_both_backends!(
    the_run_on_31_july_releases_student_seats_and_keeps_teacher_ones,
    half_past_midnight_in_paris_on_31_july_is_already_the_day,
    a_second_run_the_same_year_does_nothing,
    a_server_down_on_the_day_catches_up_when_it_comes_back,
    the_preview_tells_what_the_next_run_releases_and_when,
    the_operator_can_run_it_by_hand_once,
    the_audit_record_lists_each_change_with_its_actor,
    assignments_of_a_product_or_a_class_export_as_csv,
);

const SEEDED: &str = "2026-12-03T09:00:00Z";
const FRENCH: &str = "FRANCAIS 4e L'envol des lettres ed 2016";

async fn french_pools(app: &TestApp, token: &str) -> Vec<(String, u64)> {
    let french = app.product_id(token, FRENCH).await;
    let (_, entry) = app
        .get(
            &format!("/api/v1/schools/{COLLEGE}/licences/{french}"),
            token,
        )
        .await;
    entry["pools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["audience"].as_str().unwrap().to_owned(),
                p["assigned"].as_u64().unwrap(),
            )
        })
        .collect()
}

async fn the_run_on_31_july_releases_student_seats_and_keeps_teacher_ones(backend: Backend) {
    let Some(app) = TestApp::spawn_at(backend, SEEDED, "2027-07-31T08:00:00Z").await else {
        return;
    };
    let token = app.login(COLLEGE_ADMIN).await;
    assert_eq!(
        french_pools(&app, &token).await,
        vec![("student".into(), 85), ("teacher".into(), 4)]
    );

    let ran = run_due(&app.state).await.unwrap();

    assert_eq!(ran, 2, "both demo schools");
    assert_eq!(
        french_pools(&app, &token).await,
        vec![("student".into(), 0), ("teacher".into(), 4)]
    );
    let (_, overview) = app
        .get(&format!("/api/v1/schools/{COLLEGE}/licences"), &token)
        .await;
    let science = overview["active"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["product"]["title"] == "Sciences et technologie 6e ed 2016")
        .unwrap();
    assert_eq!(
        (science["purchased"].as_u64(), science["assigned"].as_u64()),
        (Some(58), Some(1)),
        "the teacher keeps theirs"
    );
    let (_, expired) = (
        0,
        overview["expired"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["assigned"].as_u64().unwrap())
            .sum::<u64>(),
    );
    assert_eq!(expired, 0, "last year's student licences came back too");
}

async fn half_past_midnight_in_paris_on_31_july_is_already_the_day(backend: Backend) {
    let Some(before) = TestApp::spawn_at(backend, SEEDED, "2027-07-30T21:30:00Z").await else {
        return;
    };
    assert_eq!(
        run_due(&before.state).await.unwrap(),
        0,
        "23:30 in Paris on 30 July: not yet"
    );
    drop(before);
    let Some(after) = TestApp::spawn_at(backend, SEEDED, "2027-07-30T22:30:00Z").await else {
        return;
    };
    assert_eq!(
        run_due(&after.state).await.unwrap(),
        2,
        "00:30 in Paris on 31 July, still 30 July in UTC"
    );
}

async fn a_second_run_the_same_year_does_nothing(backend: Backend) {
    let Some(app) = TestApp::spawn_at(backend, SEEDED, "2027-07-31T08:00:00Z").await else {
        return;
    };
    let token = app.login(COLLEGE_ADMIN).await;
    run_due(&app.state).await.unwrap();
    let english = app.product_id(&token, "I Bet You Can! 6e (2017)").await;
    let student = app.students(&token, COLLEGE, "6e A", english).await[0].0;
    let path = format!("/api/v1/schools/{COLLEGE}/products/{english}/assignments");
    app.post(
        &path,
        &token,
        &json!({"audience": "student", "assign": [student]}),
    )
    .await;

    assert_eq!(run_due(&app.state).await.unwrap(), 0);

    assert_eq!(
        app.counts(&token, english).await,
        (88, 87, 1),
        "an assignment made after the run stays"
    );
}

async fn a_server_down_on_the_day_catches_up_when_it_comes_back(backend: Backend) {
    let Some(app) = TestApp::spawn_at(backend, SEEDED, "2027-08-02T07:00:00Z").await else {
        return;
    };
    let token = app.login(COLLEGE_ADMIN).await;

    assert_eq!(run_due(&app.state).await.unwrap(), 2);

    let (_, preview) = app
        .get(&format!("/api/v1/schools/{COLLEGE}/rollover"), &token)
        .await;
    assert_eq!(preview["last_run"]["school_year"], "2026-2027");
    assert_eq!(preview["last_run"]["released"], 279);
    assert_eq!(preview["school_year"], "2027-2028");
    assert_eq!(preview["date"], "2028-07-31");
}

async fn the_preview_tells_what_the_next_run_releases_and_when(backend: Backend) {
    let Some(app) = TestApp::spawn_at(backend, SEEDED, SEEDED).await else {
        return;
    };
    let token = app.login(COLLEGE_ADMIN).await;

    let (status, preview) = app
        .get(&format!("/api/v1/schools/{COLLEGE}/rollover"), &token)
        .await;

    assert_eq!(status, 200, "{preview}");
    assert_eq!(preview["school_year"], "2026-2027");
    assert_eq!(preview["date"], "2027-07-31");
    assert_eq!(preview["total"], 85 + 52 + 89 + 53);
    let releases: Vec<(&str, u64)> = preview["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["title"].as_str().unwrap(),
                r["student_licences"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        releases,
        vec![
            (FRENCH, 85 + 89),
            ("Sciences et technologie 6e ed 2016", 52 + 53)
        ]
    );
}

async fn the_operator_can_run_it_by_hand_once(backend: Backend) {
    let Some(app) = TestApp::spawn_at(backend, SEEDED, "2027-06-15T08:00:00Z").await else {
        return;
    };
    let admin = app.login(COLLEGE_ADMIN).await;
    let operator = app.operator_token().await;
    let path = format!("/api/v1/schools/{COLLEGE}/rollover");

    let (status, error) = app.post(&path, &admin, &json!({})).await;
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (403, Some("forbidden"))
    );
    let (_, dry) = app
        .post(&format!("{path}?dry_run=true"), &operator, &json!({}))
        .await;
    assert_eq!(
        (dry["dry_run"].as_bool(), dry["released"].as_u64()),
        (Some(true), Some(279))
    );
    assert_eq!(
        french_pools(&app, &admin).await[0].1,
        85,
        "a dry run changes nothing"
    );

    let (status, done) = app.post(&path, &operator, &json!({})).await;
    assert_eq!(
        (
            status,
            done["released"].as_u64(),
            done["school_year"].as_str()
        ),
        (200, Some(279), Some("2026-2027"))
    );
    assert_eq!(french_pools(&app, &admin).await[0].1, 0);
    let (_, preview) = app.get(&path, &admin).await;
    assert_eq!(
        preview["school_year"], "2027-2028",
        "31 July then finds this year done"
    );
}

async fn the_audit_record_lists_each_change_with_its_actor(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let admin = app.login(COLLEGE_ADMIN).await;
    let ent = app.client_token(None).await;
    let english = app.product_id(&admin, "I Bet You Can! 6e (2017)").await;
    let students: Vec<i64> = app
        .students(&admin, COLLEGE, "6e A", english)
        .await
        .iter()
        .take(2)
        .map(|s| s.0)
        .collect();
    let path = format!("/api/v1/schools/{COLLEGE}/products/{english}/assignments");
    app.post(
        &path,
        &admin,
        &json!({"audience": "student", "assign": students}),
    )
    .await;
    app.post(
        &path,
        &ent,
        &json!({"audience": "student", "unassign": [students[0]]}),
    )
    .await;

    let (status, page) = app
        .get(
            &format!("/api/v1/schools/{COLLEGE}/audit?product_id={english}"),
            &admin,
        )
        .await;

    assert_eq!(status, 200, "{page}");
    let lines: Vec<(&str, i64, &str)> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["user_id"].as_i64().unwrap(),
                e["channel"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines[0],
        ("unassign", students[0], "api"),
        "newest first: the ENT's change"
    );
    assert_eq!(lines.len(), 3);
    assert!(page["events"][0]["actor"]
        .as_str()
        .unwrap()
        .starts_with("client:"));
    assert!(page["events"][2]["actor"]
        .as_str()
        .unwrap()
        .starts_with("admin:"));
    assert!(page["events"][2]["user_name"].is_string());

    let (_, by_user) = app
        .get(
            &format!("/api/v1/schools/{COLLEGE}/audit?user_id={}", students[1]),
            &admin,
        )
        .await;
    assert_eq!(by_user["events"].as_array().unwrap().len(), 1);
    let (_, first) = app
        .get(
            &format!("/api/v1/schools/{COLLEGE}/audit?product_id={english}&limit=2"),
            &admin,
        )
        .await;
    let before = first["next_before"].as_i64().unwrap();
    let (_, second) = app
        .get(
            &format!(
                "/api/v1/schools/{COLLEGE}/audit?product_id={english}&limit=2&before={before}"
            ),
            &admin,
        )
        .await;
    assert_eq!(second["events"].as_array().unwrap().len(), 1);
    assert!(second["next_before"].is_null());
    let (status, _) = app
        .get(&format!("/api/v1/schools/{COLLEGE}/audit?limit=0"), &admin)
        .await;
    assert_eq!(status, 400);

    let csv = app
        .client
        .get(app.url(&format!(
            "/api/v1/schools/{COLLEGE}/audit?product_id={english}"
        )))
        .bearer_auth(&admin)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    assert!(
        text.starts_with(
            "\u{feff}Date;Action;Produit;Identifiant;Utilisateur;Acteur;Canal;Lot\r\n"
        ),
        "{text}"
    );
    assert_eq!(text.lines().count(), 4);
    assert!(text.contains(";Désaffectation;"));
}

async fn assignments_of_a_product_or_a_class_export_as_csv(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let admin = app.login(COLLEGE_ADMIN).await;
    let french = app.product_id(&admin, FRENCH).await;
    let class = app.class_id(&admin, COLLEGE, "6e A").await;

    let (status, list) = app
        .get(
            &format!("/api/v1/schools/{COLLEGE}/products/{french}/assignments"),
            &admin,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        list["assignments"].as_array().unwrap().len(),
        89,
        "85 students and 4 teachers hold a valid licence"
    );

    let csv = app
        .client
        .get(app.url(&format!(
            "/api/v1/schools/{COLLEGE}/products/{french}/assignments.csv"
        )))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    assert!(
        text.starts_with("\u{feff}Prénom;Nom;Identifiant;Classe;Public;Produit;Fin validité\r\n")
    );
    assert_eq!(text.lines().count(), 90);

    let by_class = app
        .client
        .get(app.url(&format!(
            "/api/v1/schools/{COLLEGE}/classes/{class}/assignments"
        )))
        .bearer_auth(&admin)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap();
    let text = by_class.text().await.unwrap();
    assert_eq!(
        text.lines().count(),
        27,
        "26 students of 6e A hold the science licence"
    );
    assert!(text.contains(";6e A;Élève;Sciences et technologie 6e ed 2016;"));
}

#[actix_web::test]
async fn pools_ending_within_60_days_are_flagged() {
    let Some(app) = TestApp::spawn_at(Backend::Sqlite, SEEDED, "2027-06-10T08:00:00Z").await else {
        return;
    };
    let token = app.login(COLLEGE_ADMIN).await;

    let (_, overview) = app
        .get(&format!("/api/v1/schools/{COLLEGE}/licences"), &token)
        .await;

    let flags: Vec<bool> = overview["active"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| {
            e["pools"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["expires_soon"].as_bool().unwrap())
        })
        .collect();
    assert!(
        !flags.is_empty() && flags.iter().all(|f| *f),
        "every pool ends on 3 August, 54 days away"
    );
}
