//! The full test run: web app build, `cargo test --workspace`, the API fuzzed from
//! its OpenAPI document, then the browser tests (node's test runner driving Debian's
//! Chromium against a real server).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};

use crate::{cmd, frontend};

const CHROMIUM: &str = "/usr/bin/chromium";

/// Runs every test; the first failing step stops the run.
pub fn run() -> anyhow::Result<()> {
    let dist = frontend::build()?;
    let mut cargo = cmd::cargo();
    cargo.args(["test", "--workspace"]);
    cmd::run(&mut cargo)?;
    fuzz_api()?;
    browser_tests(&dist)
}

/// schemathesis against a live server on the debug build `cargo test` just made
/// (`fuzz/run.sh` installs it from PyPI into a virtual environment under target/).
fn fuzz_api() -> anyhow::Result<()> {
    let mut fuzz = Command::new("bash");
    fuzz.current_dir(cmd::root())
        .arg("fuzz/run.sh")
        .arg(cmd::target_dir().join("debug/affecto"));
    cmd::run(&mut fuzz)
}

/// The browser tests alone, on a fresh build of the web app.
pub fn run_browser_tests() -> anyhow::Result<()> {
    let dist = frontend::build()?;
    browser_tests(&dist)
}

fn browser_tests(dist: &Path) -> anyhow::Result<()> {
    if !Path::new(CHROMIUM).exists() {
        let reason = format!(
            "browser tests skipped: {CHROMIUM} not found (apt-get install chromium chromium-driver)"
        );
        if std::env::var_os("CI").is_some() {
            bail!("{reason}; refusing to skip them in CI");
        }
        println!("xtask: {reason}");
        return Ok(());
    }
    let e2e = cmd::root().join("e2e");
    install_node_packages(&e2e)?;
    let server = build_server()?;
    let mut node = Command::new("node");
    node.current_dir(cmd::root())
        .args(["--test", "--test-concurrency=1"])
        .args(test_files(&e2e)?)
        .env("AFFECTO_BIN", &server)
        .env("AFFECTO_WEB_DIR", dist);
    cmd::run(&mut node)
}

fn install_node_packages(e2e: &Path) -> anyhow::Result<()> {
    let mut npm = Command::new("npm");
    npm.current_dir(e2e);
    if e2e.join("package-lock.json").exists() {
        npm.args(["ci", "--no-audit", "--no-fund"]);
    } else {
        npm.args(["install", "--no-audit", "--no-fund"]);
    }
    cmd::run(&mut npm)
}

/// The server the browser tests start. A debug build: `cargo test` has just built
/// its dependencies, so it is the quicker one to get.
fn build_server() -> anyhow::Result<PathBuf> {
    let mut cargo = cmd::cargo();
    cargo.args(["build", "-p", "affecto-server", "--bin", "affecto"]);
    cmd::run(&mut cargo)?;
    Ok(cmd::target_dir().join("debug/affecto"))
}

fn test_files(e2e: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let folder = e2e.join("tests");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .with_context(|| format!("listing {}", folder.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no browser test found in {}", folder.display());
    }
    Ok(files)
}
