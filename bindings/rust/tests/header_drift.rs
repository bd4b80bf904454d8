//! `kctl::sys` says exactly what the C headers say, and the check notices when one of
//! them changes (each mutation below is applied to a copy of the headers).

mod drift;

use std::fs;
use std::path::Path;

fn copy_headers(to: &Path) {
    for e in fs::read_dir(drift::include_dir()).expect("include dir") {
        let e = e.expect("entry");
        if e.file_type().map(|t| t.is_file()).unwrap_or(false) {
            fs::copy(e.path(), to.join(e.file_name())).expect("copy header");
        }
    }
}

/// The problems found once `from` is replaced by `to` in a copy of `header`.
fn problems_after(tag: &str, header: &str, from: &str, to: &str) -> Vec<String> {
    let work = drift::scratch(tag);
    let inc = work.join("include");
    fs::create_dir_all(&inc).expect("mkdir");
    copy_headers(&inc);
    let path = inc.join(header);
    let text = fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{} no longer contains {:?}: update this test", header, from);
    fs::write(&path, text.replacen(from, to, 1)).expect("write");
    let p = drift::check(&inc, &work);
    let _ = fs::remove_dir_all(&work);
    p
}

fn assert_reported(problems: &[String], needle: &str) {
    assert!(problems.iter().any(|p| p.contains(needle)),
            "expected a problem mentioning {:?}, got {:#?}", needle, problems);
}

#[test]
fn every_declaration_matches_the_headers() {
    let work = drift::scratch("real");
    let problems = drift::check(&drift::include_dir(), &work);
    let _ = fs::remove_dir_all(&work);
    assert!(problems.is_empty(), "kctl::sys has drifted from the C headers:\n{}",
            problems.join("\n"));
}

#[test]
fn the_header_reader_sees_every_function_of_kctl_h() {
    let mut d = drift::cheader::Decls::default();
    let text = fs::read_to_string(drift::include_dir().join("kctl.h")).expect("kctl.h");
    drift::cheader::parse(&text, &mut d).expect("parse");
    let kctl_api = text.lines().filter(|l| l.starts_with("KCTL_API ")).count();
    assert_eq!(d.functions.len(), kctl_api);
    let (args, ret) = &d.functions["kctl_open_name"];
    assert_eq!(args, &["*const kctl_backend_t", "*const c_char", "u32", "u32", "*mut *mut kctl_t"]);
    assert_eq!(ret, "c_int");
}

#[test]
fn a_changed_argument_type_is_reported() {
    let p = problems_after("arg", "kctl.h", "uint32_t *count);", "uint16_t *count);");
    assert_reported(&p, "kctl_count: arguments are");
}

#[test]
fn a_changed_return_type_is_reported() {
    let p = problems_after("ret", "kctl.h", "KCTL_API uint32_t kctl_unit(", "KCTL_API uint64_t kctl_unit(");
    assert_reported(&p, "kctl_unit: returns u64 in C but u32 in Rust");
}

#[test]
fn a_function_new_in_the_header_is_reported() {
    let p = problems_after("new", "kctl.h", "KCTL_API const char *kctl_version(void);",
                           "KCTL_API const char *kctl_version(void);\nKCTL_API int kctl_fresh(kctl_t *h);");
    assert_reported(&p, "kctl_fresh: in the headers, not declared in kctl::sys");
}

#[test]
fn a_function_gone_from_the_header_is_reported() {
    let p = problems_after("gone", "kctl.h", "KCTL_API int kctl_msg_ready(kctl_t *h);", "");
    assert_reported(&p, "kctl_msg_ready: declared in kctl::sys, not in the headers");
}

#[test]
fn a_changed_struct_field_is_reported_with_its_layout() {
    let p = problems_after("field", "kctl_abi.h", "uint16_t ss_sysaddr;", "uint32_t ss_sysaddr;");
    assert_reported(&p, "struct kctl_abi_sockaddr_ctl: fields are");
    assert_reported(&p, "field kctl_abi_sockaddr_ctl.sc_id: offset and size");
}

#[test]
fn a_changed_constant_is_reported() {
    let p = problems_after("const", "kctl.h", "#define KCTL_MSG_DEFAULT_MAX 8192u",
                           "#define KCTL_MSG_DEFAULT_MAX 4096u");
    assert_reported(&p, "constant KCTL_MSG_DEFAULT_MAX: 4096 in C but 8192 in Rust");
}

#[test]
fn a_changed_callback_signature_is_reported() {
    let p = problems_after("cb", "kctl_sim.h", "void (*rcvd)(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int flags);",
                           "int (*rcvd)(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int flags);");
    assert_reported(&p, "struct kctl_sim_reg: fields are");
}

#[test]
fn a_new_enumerator_is_reported() {
    let p = problems_after("enum", "kctl_sim.h", "\tKCTL_SIM_CALL_ENQUEUE,", "\tKCTL_SIM_CALL_ENQUEUE,\n\tKCTL_SIM_CALL_LIST,");
    assert_reported(&p, "constant KCTL_SIM_CALL_LIST: in the headers, not in kctl::sys");
    assert_reported(&p, "constant KCTL_SIM_CALL_COUNT: 13 in C but 12 in Rust");
}
