//! The web app's build: cargo for `wasm32-unknown-unknown`, then wasm-bindgen (as a
//! library, so nothing needs installing), then the static files, into `frontend/dist/`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use flate2::write::GzEncoder;
use flate2::Compression;
use wasm_bindgen_cli_support::Bindgen;

use crate::cmd;

const PROFILE: &str = "wasm-release";
const TARGET: &str = "wasm32-unknown-unknown";
const OUT_NAME: &str = "affecto_frontend";
/// Copied as they are: the page, its stylesheet and the loader script. No inline
/// script or style anywhere, for the server's Content-Security-Policy.
const STATIC_FILES: [&str; 3] = ["index.html", "style.css", "app.js"];

/// Builds `frontend/dist/` and returns its path.
pub fn build() -> anyhow::Result<PathBuf> {
    let wasm = compile()?;
    let dist = cmd::root().join("frontend/dist");
    recreate(&dist)?;
    bindgen(&wasm, &dist)?;
    copy_static_files(&dist)?;
    report_size(&dist.join(format!("{OUT_NAME}_bg.wasm")))?;
    println!("xtask: web app ready in {}", dist.display());
    Ok(dist)
}

fn compile() -> anyhow::Result<PathBuf> {
    let mut cargo = cmd::cargo();
    cargo.args([
        "build",
        "-p",
        "affecto-frontend",
        "--target",
        TARGET,
        "--profile",
        PROFILE,
    ]);
    cmd::run(&mut cargo)?;
    Ok(cmd::target_dir()
        .join(TARGET)
        .join(PROFILE)
        .join("affecto-frontend.wasm"))
}

fn recreate(dist: &Path) -> anyhow::Result<()> {
    if dist.exists() {
        fs::remove_dir_all(dist).with_context(|| format!("removing {}", dist.display()))?;
    }
    fs::create_dir_all(dist).with_context(|| format!("creating {}", dist.display()))
}

fn bindgen(wasm: &Path, dist: &Path) -> anyhow::Result<()> {
    Bindgen::new()
        .input_path(wasm)
        .out_name(OUT_NAME)
        .web(true)?
        .typescript(false)
        // Function names are only for debuggers; they would double the download.
        .remove_name_section(true)
        .remove_producers_section(true)
        .generate(dist)
        .with_context(|| format!("wasm-bindgen on {}", wasm.display()))
}

fn copy_static_files(dist: &Path) -> anyhow::Result<()> {
    let source = cmd::root().join("frontend");
    for name in STATIC_FILES {
        fs::copy(source.join(name), dist.join(name))
            .with_context(|| format!("copying frontend/{name}"))?;
    }
    Ok(())
}

fn report_size(wasm: &Path) -> anyhow::Result<()> {
    let bytes = fs::read(wasm).with_context(|| format!("reading {}", wasm.display()))?;
    let mut gzip = GzEncoder::new(Vec::new(), Compression::best());
    gzip.write_all(&bytes)?;
    let gzipped = gzip.finish()?.len();
    println!(
        "xtask: {}: {} bytes ({} KiB), {} bytes gzipped ({} KiB)",
        wasm.file_name().unwrap_or_default().to_string_lossy(),
        bytes.len(),
        bytes.len() / 1024,
        gzipped,
        gzipped / 1024
    );
    Ok(())
}
