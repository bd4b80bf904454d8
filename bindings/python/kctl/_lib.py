"""Loading libkctl and libkctl-sim, and the C prototypes of every function used.

Where a library is looked for, in order:

1. the environment variable (``KCTL_LIBRARY_PATH`` for libkctl,
   ``KCTL_SIM_LIBRARY_PATH`` for libkctl-sim): a path to the shared object;
2. :func:`ctypes.util.find_library` (``kctl``, ``kctl-sim``);
3. the usual file names (``libkctl.so.0``, ``libkctl.dylib``, ...) through the
   dynamic loader's own search path.

Every function gets its ``argtypes`` and ``restype`` here, so that no call relies on
ctypes' implicit ``int`` conversions (pointers and 64-bit sizes would be cut).
The two loaded libraries are the only module-level state of the package.
"""

import ctypes
import ctypes.util
import os

from . import _types as T

__all__ = ["load_core", "load_sim"]

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
    # the frame codec (kctl_frame.h)
    "kctl_frame_next": (_int, [_vp, _size, _u32, _P(_vp), _P(_size)]),
    "kctl_frame_check_record": (_int, [_vp, _size, _u32, _P(_size)]),
    "kctl_frame_start": (_int, [_vp, _size, _u8, _u16, _u32, _u32]),
    "kctl_frame_put": (_int, [_vp, _size, _vp, _size]),
    "kctl_frame_finish": (_int, [_vp, _size, _P(_size)]),
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
}

_DEFAULT_NAMES = {
    "kctl": ("libkctl.so.0", "libkctl.so", "libkctl.0.dylib", "libkctl.dylib"),
    "kctl-sim": ("libkctl-sim.so.0", "libkctl-sim.so", "libkctl-sim.0.dylib",
                 "libkctl-sim.dylib"),
}


def _open(stem, env_var):
    """Opens one library as the module docstring says, or raises ImportError."""
    tried = []
    path = os.environ.get(env_var)
    if path:
        candidates = [path]
    else:
        found = ctypes.util.find_library(stem)
        candidates = ([found] if found else []) + list(_DEFAULT_NAMES[stem])
    for cand in candidates:
        try:
            return ctypes.CDLL(cand)
        except OSError as exc:
            tried.append(f"{cand}: {exc}")
    hint = (f"set {env_var} to the path of lib{stem}.so (for example "
            f"build/lib/lib{stem}.so.0 after 'meson setup build && ninja -C build')")
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


core = load_core()
