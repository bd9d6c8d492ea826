//! `affecto serve` as a real process, and an HTTP client for it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};

pub const COLLEGE: &str = "0020002S";
pub const SEEDED: &str = "2026-12-03T09:00:00Z";

/// A running `affecto serve`, killed when dropped.
pub struct Server {
    child: Child,
    pub address: String,
    log: tempfile::NamedTempFile,
}

impl Server {
    /// Starts the binary on a free port and waits for it to say where it listens.
    pub fn start(database_url: &str, now: &str, demo: bool, env: &[(&str, &str)]) -> Server {
        let log = tempfile::NamedTempFile::new().unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_affecto"));
        command
            .args([
                "serve",
                "--bind",
                "127.0.0.1:0",
                "--database-url",
                database_url,
            ])
            .env("AFFECTO_NOW", now)
            .env("AFFECTO_WEB_DIR", "/nonexistent")
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log.reopen().unwrap()));
        if demo {
            command.arg("--demo");
        }
        let mut child = command.spawn().expect("the affecto binary starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(address) = line.strip_prefix("listening on ") {
                    let _ = sender.send(address.to_owned());
                }
            }
        });
        let address = receiver
            .recv_timeout(Duration::from_secs(120))
            .expect("the server reports its address");
        Server {
            child,
            address,
            log,
        }
    }

    /// Asks the process to stop (SIGTERM) and waits for it; returns whether it exited
    /// cleanly within `limit`.
    pub fn terminate(&mut self, limit: Duration) -> bool {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let deadline = std::time::Instant::now() + limit;
        while std::time::Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// What the server has logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap()
    }

    /// Kills the process at once (SIGKILL), as a crash or a power cut would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .unwrap()
}

pub async fn login(client: &reqwest::Client, server: &Server) -> String {
    let res = client
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({"email": "admin@college-demo.fr", "password": "demo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub async fn get(client: &reqwest::Client, server: &Server, path: &str, token: &str) -> Value {
    let res = client
        .get(server.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "GET {path}");
    res.json().await.unwrap()
}

/// The id of a demo product by title.
pub async fn product_id(
    client: &reqwest::Client,
    server: &Server,
    token: &str,
    title: &str,
) -> i64 {
    let overview = get(
        client,
        server,
        &format!("/api/v1/schools/{COLLEGE}/licences"),
        token,
    )
    .await;
    overview["active"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["product"]["title"] == title)
        .unwrap()["product"]["id"]
        .as_i64()
        .unwrap()
}

/// Every student of the collège, class by class.
pub async fn all_students(
    client: &reqwest::Client,
    server: &Server,
    token: &str,
    product_id: i64,
) -> Vec<i64> {
    let classes = get(
        client,
        server,
        &format!("/api/v1/schools/{COLLEGE}/classes"),
        token,
    )
    .await;
    let mut students = Vec::new();
    for class in classes["classes"].as_array().unwrap() {
        let path = format!(
            "/api/v1/schools/{COLLEGE}/classes/{}/students?product_id={product_id}",
            class["id"]
        );
        let list = get(client, server, &path, token).await;
        students.extend(
            list["students"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].as_i64().unwrap()),
        );
    }
    students
}
