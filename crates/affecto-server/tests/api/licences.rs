//! Reading the licence table, classes, students and teachers.

use serde_json::Value;

use crate::common::{Backend, COLLEGE, COLLEGE_ADMIN};
use crate::{on_both_backends, spawn_or_skip};

on_both_backends!(
    the_licence_table_shows_the_figures_of_the_original_screen,
    a_product_expands_into_its_pools_by_audience,
    classes_can_be_filtered_by_level,
    a_class_lists_its_students_by_name_with_their_licence,
    teachers_are_those_of_the_product_s_subject_unless_all_are_asked,
);

fn row(entry: &Value) -> (String, u64, u64, u64) {
    (
        entry["product"]["title"].as_str().unwrap().to_owned(),
        entry["purchased"].as_u64().unwrap(),
        entry["available"].as_u64().unwrap(),
        entry["assigned"].as_u64().unwrap(),
    )
}

async fn the_licence_table_shows_the_figures_of_the_original_screen(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let token = app.login(COLLEGE_ADMIN).await;

    let (status, overview) = app
        .get(&format!("/api/v1/schools/{COLLEGE}/licences"), &token)
        .await;

    assert_eq!(status, 200);
    let active: Vec<_> = overview["active"]
        .as_array()
        .unwrap()
        .iter()
        .map(row)
        .collect();
    let expected = [
        ("FRANCAIS 4e L'envol des lettres ed 2016", 89, 0, 89),
        ("I Bet You Can! 6e (2017)", 88, 88, 0),
        ("Sciences et technologie 6e ed 2016", 58, 5, 53),
        ("SVT Cycle 4 (2017)", 42, 42, 0),
        ("Physique-Chimie cycle 4 ed 2017", 26, 26, 0),
        ("Physique Chimie Cycle 4 (2017)", 26, 26, 0),
        ("Delta Maths 6e (2016)", 10, 10, 0),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(t, p, a, s)| (t.to_string(), *p, *a, *s))
        .collect();
    assert_eq!(active, expected);

    let expired: Vec<_> = overview["expired"]
        .as_array()
        .unwrap()
        .iter()
        .map(row)
        .collect();
    assert_eq!(
        expired,
        vec![
            (
                "FRANCAIS 4e L'envol des lettres ed 2016".to_string(),
                89,
                0,
                89
            ),
            ("Sciences et technologie 6e ed 2016".to_string(), 58, 5, 53),
        ]
    );
    assert_eq!(
        overview["auto_unassign"],
        serde_json::json!({"month": 7, "day": 31})
    );
    assert_eq!(overview["active"][0]["product"]["type"], "Manuel numérique");
}

async fn a_product_expands_into_its_pools_by_audience(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let token = app.login(COLLEGE_ADMIN).await;
    let french = app
        .product_id(&token, "FRANCAIS 4e L'envol des lettres ed 2016")
        .await;

    let (status, entry) = app
        .get(
            &format!("/api/v1/schools/{COLLEGE}/licences/{french}"),
            &token,
        )
        .await;

    assert_eq!(status, 200);
    let pools: Vec<_> = entry["pools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["audience"].as_str().unwrap(),
                p["purchased"].as_u64().unwrap(),
                p["available"].as_u64().unwrap(),
                p["assigned"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(pools, vec![("student", 85, 0, 85), ("teacher", 4, 0, 4)]);
    assert_eq!(entry["product"]["levels"], serde_json::json!(["4e"]));
    assert_eq!(
        entry["product"]["subjects"],
        serde_json::json!(["Français"])
    );
    assert_eq!(entry["pools"][0]["expires_soon"], false);
}

async fn classes_can_be_filtered_by_level(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let token = app.login(COLLEGE_ADMIN).await;

    let (status, list) = app
        .get(
            &format!("/api/v1/schools/{COLLEGE}/classes?level=6e"),
            &token,
        )
        .await;

    assert_eq!(status, 200);
    let classes: Vec<_> = list["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap(),
                c["student_count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        classes,
        vec![("6e A", 26), ("6e B", 26), ("6e C", 26), ("6e D", 26)]
    );

    let (status, all) = app
        .get(&format!("/api/v1/schools/{COLLEGE}/classes"), &token)
        .await;
    assert_eq!(status, 200);
    assert_eq!(all["classes"].as_array().unwrap().len(), 14);
    let (status, bad) = app
        .get(
            &format!("/api/v1/schools/{COLLEGE}/classes?level=CM2"),
            &token,
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(bad["error"]["code"], "bad_request");
}

async fn a_class_lists_its_students_by_name_with_their_licence(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let token = app.login(COLLEGE_ADMIN).await;
    let science = app
        .product_id(&token, "Sciences et technologie 6e ed 2016")
        .await;
    let class = app.class_id(&token, COLLEGE, "6e A").await;

    let path = format!("/api/v1/schools/{COLLEGE}/classes/{class}/students?product_id={science}");
    let (status, list) = app.get(&path, &token).await;

    assert_eq!(status, 200);
    let students = list["students"].as_array().unwrap();
    assert_eq!(students.len(), 26);
    assert!(
        students.iter().all(|s| s["assigned"] == true),
        "6e A holds the science licences"
    );
    let names: Vec<(String, String)> = students
        .iter()
        .map(|s| {
            (
                s["last_name"].as_str().unwrap().to_owned(),
                s["first_name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "students come by last name, then first name");
    assert!(students[0]["login"]
        .as_str()
        .unwrap()
        .starts_with("0020002s-e"));

    let other = app.class_id(&token, COLLEGE, "6e C").await;
    let path = format!("/api/v1/schools/{COLLEGE}/classes/{other}/students?product_id={science}");
    let (_, list) = app.get(&path, &token).await;
    assert!(list["students"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["assigned"] == false));
}

async fn teachers_are_those_of_the_product_s_subject_unless_all_are_asked(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let token = app.login(COLLEGE_ADMIN).await;
    let french = app
        .product_id(&token, "FRANCAIS 4e L'envol des lettres ed 2016")
        .await;

    let (status, subject) = app
        .get(
            &format!("/api/v1/schools/{COLLEGE}/teachers?product_id={french}"),
            &token,
        )
        .await;
    assert_eq!(status, 200);
    let teachers = subject["teachers"].as_array().unwrap();
    assert_eq!(teachers.len(), 4);
    assert!(teachers.iter().all(|t| t["subjects"]
        .as_array()
        .unwrap()
        .contains(&Value::from("Français"))));
    assert!(teachers.iter().all(|t| t["assigned"] == true));
    assert_eq!(subject["all"], false);

    let (status, all) = app
        .get(
            &format!("/api/v1/schools/{COLLEGE}/teachers?product_id={french}&all=true"),
            &token,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(all["teachers"].as_array().unwrap().len(), 13);
    assert_eq!(all["all"], true);
}
