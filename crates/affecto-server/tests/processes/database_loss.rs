//! When PostgreSQL cannot be reached, requests answer 503 quickly, and the same
//! process serves again once it is back. The database is cut off by a proxy in
//! front of it, so the shared server keeps running for the other tests.

use std::io::copy;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::db::{Backend, TestDb};
use crate::server::{client, login, Server, COLLEGE, SEEDED};

/// A TCP relay to PostgreSQL that can drop every connection and refuse new ones.
struct Cutoff {
    port: u16,
    open: Arc<AtomicBool>,
    streams: Arc<Mutex<Vec<TcpStream>>>,
}

impl Cutoff {
    fn start(upstream: &'static str) -> Cutoff {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let open = Arc::new(AtomicBool::new(true));
        let streams: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let (is_open, live) = (open.clone(), streams.clone());
        std::thread::spawn(move || {
            for incoming in listener.incoming().map_while(Result::ok) {
                if !is_open.load(Ordering::SeqCst) {
                    let _ = incoming.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(upstream) else {
                    continue;
                };
                live.lock()
                    .unwrap()
                    .extend([incoming.try_clone().unwrap(), server.try_clone().unwrap()]);
                relay(incoming, server);
            }
        });
        Cutoff {
            port,
            open,
            streams,
        }
    }

    fn cut(&self) {
        self.open.store(false, Ordering::SeqCst);
        for stream in self.streams.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }

    fn restore(&self) {
        self.open.store(true, Ordering::SeqCst);
    }
}

fn relay(client: TcpStream, server: TcpStream) {
    let (mut client_in, mut server_out) =
        (client.try_clone().unwrap(), server.try_clone().unwrap());
    std::thread::spawn(move || {
        let _ = copy(&mut client_in, &mut server_out);
        let _ = server_out.shutdown(Shutdown::Both);
    });
    let (mut server_in, mut client_out) = (server, client);
    std::thread::spawn(move || {
        let _ = copy(&mut server_in, &mut client_out);
        let _ = client_out.shutdown(Shutdown::Both);
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_its_database_the_server_answers_503_then_recovers() {
    let Some(db) = TestDb::create(Backend::Postgres) else {
        return;
    };
    let cutoff = Cutoff::start("127.0.0.1:5432");
    let through_cutoff =
        db.url
            .replacen("127.0.0.1:5432", &format!("127.0.0.1:{}", cutoff.port), 1);
    assert_ne!(
        through_cutoff, db.url,
        "the test database is reached through the cut-off"
    );
    let server = Server::start(&through_cutoff, SEEDED, true, &[]);
    let http = client();
    let token = login(&http, &server).await;
    let licences = server.url(&format!("/api/v1/schools/{COLLEGE}/licences"));
    assert_eq!(
        http.get(&licences)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    cutoff.cut();
    let started = Instant::now();
    let res = http
        .get(&licences)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let waited = started.elapsed();
    assert_eq!(res.status(), 503);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "service_unavailable");
    assert!(waited < Duration::from_secs(10), "answered in {waited:?}");
    assert_eq!(
        http.get(server.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        503
    );
    assert_eq!(
        http.get(server.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "the process itself is alive"
    );

    cutoff.restore();
    let deadline = Instant::now() + Duration::from_secs(30);
    while http
        .get(server.url("/readyz"))
        .send()
        .await
        .unwrap()
        .status()
        != 200
    {
        assert!(
            Instant::now() < deadline,
            "the server serves again without a restart"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        http.get(&licences)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    eprintln!("database cut off: 503 after {waited:?}; served again after it came back");
}
