"""The binding follows the C headers: every constant it spells out has the header's
value, and every function of the headers is declared with its prototype or named here
as left out on purpose, with the reason."""

import os
import re
import unittest

from kctl import _lib, constants
from test_sim import INCLUDE, probe_output

HEADERS = ("kctl.h", "kctl_frame.h", "kctl_sim.h", "kctl_kpi.h")

# Functions of the headers the Python binding does not declare, and why.
NOT_BOUND = {
    "kctl_frame_error": "Frame reads its header through a ctypes mirror",
    "kctl_frame_payload": "Frame copies its payload out of the aligned buffer",
    "kctl_frame_payload_len": "Frame copies its payload out of the aligned buffer",
    "kctl_frame_reserve": "Builder appends with kctl_frame_put, bytes in hand",
    "kctl_kpi_load": "takes a struct kmod_info* only C kext code has: load_module",
    "kctl_sim_ctl_cookie": "a SimControl keeps its Python callbacks itself",
    "kctl_sim_ctl_sim": "a SimControl knows its Kernel",
    "kctl_sim_ctl_set_send_list": "mbuf lists stay in the simulator",
    "kctl_sim_enqueue_mbuf": "mbufs stay in the simulator: enqueue takes bytes",
    "kctl_sim_mbuf_alloc": "mbufs stay in the simulator: callbacks get bytes",
    "kctl_sim_mbuf_data": "mbufs stay in the simulator: callbacks get bytes",
    "kctl_sim_mbuf_len": "mbufs stay in the simulator: callbacks get bytes",
    "kctl_sim_mbuf_next": "mbufs stay in the simulator: callbacks get bytes",
    "kctl_sim_mbuf_nextpkt": "mbuf lists stay in the simulator",
    "kctl_sim_sendmsg_x": "the simulator's raw syscall surface: reached through Control",
    "kctl_sim_move_fds": "for embedders of the simulator (libkctl-preload)",
    **{f"kctl_sim_{c}": "the simulator's raw syscall surface: reached through Control"
       for c in ("socket", "ioctl", "bind", "connect", "getpeername", "sendmsg", "recvmsg",
                 "getsockopt", "setsockopt", "close")},
}


def header_functions():
    names = set()
    for h in HEADERS:
        with open(os.path.join(INCLUDE, h)) as f:
            names |= set(re.findall(r"KCTL_API[^;{]*?\b(kctl_\w+)\s*\(", f.read()))
    return names


class TestHeaders(unittest.TestCase):

    def test_every_constant_has_the_headers_value(self):
        c_values = {}
        for line in probe_output().splitlines():
            if line.startswith("const "):
                _, name, value = line.split()
                c_values[name] = int(value)
        mine = {n: v for n, v in vars(constants).items()
                if n.isupper() and isinstance(v, int)}
        self.assertEqual(set(mine) - set(c_values), set(),
                         "constants the probe does not print: add them to layout_probe.c")
        for name, value in mine.items():
            self.assertEqual(value, c_values[name], name)
        self.assertGreaterEqual(len(mine), 85)
        self.assertEqual(constants.KCTL_UTUN_CONTROL_NAME, "com.apple.net.utun_control")

    def test_every_function_of_the_headers_is_declared_or_left_out_with_a_reason(self):
        declared = set(_lib.CORE_PROTOTYPES) | set(_lib.SIM_PROTOTYPES) | set(_lib.KPI_PROTOTYPES)
        in_headers = header_functions()
        self.assertEqual(in_headers - declared - set(NOT_BOUND), set(),
                         "functions of the headers the binding has not declared")
        self.assertEqual(declared - in_headers, set(), "declared, not in the headers")
        self.assertEqual(set(NOT_BOUND) - in_headers, set(), "left out, not in the headers")
        self.assertEqual(set(NOT_BOUND) & declared, set(), "left out, yet declared")
        self.assertGreaterEqual(len(in_headers), 142)


if __name__ == "__main__":
    unittest.main()
