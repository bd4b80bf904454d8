//! Tells the linker where libkctl (and, with the features, libkctl-sim and libkctl-kpi)
//! are: the directories in KCTL_LIB_DIR (a PATH-style list; `make check` points it at the
//! build tree and also sets an rpath for the test binaries), else what
//! `pkg-config --libs-only-L libkctl` says, else the linker's default search path.

use std::env;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=KCTL_LIB_DIR");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    let kpi = env::var_os("CARGO_FEATURE_KPI").is_some();
    let sim = kpi || env::var_os("CARGO_FEATURE_SIM").is_some();

    for dir in search_dirs() {
        println!("cargo:rustc-link-search=native={}", dir.display());
        // only this package's own tests, examples and binaries get it
        println!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir.display());
    }
    println!("cargo:rustc-link-lib=dylib=kctl");
    if sim {
        println!("cargo:rustc-link-lib=dylib=kctl-sim");
    }
    if kpi {
        println!("cargo:rustc-link-lib=dylib=kctl-kpi");
    }
}

fn search_dirs() -> Vec<PathBuf> {
    if let Some(list) = env::var_os("KCTL_LIB_DIR") {
        return env::split_paths(&list).filter(|p| !p.as_os_str().is_empty()).collect();
    }
    let pkg_config = env::var_os("PKG_CONFIG").unwrap_or_else(|| "pkg-config".into());
    let out = match Command::new(pkg_config).args(["--libs-only-L", "libkctl"]).output() {
        Ok(out) if out.status.success() => out.stdout,
        _ => return Vec::new(), // no pkg-config or no libkctl.pc: the default search path
    };
    String::from_utf8_lossy(&out)
        .split_whitespace()
        .filter_map(|flag| flag.strip_prefix("-L"))
        .map(PathBuf::from)
        .collect()
}
