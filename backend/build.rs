//! Points the embedded SPA at `frontend/dist` when it has been built, or at a placeholder page
//! saying how to build it, so the backend always compiles without waiting on the WASM build.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let dist = manifest.join("../frontend/dist");
    println!("cargo:rerun-if-changed={}", dist.display());
    // `embed_migrations!` tracks the files it read, not a new migration's folder.
    println!("cargo:rerun-if-changed={}", manifest.join("../migrations").display());
    let dir = if dist.join("index.html").is_file() {
        dist.canonicalize().unwrap()
    } else {
        let placeholder = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("spa-placeholder");
        std::fs::create_dir_all(&placeholder).unwrap();
        std::fs::write(
            placeholder.join("index.html"),
            "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>Sổ Đoàn</title>\
             <body style=\"font-family:sans-serif;max-width:40em;margin:2em auto\">\
             <h1>Sổ Đoàn</h1><p>Giao diện web chưa được build. / The web app has not been built.</p>\
             <p>Run <code>scripts/build-frontend</code>, then rebuild the server \
             (or just <code>scripts/run</code>). The API is up: <a href=\"/api/v1/health\">/api/v1/health</a>, \
             <a href=\"/api/v1/docs/\">/api/v1/docs/</a>.</p></body></html>",
        )
        .unwrap();
        placeholder
    };
    println!("cargo:rustc-env=SODOAN_SPA_DIR={}", dir.display());
}
