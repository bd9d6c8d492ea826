//! Prometheus metrics at `/metrics`: requests and latencies per route, the database
//! pool, and licences handed out or taken back. Routes are their patterns
//! (`/api/v1/schools/{uai}/licences`), never the concrete paths, so no school or
//! person appears in a label.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};

use crate::state::AppState;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

#[derive(Default)]
struct RouteStats {
    count: u64,
    sum_seconds: f64,
    buckets: [u64; BUCKETS.len()],
}

/// The counters of one server process.
#[derive(Default)]
pub struct Metrics {
    routes: Mutex<BTreeMap<(String, String, u16), RouteStats>>,
    licences_assigned: AtomicU64,
    licences_unassigned: AtomicU64,
}

impl Metrics {
    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let mut routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        let stats = routes
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default();
        stats.count += 1;
        stats.sum_seconds += seconds;
        for (bucket, bound) in stats.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
    }

    /// Counts licences handed out and taken back by one change.
    pub fn record_change(&self, assigned: u32, unassigned: u32) {
        self.licences_assigned
            .fetch_add(u64::from(assigned), Ordering::Relaxed);
        self.licences_unassigned
            .fetch_add(u64::from(unassigned), Ordering::Relaxed);
    }

    fn render(&self, pool: &affecto_store::PoolState, pool_max: u32) -> String {
        let mut out = String::new();
        out.push_str("# HELP affecto_http_requests_total HTTP requests answered, by route pattern and status.\n");
        out.push_str("# TYPE affecto_http_requests_total counter\n");
        let routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        for ((method, route, status), stats) in routes.iter() {
            let _ = writeln!(out, "affecto_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {}", stats.count);
        }
        out.push_str(
            "# HELP affecto_http_request_duration_seconds Time to answer, by route pattern.\n",
        );
        out.push_str("# TYPE affecto_http_request_duration_seconds histogram\n");
        for ((method, route, status), stats) in routes.iter() {
            let labels = format!("method=\"{method}\",route=\"{route}\",status=\"{status}\"");
            for (bound, count) in BUCKETS.iter().zip(stats.buckets) {
                let _ = writeln!(out, "affecto_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {count}");
            }
            let _ = writeln!(
                out,
                "affecto_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                stats.count
            );
            let _ = writeln!(
                out,
                "affecto_http_request_duration_seconds_sum{{{labels}}} {}",
                stats.sum_seconds
            );
            let _ = writeln!(
                out,
                "affecto_http_request_duration_seconds_count{{{labels}}} {}",
                stats.count
            );
        }
        drop(routes);
        let gauges = [
            (
                "affecto_db_pool_connections",
                "Open database connections.",
                u64::from(pool.connections),
            ),
            (
                "affecto_db_pool_idle_connections",
                "Idle database connections.",
                u64::from(pool.idle_connections),
            ),
            (
                "affecto_db_pool_max_connections",
                "Most connections the pool opens.",
                u64::from(pool_max),
            ),
        ];
        for (name, help, value) in gauges {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        }
        let counters = [
            (
                "affecto_licences_assigned_total",
                "Licences handed out by this process.",
                &self.licences_assigned,
            ),
            (
                "affecto_licences_unassigned_total",
                "Licences taken back by this process.",
                &self.licences_unassigned,
            ),
        ];
        for (name, help, value) in counters {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                value.load(Ordering::Relaxed)
            );
        }
        out
    }
}

/// Times every request and counts it under its route pattern.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let method = req.method().to_string();
    let res = next.call(req).await?;
    if let Some(state) = state {
        let route = res
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".into());
        state.metrics.observe(
            &method,
            &route,
            res.status().as_u16(),
            started.elapsed().as_secs_f64(),
        );
    }
    Ok(res)
}

/// The metrics in Prometheus' text format.
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let body = state
        .metrics
        .render(&state.pool.state(), state.settings.pool_size);
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(body)
}
