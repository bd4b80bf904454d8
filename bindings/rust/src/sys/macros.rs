//! The macros the declarations of `sys` are written with. Each one emits the ordinary
//! item (an `extern "C"` block, a `#[repr(C)]` struct, a `const`) and also records the
//! tokens it was given in a table, so that `tests/header_drift.rs` compares exactly what
//! is compiled with what the C headers say.

/// `extern "C"` functions, recorded in `$table` as (name, argument types, return type).
macro_rules! c_functions {
    ($table:ident; $( $(#[$m:meta])* pub fn $name:ident($($arg:ident: $t:ty),* $(,)?) $(-> $ret:ty)?; )*) => {
        extern "C" {
            $( $(#[$m])* pub fn $name($($arg: $t),*) $(-> $ret)?; )*
        }
        #[doc(hidden)]
        pub const $table: &[crate::sys::FnDecl] = &[
            $( crate::sys::FnDecl {
                name: stringify!($name),
                args: &[$(stringify!($t)),*],
                ret: c_functions!(@ret $($ret)?),
            }, )*
        ];
    };
    (@ret) => { "()" };
    (@ret $r:ty) => { stringify!($r) };
}

/// `#[repr(C)]` structs, recorded in `$table` with their layout as Rust computes it.
macro_rules! c_structs {
    ($table:ident; $( $(#[$m:meta])* pub struct $name:ident { $( $(#[$fm:meta])* pub $f:ident: $t:ty, )* } )*) => {
        $(
            $(#[$m])*
            #[repr(C)]
            #[derive(Clone, Copy)]
            #[allow(missing_debug_implementations)]
            pub struct $name { $( $(#[$fm])* pub $f: $t, )* }
        )*
        #[doc(hidden)]
        pub fn $table() -> Vec<crate::sys::StructDecl> {
            vec![$(
                crate::sys::StructDecl {
                    name: stringify!($name),
                    size: core::mem::size_of::<$name>(),
                    align: core::mem::align_of::<$name>(),
                    fields: vec![$(
                        crate::sys::FieldDecl {
                            name: stringify!($f),
                            ty: stringify!($t),
                            offset: {
                                let u = core::mem::MaybeUninit::<$name>::uninit();
                                let base = u.as_ptr();
                                // SAFETY: addr_of! computes a field address without
                                // reading or referencing the uninitialised value.
                                let f = unsafe { core::ptr::addr_of!((*base).$f) };
                                f as usize - base as usize
                            },
                            size: core::mem::size_of::<$t>(),
                        },
                    )*],
                },
            )*]
        }
    };
}

/// Opaque C types (`typedef struct x x_t;` and forward-declared structs): never built
/// or read in Rust, only pointed at. Recorded in `$table` by name.
macro_rules! c_opaque {
    ($table:ident; $( $(#[$m:meta])* $name:ident; )*) => {
        $(
            $(#[$m])*
            #[repr(C)]
            #[allow(missing_debug_implementations)]
            pub struct $name {
                _private: [u8; 0],
                // neither Send, Sync nor Unpin: only the safe wrappers decide that
                _marker: core::marker::PhantomData<(*mut u8, core::marker::PhantomPinned)>,
            }
        )*
        #[doc(hidden)]
        pub const $table: &[&str] = &[$(stringify!($name)),*];
    };
}

/// Type aliases (function-pointer typedefs, enum types), recorded as (name, type).
macro_rules! c_types {
    ($table:ident; $( $(#[$m:meta])* pub type $name:ident = $t:ty; )*) => {
        $( $(#[$m])* pub type $name = $t; )*
        #[doc(hidden)]
        pub const $table: &[(&str, &str)] = &[$((stringify!($name), stringify!($t))),*];
    };
}

/// Integer constants (the headers' macros and enumerators), recorded with their value.
macro_rules! c_constants {
    ($table:ident; $( $(#[$m:meta])* pub const $name:ident: $t:ty = $v:expr; )*) => {
        $( $(#[$m])* pub const $name: $t = $v; )*
        #[doc(hidden)]
        pub const $table: &[(&str, i128)] = &[$((stringify!($name), $name as i128)),*];
    };
}
