//! `cargo xtask <command>`: the project's chores, in Rust so they need nothing but
//! cargo (and node for the browser tests).
//!
//! - `frontend`: builds the web app into `frontend/dist/`;
//! - `demo [ARGS...]`: builds the web app, then runs the server on demo data;
//! - `test`: builds the web app, runs `cargo test --workspace`, then the browser tests;
//! - `e2e`: builds the web app and the server, then runs the browser tests only.

mod cmd;
mod frontend;
mod test;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <frontend | demo [SERVER ARGS...] | test | e2e>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("frontend") => frontend::build().map(|_| ()),
        Some("demo") => demo(&args[1..]),
        Some("test") => test::run(),
        Some("e2e") => test::run_browser_tests(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Builds the web app, then serves it with the demo school (the README's command).
fn demo(server_args: &[String]) -> anyhow::Result<()> {
    frontend::build()?;
    let mut cargo = cmd::cargo();
    cargo.args([
        "run",
        "--release",
        "-p",
        "affecto-server",
        "--bin",
        "affecto",
        "--",
    ]);
    cargo.args(["serve", "--demo"]).args(server_args);
    cmd::run(&mut cargo)
}
