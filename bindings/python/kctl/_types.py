"""ctypes mirrors of the C structures and callback types the binding passes.

Each mirrors its header exactly (field order, types, hence padding and size); the
tests compare them with what a C compiler computes from the headers.
"""

import ctypes

from .constants import KCTL_ABI_MAX_NAME, KCTL_NAME_MAX, KCTL_SIM_IFNAMSIZ

__all__ = ["SockaddrCtl", "MsgStats", "FrameHdr", "AttrHdr", "IoVec", "ErrorRec", "MsgInfo",
           "CtlDesc", "SimUtunIf", "SimReg", "KPI_LOG_FN", "LIST_FN", "TRACE_FN", "CONNECT_FN",
           "DISCONNECT_FN", "SEND_FN", "SETOPT_FN", "GETOPT_FN", "RCVD_FN", "BIND_FN",
           "SETUP_FN"]

_c = ctypes


class SockaddrCtl(_c.Structure):
    """struct kctl_abi_sockaddr_ctl (kctl_abi.h): 32 bytes."""
    _fields_ = [
        ("sc_len", _c.c_uint8),
        ("sc_family", _c.c_uint8),
        ("ss_sysaddr", _c.c_uint16),
        ("sc_id", _c.c_uint32),
        ("sc_unit", _c.c_uint32),
        ("sc_reserved", _c.c_uint32 * 5),
    ]


class MsgStats(_c.Structure):
    """struct kctl_msg_stats (kctl.h): seven 64-bit counters."""
    _fields_ = [
        ("frames_in", _c.c_uint64),
        ("frames_out", _c.c_uint64),
        ("recv_calls", _c.c_uint64),
        ("kernel_drops", _c.c_uint64),
        ("backlog_drops", _c.c_uint64),
        ("unmatched_replies", _c.c_uint64),
        ("bad_records", _c.c_uint64),
    ]


class FrameHdr(_c.Structure):
    """struct kctl_frame_hdr (kctl_frame.h): 16 bytes, host byte order."""
    _fields_ = [
        ("len", _c.c_uint32),
        ("version", _c.c_uint8),
        ("flags", _c.c_uint8),
        ("type", _c.c_uint16),
        ("seq", _c.c_uint32),
        ("aux", _c.c_uint32),
    ]


class AttrHdr(_c.Structure):
    """struct kctl_attr (kctl_frame.h): 4 bytes; the value follows."""
    _fields_ = [
        ("len", _c.c_uint16),
        ("type", _c.c_uint16),
    ]


class IoVec(_c.Structure):
    """struct iovec (sys/uio.h), as kctl_msg_sendv takes it."""
    _fields_ = [
        ("iov_base", _c.c_void_p),
        ("iov_len", _c.c_size_t),
    ]


class ErrorRec(_c.Structure):
    """struct kctl_error (kctl.h): what libkctl knows about one failure, 32 bytes."""
    _fields_ = [
        ("err", _c.c_int32),
        ("call", _c.c_uint32),
        ("origin", _c.c_uint32),
        ("reason", _c.c_uint32),
        ("arg", _c.c_uint64),
        ("limit", _c.c_uint64),
    ]


class MsgInfo(_c.Structure):
    """struct kctl_msg_info (kctl.h): what a received frame is, 24 bytes."""
    _fields_ = [
        ("kind", _c.c_uint32),
        ("seq", _c.c_uint32),
        ("last", _c.c_uint32),
        ("err", _c.c_int32),
        ("origin", _c.c_uint32),
        ("reserved", _c.c_uint32),
    ]


class CtlDesc(_c.Structure):
    """struct kctl_ctl_desc (kctl.h): one registered control of kctl_list()."""
    _fields_ = [
        ("id", _c.c_uint32),
        ("flags", _c.c_uint32),
        ("reg_unit", _c.c_uint32),
        ("units_in_use", _c.c_uint32),
        ("sendsize", _c.c_uint32),
        ("recvsize", _c.c_uint32),
        ("name", _c.c_char * KCTL_NAME_MAX),
    ]


class SimUtunIf(_c.Structure):
    """struct kctl_sim_utun_if (kctl_sim.h): a simulated utun interface."""
    _fields_ = [
        ("name", _c.c_char * KCTL_SIM_IFNAMSIZ),
        ("unit", _c.c_uint32),
        ("flags", _c.c_uint32),
        ("max_pending", _c.c_uint32),
        ("queued", _c.c_uint32),
        ("untaken", _c.c_uint32),
        ("reserved", _c.c_uint32),
        ("ipackets", _c.c_uint64),
        ("ibytes", _c.c_uint64),
        ("ierrors", _c.c_uint64),
        ("opackets", _c.c_uint64),
        ("obytes", _c.c_uint64),
        ("oerrors", _c.c_uint64),
        ("in_dropped", _c.c_uint64),
    ]


# kctl_kpi_log_fn (kctl_kpi.h): where a kext's printf lines go.
KPI_LOG_FN = _c.CFUNCTYPE(None, _c.c_void_p, _c.c_char_p)

# kctl_list_fn (kctl.h): called once per control by kctl_list_each().
LIST_FN = _c.CFUNCTYPE(_c.c_int, _c.POINTER(CtlDesc), _c.c_void_p)

# kctl_trace_fn (kctl.h): receives one line of trace.
TRACE_FN = _c.CFUNCTYPE(None, _c.c_void_p, _c.c_char_p)


# Callbacks of struct kctl_sim_reg. Opaque pointers (kctl_sim_ctl_t*, unitinfo,
# kctl_sim_mbuf_t*, option data) are c_void_p: Python receives an int or None.
CONNECT_FN = _c.CFUNCTYPE(_c.c_int, _c.c_void_p, _c.POINTER(SockaddrCtl),
                          _c.POINTER(_c.c_void_p))
DISCONNECT_FN = _c.CFUNCTYPE(_c.c_int, _c.c_void_p, _c.c_uint32, _c.c_void_p)
SEND_FN = _c.CFUNCTYPE(_c.c_int, _c.c_void_p, _c.c_uint32, _c.c_void_p, _c.c_void_p,
                       _c.c_int)
SETOPT_FN = _c.CFUNCTYPE(_c.c_int, _c.c_void_p, _c.c_uint32, _c.c_void_p, _c.c_int,
                         _c.c_void_p, _c.c_size_t)
GETOPT_FN = _c.CFUNCTYPE(_c.c_int, _c.c_void_p, _c.c_uint32, _c.c_void_p, _c.c_int,
                         _c.c_void_p, _c.POINTER(_c.c_size_t))
RCVD_FN = _c.CFUNCTYPE(None, _c.c_void_p, _c.c_uint32, _c.c_void_p, _c.c_int)
BIND_FN = CONNECT_FN
SETUP_FN = _c.CFUNCTYPE(_c.c_int, _c.c_void_p, _c.POINTER(_c.c_uint32),
                        _c.POINTER(_c.c_void_p))


class SimReg(_c.Structure):
    """struct kctl_sim_reg (kctl_sim.h): the registration of a simulated control."""
    _fields_ = [
        ("name", _c.c_char * KCTL_ABI_MAX_NAME),
        ("id", _c.c_uint32),
        ("unit", _c.c_uint32),
        ("flags", _c.c_uint32),
        ("sendsize", _c.c_uint32),
        ("recvsize", _c.c_uint32),
        ("cookie", _c.c_void_p),
        ("connect", CONNECT_FN),
        ("disconnect", DISCONNECT_FN),
        ("send", SEND_FN),
        ("setopt", SETOPT_FN),
        ("getopt", GETOPT_FN),
        ("rcvd", RCVD_FN),
        ("bind", BIND_FN),
        ("setup", SETUP_FN),
    ]
