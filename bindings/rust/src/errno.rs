//! The errno values libkctl returns (negated), for the platforms libkctl runs on.
//!
//! std has no errno constants and this crate depends on nothing else, so the values are
//! spelt out here. The drift test checks the host's against `<errno.h>`; the macOS
//! values were copied from the published xnu `bsd/sys/errno.h` (not checked on a Mac:
//! none is available to this project).

macro_rules! errnos {
    ($( $name:ident = $linux:expr, $macos:expr; )*) => {
        $(
            #[cfg(not(any(target_os = "macos", target_os = "ios")))]
            #[allow(missing_docs)]
            pub const $name: i32 = $linux;
            #[cfg(any(target_os = "macos", target_os = "ios"))]
            #[allow(missing_docs)]
            pub const $name: i32 = $macos;
        )*
        /// Every errno above by name, for the drift test and [`name`].
        #[doc(hidden)]
        pub const ALL: &[(&str, i32)] = &[$((stringify!($name), $name)),*];
    };
}

//      name               Linux  macOS
errnos! {
    EPERM = 1, 1;
    ENOENT = 2, 2;
    EINTR = 4, 4;
    EIO = 5, 5;
    ENXIO = 6, 6;
    ENOEXEC = 8, 8;
    EBADF = 9, 9;
    EAGAIN = 11, 35;
    ENOMEM = 12, 12;
    EACCES = 13, 13;
    EBUSY = 16, 16;
    EEXIST = 17, 17;
    EINVAL = 22, 22;
    ENOSPC = 28, 28;
    EPIPE = 32, 32;
    ERANGE = 34, 34;
    ENOSYS = 38, 78;
    ENOTEMPTY = 39, 66;
    ENODATA = 61, 96;
    EPROTO = 71, 100;
    EBADMSG = 74, 94;
    EOVERFLOW = 75, 84;
    EILSEQ = 84, 92;
    EMSGSIZE = 90, 40;
    EPROTOTYPE = 91, 41;
    ENOPROTOOPT = 92, 42;
    EPROTONOSUPPORT = 93, 43;
    ENOTSUP = 95, 45;
    EPFNOSUPPORT = 96, 46;
    EAFNOSUPPORT = 97, 47;
    ECONNABORTED = 103, 53;
    ECONNRESET = 104, 54;
    ENOBUFS = 105, 55;
    EISCONN = 106, 56;
    ENOTCONN = 107, 57;
    ETIMEDOUT = 110, 60;
    ECONNREFUSED = 111, 61;
    ECANCELED = 125, 89;
    ENOTRECOVERABLE = 131, 104;
}

/// The symbolic name of an errno listed here ("EINVAL" for EINVAL or -EINVAL).
pub fn name(errno: i32) -> Option<&'static str> {
    let e = errno.checked_abs()?;
    ALL.iter().find(|(_, v)| *v == e).map(|(n, _)| *n)
}
