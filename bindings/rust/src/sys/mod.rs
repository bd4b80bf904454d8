//! The raw C API: hand-written `extern "C"` declarations of libkctl's public headers, one
//! file per header (`kctl.h`, `kctl_frame.h`, `kctl_abi.h`, `kctl_sim.h`, `kctl_kpi.h`).
//!
//! Everything here is `unsafe` to call and follows the C documentation in those headers.
//! `tests/header_drift.rs` checks every declaration against the headers (names, argument
//! and return types, struct layouts, constants): a declaration that drifts from C fails
//! `cargo test`. To bind a new C function, add it to the file of its header; the test
//! then also insists that every function of the header is declared here.
//!
//! The functions of `kctl_sim.h` need the `sim` feature to link (libkctl-sim), those of
//! `kctl_kpi.h` the `kpi` feature (libkctl-kpi); they are declared either way.

#![allow(non_camel_case_types)]

#[macro_use]
mod macros;

mod abi;
mod frame;
mod kctl;
mod kpi;
mod sim;

pub use self::abi::*;
pub use self::frame::*;
pub use self::kctl::*;
pub use self::kpi::*;
pub use self::sim::*;

pub use std::os::raw::{c_char, c_int, c_ulong, c_void};

/// A function declaration as written in Rust (see the drift test).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct FnDecl {
    pub name: &'static str,
    pub args: &'static [&'static str],
    pub ret: &'static str,
}

/// A struct as Rust lays it out (see the drift test).
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct StructDecl {
    pub name: &'static str,
    pub size: usize,
    pub align: usize,
    pub fields: Vec<FieldDecl>,
}

/// One field of a [`StructDecl`].
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct FieldDecl {
    pub name: &'static str,
    pub ty: &'static str,
    pub offset: usize,
    pub size: usize,
}

/// Every declared function, for the drift test.
#[doc(hidden)]
pub fn functions() -> Vec<FnDecl> {
    [KCTL_FUNCTIONS, FRAME_FUNCTIONS, SIM_FUNCTIONS, KPI_FUNCTIONS].concat()
}

/// Every declared struct with its layout, for the drift test.
#[doc(hidden)]
pub fn structs() -> Vec<StructDecl> {
    [kctl_structs(), frame_structs(), abi_structs(), sim_structs(), sim_utun_structs()].concat()
}

/// Every declared opaque type, for the drift test.
#[doc(hidden)]
pub fn opaque_types() -> Vec<&'static str> {
    [KCTL_OPAQUE, SIM_OPAQUE, KPI_OPAQUE].concat()
}

/// Every declared type alias, for the drift test.
#[doc(hidden)]
pub fn type_aliases() -> Vec<(&'static str, &'static str)> {
    [KCTL_TYPES, SIM_TYPES, KPI_TYPES].concat()
}

/// Every declared integer constant with its value, for the drift test.
#[doc(hidden)]
pub fn constants() -> Vec<(&'static str, i128)> {
    [KCTL_CONSTANTS, FRAME_CONSTANTS, ABI_CONSTANTS, SIM_CONSTANTS].concat()
}
