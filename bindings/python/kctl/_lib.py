"""Loading libkctl, libkctl-sim and libkctl-kpi, and the C prototypes of every function used.

Where a library is looked for, in order:

1. the environment variable (``KCTL_LIBRARY_PATH`` for libkctl,
   ``KCTL_SIM_LIBRARY_PATH`` for libkctl-sim, ``KCTL_KPI_LIBRARY_PATH`` for
   libkctl-kpi): a path to the shared object. An override: nothing needs it;
2. the library folder recorded when the package was installed (``kctl/_paths.py``,
   written by the build backend from ``pkg-config --variable=libdir libkctl``);
3. :func:`ctypes.util.find_library` (``kctl``, ``kctl-sim``, ``kctl-kpi``);
4. the usual file names (``libkctl.so.0``, ``libkctl.dylib``, ...) through the
   dynamic loader's own search path;
5. the same names in the folders ``meson install`` and Homebrew use by default
   (``/usr/local/lib``, its multiarch folder, ``/opt/homebrew/lib``), which the loader
   may not search.

Every function gets its ``argtypes`` and ``restype`` here, so that no call relies on
ctypes' implicit ``int`` conversions (pointers and 64-bit sizes would be cut).
The loaded libraries are the only module-level state of the package.
"""

import ctypes
import ctypes.util
import os
import sys
import sysconfig

from . import _types as T

__all__ = ["load_core", "load_sim", "load_kpi", "installed_libdirs"]

_c = ctypes
_int, _u8, _u16, _u32, _i32, _u64 = (_c.c_int, _c.c_uint8, _c.c_uint16, _c.c_uint32,
                                     _c.c_int32, _c.c_uint64)
_size, _vp, _cp = _c.c_size_t, _c.c_void_p, _c.c_char_p
_P = _c.POINTER

# name: (restype, argtypes). kctl_t*, kctl_backend_t* and other opaque pointers are
# c_void_p: the binding never looks inside them.
CORE_PROTOTYPES = {
    "kctl_backend_native": (_vp, []),
    "kctl_name_check": (_int, [_cp]),
    "kctl_lookup": (_int, [_vp, _cp, _P(_u32)]),
    "kctl_count": (_int, [_vp, _P(_u32)]),
    "kctl_open_name": (_int, [_vp, _cp, _u32, _u32, _P(_vp)]),
    "kctl_open_id": (_int, [_vp, _u32, _u32, _u32, _P(_vp)]),
    "kctl_connect": (_int, [_vp]),
    "kctl_close": (_int, [_vp]),
    "kctl_fd": (_int, [_vp]),
    "kctl_id": (_u32, [_vp]),
    "kctl_unit": (_u32, [_vp]),
    "kctl_is_stream": (_int, [_vp]),
    "kctl_set_timeout": (_int, [_vp, _i32]),
    "kctl_timeout": (_i32, [_vp]),
    "kctl_send": (_int, [_vp, _vp, _size, _P(_size)]),
    "kctl_recv": (_int, [_vp, _vp, _size, _P(_size), _P(_u32)]),
    "kctl_setopt": (_int, [_vp, _u32, _vp, _size]),
    "kctl_getopt": (_int, [_vp, _u32, _vp, _size, _P(_size)]),
    "kctl_getopt_size": (_int, [_vp, _u32, _P(_size)]),
    "kctl_set_u32": (_int, [_vp, _u32, _u32]),
    "kctl_get_u32": (_int, [_vp, _u32, _P(_u32)]),
    "kctl_set_u64": (_int, [_vp, _u32, _u64]),
    "kctl_get_u64": (_int, [_vp, _u32, _P(_u64)]),
    "kctl_set_str": (_int, [_vp, _u32, _cp]),
    "kctl_get_str": (_int, [_vp, _u32, _vp, _size]),
    "kctl_msg_set_max_frame": (_int, [_vp, _u32]),
    "kctl_msg_max_frame": (_u32, [_vp]),
    "kctl_msg_send": (_int, [_vp, _u8, _u16, _u32, _u32, _vp, _size]),
    "kctl_msg_recv": (_int, [_vp, _vp, _size, _P(_size)]),
    "kctl_msg_ready": (_int, [_vp]),
    "kctl_request": (_int, [_vp, _u16, _vp, _size, _vp, _size, _P(_size)]),
    "kctl_msg_stats": (_int, [_vp, _P(T.MsgStats)]),
    "kctl_msg_detail": (_cp, [_vp]),
    "kctl_strerror": (_cp, [_int]),
    "kctl_version": (_cp, []),
    # errors: what happened, and who said so
    "kctl_open_name_ex": (_int, [_vp, _cp, _u32, _u32, _P(_vp), _P(T.ErrorRec)]),
    "kctl_open_id_ex": (_int, [_vp, _u32, _u32, _u32, _P(_vp), _P(T.ErrorRec)]),
    "kctl_lookup_ex": (_int, [_vp, _cp, _P(_u32), _P(T.ErrorRec)]),
    "kctl_last_error": (_int, [_vp, _u32, _P(T.ErrorRec)]),
    "kctl_error_str": (_int, [_P(T.ErrorRec), _vp, _size]),
    "kctl_explain": (_int, [_vp, _u32, _int, _vp, _size]),
    "kctl_errno_name": (_cp, [_int]),
    # non-blocking requests and event loops
    "kctl_request_start": (_int, [_vp, _u16, _vp, _size, _i32, _P(_u32)]),
    "kctl_request_cancel": (_int, [_vp, _u32]),
    "kctl_msg_recv_info": (_int, [_vp, _vp, _size, _P(_size), _P(T.MsgInfo)]),
    "kctl_msg_pending": (_int, [_vp]),
    "kctl_msg_wait_ms": (_i32, [_vp]),
    "kctl_msg_counter": (_int, [_vp, _u32, _P(_u64)]),
    # the call tracer
    "kctl_trace_new": (_int, [_vp, T.TRACE_FN, _vp, _u32, _P(_vp)]),
    "kctl_trace_new_fd": (_int, [_vp, _int, _u32, _P(_vp)]),
    "kctl_trace_backend": (_vp, [_vp]),
    "kctl_trace_free": (None, [_vp]),
    # listing the registered controls
    "kctl_list": (_int, [_vp, _P(T.CtlDesc), _u32, _P(_u32)]),
    "kctl_list_each": (_int, [_vp, T.LIST_FN, _vp]),
    # utun
    "kctl_utun_open": (_int, [_vp, _u32, _u32, _P(_vp)]),
    "kctl_utun_open_range": (_int, [_vp, _u32, _u32, _u32, _P(_vp)]),
    "kctl_utun_ifname": (_int, [_vp, _vp, _size]),
    "kctl_utun_set_max_pending": (_int, [_vp, _u32]),
    "kctl_utun_write": (_int, [_vp, _u32, _vp, _size]),
    "kctl_utun_writev": (_int, [_vp, _u32, _P(T.IoVec), _int]),
    "kctl_utun_read": (_int, [_vp, _vp, _size, _P(_size), _P(_u32)]),
    # the frame codec (kctl_frame.h)
    "kctl_frame_next": (_int, [_vp, _size, _u32, _P(_vp), _P(_size)]),
    "kctl_frame_check_record": (_int, [_vp, _size, _u32, _P(_size)]),
    "kctl_frame_start": (_int, [_vp, _size, _u8, _u16, _u32, _u32]),
    "kctl_frame_put": (_int, [_vp, _size, _vp, _size]),
    "kctl_frame_finish": (_int, [_vp, _size, _P(_size)]),
    "kctl_frame_put_error": (_int, [_vp, _size, _u16, _u32, _int, _P(_size)]),
    "kctl_msg_sendv": (_int, [_vp, _P(T.IoVec), _int, _P(_size)]),
    # attributes (kctl_frame.h)
    "kctl_attr_put": (_int, [_vp, _size, _u16, _vp, _size]),
    "kctl_attr_put_u8": (_int, [_vp, _size, _u16, _u8]),
    "kctl_attr_put_u16": (_int, [_vp, _size, _u16, _u16]),
    "kctl_attr_put_u32": (_int, [_vp, _size, _u16, _u32]),
    "kctl_attr_put_u64": (_int, [_vp, _size, _u16, _u64]),
    "kctl_attr_put_str": (_int, [_vp, _size, _u16, _cp]),
    "kctl_attr_nest_start": (_int, [_vp, _size, _u16, _P(_size)]),
    "kctl_attr_nest_end": (_int, [_vp, _size, _size]),
    "kctl_attr_nest_cancel": (_int, [_vp, _size, _size]),
    "kctl_attr_next": (_int, [_vp, _size, _P(_size), _P(_vp)]),
    "kctl_attr_find": (_int, [_vp, _size, _u16, _P(_vp)]),
    "kctl_attr_type": (_u16, [_vp]),
    "kctl_attr_payload": (_vp, [_vp]),
    "kctl_attr_payload_len": (_size, [_vp]),
    "kctl_attr_get_u8": (_int, [_vp, _P(_u8)]),
    "kctl_attr_get_u16": (_int, [_vp, _P(_u16)]),
    "kctl_attr_get_u32": (_int, [_vp, _P(_u32)]),
    "kctl_attr_get_u64": (_int, [_vp, _P(_u64)]),
    "kctl_attr_get_str": (_int, [_vp, _P(_cp)]),
}

SIM_PROTOTYPES = {
    "kctl_sim_new": (_int, [_P(_vp)]),
    "kctl_sim_free": (None, [_vp]),
    "kctl_sim_backend": (_vp, [_vp]),
    "kctl_sim_set_euid": (None, [_vp, _u32]),
    "kctl_sim_set_mbuf_segment": (_int, [_vp, _size]),
    "kctl_sim_fail_next": (_int, [_vp, _int, _int]),
    "kctl_sim_call_count": (_u64, [_vp, _int]),
    "kctl_sim_register": (_int, [_vp, _P(T.SimReg), _P(_vp)]),
    "kctl_sim_deregister": (_int, [_vp]),
    "kctl_sim_ctl_id": (_u32, [_vp]),
    "kctl_sim_enqueue": (_int, [_vp, _u32, _vp, _size, _u32]),
    "kctl_sim_enqueue_space": (_int, [_vp, _u32, _P(_size)]),
    "kctl_sim_enqueue_readable": (_int, [_vp, _u32, _P(_size)]),
    "kctl_sim_enqueue_packets": (_int, [_vp, _u32, _P(_size)]),
    "kctl_sim_mbuf_free": (None, [_vp]),
    "kctl_sim_mbuf_pkthdr_len": (_size, [_vp]),
    "kctl_sim_mbuf_copydata": (_int, [_vp, _size, _size, _vp]),
    # a kernel like a Mac: utun and its network side, the registration list
    "kctl_sim_new_mac": (_int, [_P(_vp)]),
    "kctl_sim_utun_register": (_int, [_vp, _P(_vp)]),
    "kctl_sim_utun_inject": (_int, [_vp, _cp, _u32, _vp, _size]),
    "kctl_sim_utun_take": (_int, [_vp, _cp, _vp, _size, _P(_size), _P(_u32), _i32]),
    "kctl_sim_utun_list": (_int, [_vp, _P(T.SimUtunIf), _u32, _P(_u32)]),
    "kctl_sim_utun_info": (_int, [_vp, _cp, _P(T.SimUtunIf)]),
    "kctl_sim_sysctl": (_int, [_vp, _cp, _vp, _P(_size), _vp, _size]),
}

KPI_PROTOTYPES = {
    "kctl_kpi_load_module": (_int, [_vp, _cp, _P(_vp)]),
    "kctl_kpi_unload": (_int, [_vp]),
    "kctl_kpi_kext_name": (_cp, [_vp]),
    "kctl_kpi_set_log": (None, [T.KPI_LOG_FN, _vp]),
    "kctl_kpi_last_error": (_cp, []),
}

_DEFAULT_NAMES = {
    "kctl": ("libkctl.so.0", "libkctl.so", "libkctl.0.dylib", "libkctl.dylib"),
    "kctl-sim": ("libkctl-sim.so.0", "libkctl-sim.so", "libkctl-sim.0.dylib",
                 "libkctl-sim.dylib"),
    "kctl-kpi": ("libkctl-kpi.so.0", "libkctl-kpi.so"),
}


def installed_libdirs():
    """The library folders recorded at install time (kctl/_paths.py), else []."""
    try:
        from . import _paths
    except ImportError:  # running from the source tree: nothing was recorded
        return []
    return [d for d in getattr(_paths, "LIBDIRS", ()) if d]


def _default_dirs():
    """Where `meson install` and Homebrew put libraries by default."""
    dirs = ["/usr/local/lib", "/usr/local/lib64", "/opt/homebrew/lib",
            os.path.join(sys.prefix, "lib")]
    multiarch = sysconfig.get_config_var("MULTIARCH")
    if multiarch:
        dirs.insert(1, os.path.join("/usr/local/lib", multiarch))
    return dirs


def _candidates(stem):
    """Paths and names to try for lib<stem>, in the order of the module docstring."""
    names = _DEFAULT_NAMES[stem]
    out = [os.path.join(d, n) for d in installed_libdirs() for n in names]
    found = ctypes.util.find_library(stem)
    out += ([found] if found else []) + list(names)
    out += [os.path.join(d, n) for d in _default_dirs() for n in names]
    return out


def _open(stem, env_var):
    """Opens one library as the module docstring says, or raises ImportError."""
    tried = []
    path = os.environ.get(env_var)
    candidates = [path] if path else _candidates(stem)
    for cand in candidates:
        if os.path.isabs(cand) and not os.path.exists(cand) and not path:
            continue  # a default folder that does not have it
        try:
            return ctypes.CDLL(cand)
        except OSError as exc:
            tried.append(f"{cand}: {exc}")
    hint = (f"install libkctl (meson install), or set {env_var} to the path of "
            f"lib{stem}.so (for example build/lib/lib{stem}.so.0 of a build tree)")
    raise ImportError(f"cannot load lib{stem}: {'; '.join(tried) or 'not found'}; {hint}")


def _declare(lib, prototypes, stem):
    """Sets restype/argtypes of every function; a missing symbol is an ImportError."""
    for name, (restype, argtypes) in prototypes.items():
        try:
            fn = getattr(lib, name)
        except AttributeError:
            raise ImportError(f"lib{stem} has no {name}: it is older than this "
                              "binding") from None
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


def load_core():
    """Loads libkctl and declares its prototypes. Raises ImportError if it cannot."""
    return _declare(_open("kctl", "KCTL_LIBRARY_PATH"), CORE_PROTOTYPES, "kctl")


def load_sim():
    """Loads libkctl-sim and declares its prototypes. Raises ImportError if it cannot."""
    return _declare(_open("kctl-sim", "KCTL_SIM_LIBRARY_PATH"), SIM_PROTOTYPES,
                    "kctl-sim")


def load_kpi():
    """Loads libkctl-kpi (after libkctl-sim, which it needs) and declares its prototypes.
    Raises ImportError if it cannot (it is not built on macOS)."""
    load_sim()
    return _declare(_open("kctl-kpi", "KCTL_KPI_LIBRARY_PATH"), KPI_PROTOTYPES, "kctl-kpi")


core = load_core()
