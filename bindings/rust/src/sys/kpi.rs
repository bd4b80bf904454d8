//! `include/kctl_kpi.h`: loading kext code into the simulated kernel (link with the
//! `kpi` feature).

use super::{c_char, c_int, c_void, kctl_sim_t};

c_opaque! { KPI_OPAQUE;
    /// `kctl_kpi_kext_t`: a loaded kext.
    kctl_kpi_kext_t;
    /// `struct kmod_info`: a kext's description (only pointed at here).
    kmod_info;
}

c_types! { KPI_TYPES;
    /// `kctl_kpi_log_fn`: where the kext's printf lines go.
    pub type kctl_kpi_log_fn = Option<unsafe extern "C" fn(*mut c_void, *const c_char)>;
}

c_functions! { KPI_FUNCTIONS;
    pub fn kctl_kpi_load(sim: *mut kctl_sim_t, ki: *mut kmod_info, out: *mut *mut kctl_kpi_kext_t)
                         -> c_int;
    pub fn kctl_kpi_load_module(sim: *mut kctl_sim_t, path: *const c_char,
                                out: *mut *mut kctl_kpi_kext_t) -> c_int;
    pub fn kctl_kpi_unload(k: *mut kctl_kpi_kext_t) -> c_int;
    pub fn kctl_kpi_kext_name(k: *const kctl_kpi_kext_t) -> *const c_char;
    pub fn kctl_kpi_last_error() -> *const c_char;
    pub fn kctl_kpi_set_log(fn_: kctl_kpi_log_fn, ctx: *mut c_void);
}
