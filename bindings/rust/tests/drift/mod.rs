//! Compares `kctl::sys` with the C headers: what the headers declare (read by
//! `cheader`) against what the Rust declarations say (recorded by the `sys` macros),
//! and every struct layout, constant and errno against what the C compiler computes from
//! the headers (a probe program generated here, compiled with $CC and run).

pub mod cheader;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use kctl::sys;

/// Structs the bindings declare that come from system headers, not libkctl's.
const SYSTEM_STRUCTS: &[&str] = &["iovec"];

/// Where the headers are: $KCTL_INCLUDE_DIR, else the source tree's include/.
pub fn include_dir() -> PathBuf {
    match std::env::var_os("KCTL_INCLUDE_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../include"),
    }
}

/// A fresh scratch folder for one check.
pub fn scratch(tag: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("drift-{}-{}", tag, std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).expect("scratch dir");
    d
}

/// Every difference between the headers in `inc` and `kctl::sys`, as sentences.
pub fn check(inc: &Path, work: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let headers = headers_in(inc);
    if headers.is_empty() {
        return vec![format!("no kctl*.h in {} (set KCTL_INCLUDE_DIR)", inc.display())];
    }
    let mut c = cheader::Decls::default();
    for h in &headers {
        let text = fs::read_to_string(inc.join(h)).expect("read header");
        if let Err(e) = cheader::parse(&text, &mut c) {
            problems.push(format!("{}: cannot read: {}", h, e));
        }
    }
    compare_functions(&c, &mut problems);
    compare_types(&c, &mut problems);
    compare_structs(&c, &mut problems);
    match run_probe(inc, &headers, &c, work) {
        Ok(out) => compare_probe(&c, &out, &mut problems),
        Err(e) => problems.push(e),
    }
    problems
}

fn headers_in(inc: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(inc)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned())
             .filter(|n| n.starts_with("kctl") && n.ends_with(".h")).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// Types compared as text: whitespace removed.
fn norm(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn compare_functions(c: &cheader::Decls, p: &mut Vec<String>) {
    let rust: BTreeMap<&str, sys::FnDecl> = sys::functions().into_iter().map(|f| (f.name, f)).collect();
    for (name, (args, ret)) in &c.functions {
        let r = match rust.get(name.as_str()) {
            Some(r) => r,
            None => {
                p.push(format!("{}: in the headers, not declared in kctl::sys", name));
                continue;
            }
        };
        let rargs: Vec<String> = r.args.iter().map(|a| norm(a)).collect();
        let cargs: Vec<String> = args.iter().map(|a| norm(a)).collect();
        if rargs != cargs {
            p.push(format!("{}: arguments are ({}) in C but ({}) in Rust", name,
                           args.join(", "), r.args.join(", ")));
        }
        if norm(ret) != norm(r.ret) {
            p.push(format!("{}: returns {} in C but {} in Rust", name, ret, r.ret));
        }
    }
    for name in rust.keys() {
        if !c.functions.contains_key(*name) {
            p.push(format!("{}: declared in kctl::sys, not in the headers", name));
        }
    }
}

fn compare_types(c: &cheader::Decls, p: &mut Vec<String>) {
    let ro: BTreeSet<&str> = sys::opaque_types().into_iter().collect();
    let co: BTreeSet<&str> = c.opaque.iter().map(String::as_str).collect();
    for t in co.difference(&ro) {
        p.push(format!("opaque type {}: in the headers, not in kctl::sys", t));
    }
    for t in ro.difference(&co) {
        p.push(format!("opaque type {}: in kctl::sys, not in the headers", t));
    }
    let ra: BTreeMap<&str, &str> = sys::type_aliases().into_iter().collect();
    for (name, ty) in &c.aliases {
        match ra.get(name.as_str()) {
            None => p.push(format!("type {}: in the headers, not in kctl::sys", name)),
            Some(r) if norm(r) != norm(ty) => {
                p.push(format!("type {}: {} in C but {} in Rust", name, ty, r))
            }
            _ => {}
        }
    }
    for name in ra.keys() {
        if !c.aliases.contains_key(*name) {
            p.push(format!("type {}: in kctl::sys, not in the headers", name));
        }
    }
}

fn compare_structs(c: &cheader::Decls, p: &mut Vec<String>) {
    let rs = sys::structs();
    for (name, fields) in &c.structs {
        let r = match rs.iter().find(|s| s.name == name) {
            Some(r) => r,
            None => {
                p.push(format!("struct {}: in the headers, not in kctl::sys", name));
                continue;
            }
        };
        let cf: Vec<(String, String)> = fields.iter().map(|(n, t)| (rust_field(n), norm(t))).collect();
        let rf: Vec<(String, String)> = r.fields.iter().map(|f| (f.name.to_string(), norm(f.ty))).collect();
        if cf != rf {
            p.push(format!("struct {}: fields are {:?} in C but {:?} in Rust", name, cf, rf));
        }
    }
    for r in &rs {
        if !c.structs.contains_key(r.name) && !SYSTEM_STRUCTS.contains(&r.name) {
            p.push(format!("struct {}: in kctl::sys, not in the headers", r.name));
        }
    }
}

/// A C field name as Rust spells it (`type` is a keyword).
fn rust_field(n: &str) -> String {
    if n == "type" { "type_".to_string() } else { n.to_string() }
}

fn run_probe(inc: &Path, headers: &[String], c: &cheader::Decls, work: &Path) -> Result<String, String> {
    let mut src = String::from("#include <errno.h>\n#include <stdalign.h>\n#include <stddef.h>\n\
                                #include <stdio.h>\n#include <sys/uio.h>\n");
    for h in headers {
        let _ = writeln!(src, "#include \"{}\"", h);
    }
    src.push_str("int main(void)\n{\n");
    for name in &c.constants {
        let _ = writeln!(src, "\tprintf(\"const {0} %lld\\n\", (long long)({0}));", name);
    }
    for (name, _) in kctl::errno::ALL {
        let _ = writeln!(src, "\tprintf(\"errno {0} %d\\n\", {0});", name);
    }
    for s in sys::structs() {
        let _ = writeln!(src, "\tprintf(\"struct {0} %zu %zu\\n\", sizeof(struct {0}), alignof(struct {0}));",
                         s.name);
        for f in &s.fields {
            let cf = if f.name == "type_" { "type" } else { f.name };
            let _ = writeln!(src, "\tprintf(\"field {0}.{1} %zu %zu\\n\", offsetof(struct {0}, {2}), \
                                   sizeof(((struct {0} *)0)->{2}));", s.name, f.name, cf);
        }
    }
    for (name, ty) in &c.aliases {
        if ty == "c_int" {
            let _ = writeln!(src, "\tprintf(\"enum {0} %zu\\n\", sizeof(enum {0}));", name);
        }
    }
    src.push_str("\treturn 0;\n}\n");
    let (csrc, exe) = (work.join("probe.c"), work.join("probe"));
    fs::write(&csrc, src).map_err(|e| format!("write probe: {}", e))?;
    let cc = std::env::var("KCTL_CC").or_else(|_| std::env::var("CC")).unwrap_or_else(|_| "cc".into());
    let mut argv = cc.split_whitespace();
    let prog = argv.next().unwrap_or("cc");
    let out = Command::new(prog).args(argv).arg("-std=c11").arg("-I").arg(inc).arg("-o").arg(&exe)
        .arg(&csrc).output().map_err(|e| format!("cannot run the C compiler {:?}: {} (set CC)", cc, e))?;
    if !out.status.success() {
        return Err(format!("the probe does not compile against the headers:\n{}",
                           String::from_utf8_lossy(&out.stderr)));
    }
    let run = Command::new(&exe).output().map_err(|e| format!("run probe: {}", e))?;
    if !run.status.success() {
        return Err("the probe failed".into());
    }
    Ok(String::from_utf8_lossy(&run.stdout).into_owned())
}

fn compare_probe(c: &cheader::Decls, out: &str, p: &mut Vec<String>) {
    let mut seen = BTreeMap::new();
    for line in out.lines() {
        let w: Vec<&str> = line.split_whitespace().collect();
        seen.insert((w[0].to_string(), w[1].to_string()), w[2..].join(" "));
    }
    let get = |kind: &str, name: &str| seen.get(&(kind.to_string(), name.to_string())).cloned();
    let rc: BTreeMap<&str, i128> = sys::constants().into_iter().collect();
    for name in &c.constants {
        match (rc.get(name.as_str()), get("const", name)) {
            (None, _) => p.push(format!("constant {}: in the headers, not in kctl::sys", name)),
            (Some(v), Some(cv)) if cv != v.to_string() => {
                p.push(format!("constant {}: {} in C but {} in Rust", name, cv, v))
            }
            _ => {}
        }
    }
    for name in rc.keys() {
        if !c.constants.iter().any(|n| n == name) {
            p.push(format!("constant {}: in kctl::sys, not in the headers", name));
        }
    }
    for (name, v) in kctl::errno::ALL {
        if get("errno", name) != Some(v.to_string()) {
            p.push(format!("errno {}: {:?} in <errno.h> but {} in kctl::errno", name,
                           get("errno", name), v));
        }
    }
    for s in sys::structs() {
        let want = format!("{} {}", s.size, s.align);
        if get("struct", s.name).as_deref() != Some(want.as_str()) {
            p.push(format!("struct {}: size and alignment {:?} in C but {} in Rust", s.name,
                           get("struct", s.name), want));
        }
        for f in &s.fields {
            let key = format!("{}.{}", s.name, f.name);
            let want = format!("{} {}", f.offset, f.size);
            if get("field", &key).as_deref() != Some(want.as_str()) {
                p.push(format!("field {}: offset and size {:?} in C but {} in Rust", key,
                               get("field", &key), want));
            }
        }
    }
    for (name, ty) in &c.aliases {
        if ty == "c_int" && get("enum", name) != Some(std::mem::size_of::<std::os::raw::c_int>().to_string()) {
            p.push(format!("enum {}: not int-sized in C", name));
        }
    }
}
