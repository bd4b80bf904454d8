"""The simulated kernel from Python: struct layouts, registration, enqueue, mbufs,
threads, lifetime."""

import ctypes
import errno
import os
import re
import shutil
import subprocess
import tempfile
import threading
import unittest

import kctl
from kctl import _types as T
from kctl.sim import Kernel
from support import ECHO, EchoKext, KernelTest

HERE = os.path.dirname(os.path.abspath(__file__))
INCLUDE = os.environ.get("KCTL_INCLUDE_DIR") or os.path.join(HERE, "..", "..", "..",
                                                              "include")
MIRRORS = {"kctl_sim_reg": T.SimReg, "kctl_abi_sockaddr_ctl": T.SockaddrCtl,
           "kctl_frame_hdr": T.FrameHdr, "kctl_msg_stats": T.MsgStats,
           "kctl_attr": T.AttrHdr, "iovec": T.IoVec, "kctl_error": T.ErrorRec,
           "kctl_msg_info": T.MsgInfo, "kctl_ctl_desc": T.CtlDesc,
           "kctl_sim_utun_if": T.SimUtunIf}


def run_probe(exe):
    """Runs the probe without an LD_PRELOAD meant for Python (a sanitizer runtime
    preloaded into a sanitized executable makes it abort)."""
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    return subprocess.run([exe], check=True, capture_output=True, text=True,
                          env=env).stdout


def probe_output():
    """What layout_probe.c prints: from KCTL_LAYOUT_PROBE (built by meson), else
    compiled here with the C compiler ($CC, cc, gcc or clang)."""
    exe = os.environ.get("KCTL_LAYOUT_PROBE")
    if exe:
        return run_probe(exe)
    cc = next((c for c in (os.environ.get("CC"), "cc", "gcc", "clang")
               if c and shutil.which(c.split()[0])), None)
    if cc is None:
        raise AssertionError("no layout probe: set KCTL_LAYOUT_PROBE or install a C compiler")
    with tempfile.TemporaryDirectory() as tmp:
        exe = os.path.join(tmp, "probe")
        subprocess.run(cc.split() + ["-std=c11", "-I", INCLUDE, "-o", exe,
                                     os.path.join(HERE, "layout_probe.c")], check=True)
        return run_probe(exe)


def header_layout(struct_name, header, defines_from):
    """Field offsets and size of a struct computed from the header's text with the C
    rules (natural alignment; pointers and function pointers are pointer-sized)."""
    with open(defines_from) as f:
        defines = dict(re.findall(r"#define\s+(\w+)\s+(\d+)\b", f.read()))
    with open(header) as f:
        text = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
    body = re.search(r"struct %s \{(.*?)\n\};" % struct_name, text, re.S).group(1)
    ptr = ctypes.sizeof(ctypes.c_void_p)
    scalars = {"char": 1, "uint8_t": 1, "uint16_t": 2, "uint32_t": 4, "uint64_t": 8}
    offsets, off, align_max = {}, 0, 1
    for decl in filter(None, (" ".join(d.split()) for d in body.split(";"))):
        fn = re.match(r"\w+ \(\*(\w+)\)", decl)
        if fn:
            name, size, align = fn.group(1), ptr, ptr
        elif "*" in decl:
            name, size, align = decl.split("*")[-1].strip(), ptr, ptr
        else:
            m = re.match(r"(\w+) (\w+)(?:\[(\w+)\])?$", decl)
            ctype, name, count = m.groups()
            align = scalars[ctype]
            size = align * int(defines.get(count, count) if count else 1)
        off = (off + align - 1) // align * align
        offsets[name] = off
        off += size
        align_max = max(align_max, align)
    return offsets, (off + align_max - 1) // align_max * align_max


class TestLayout(unittest.TestCase):

    def test_ctypes_mirrors_match_the_c_compiler(self):
        seen = 0
        for line in probe_output().splitlines():
            if line.startswith("const "):
                continue  # test_api.py compares those
            key, value = line.split()
            struct_name, _, field = key.partition(".")
            mirror = MIRRORS[struct_name]
            got = getattr(mirror, field).offset if field else ctypes.sizeof(mirror)
            self.assertEqual(got, int(value), key)
            seen += 1
        self.assertGreaterEqual(seen, 64)
        self.assertEqual(ctypes.sizeof(T.SockaddrCtl), 32)
        self.assertEqual((ctypes.sizeof(T.ErrorRec), ctypes.sizeof(T.MsgInfo)), (32, 24))

    def test_sim_reg_mirror_matches_the_header(self):
        offsets, size = header_layout("kctl_sim_reg", os.path.join(INCLUDE, "kctl_sim.h"),
                                      os.path.join(INCLUDE, "kctl_abi.h"))
        self.assertEqual(list(offsets), [f[0] for f in T.SimReg._fields_])
        for name, off in offsets.items():
            self.assertEqual(getattr(T.SimReg, name).offset, off, name)
        self.assertEqual(ctypes.sizeof(T.SimReg), size)
        if ctypes.sizeof(ctypes.c_void_p) == 8:
            self.assertEqual(size, 192)


class TestRegistration(KernelTest):

    def test_pinned_id_and_unit(self):
        ctl = EchoKext(self.k, "org.libkctl.py.pinned", id=4000, unit=17).ctl
        self.assertEqual(ctl.id, 4000)
        c = self.open(4000, 17)
        self.assertEqual((c.id, c.unit), (4000, 17))

    def test_duplicate_name_is_eexist(self):
        with self.assertRaises(FileExistsError) as cm:
            self.k.register(ECHO)
        self.assertEqual(cm.exception.errno, errno.EEXIST)
        self.assertEqual(cm.exception.call, "kctl_sim_register")

    def test_bad_names(self):
        for name in ("", "n" * 96):
            with self.assertRaises(kctl.KctlError) as cm:
                self.k.register(name)
            self.assertEqual(cm.exception.errno, errno.EINVAL)
        with self.assertRaises(TypeError):
            self.k.register("org.libkctl.py.t", send=42)

    def test_default_sizes_written_back(self):
        self.assertEqual((self.echo.ctl.sendsize, self.echo.ctl.recvsize), (2048, 8192))

    def test_deregister_busy_while_attached(self):
        c = kctl.Control(ECHO, kernel=self.k)
        with self.assertRaises(kctl.KctlError) as cm:
            self.echo.ctl.deregister()
        self.assertEqual(cm.exception.errno, errno.EBUSY)
        c.close()
        self.echo.ctl.deregister()
        with self.assertRaises(FileNotFoundError):
            kctl.lookup(ECHO, kernel=self.k)
        with self.assertRaises(kctl.KctlError) as cm:
            self.echo.ctl.enqueue(1, b"x")
        self.assertEqual(cm.exception.errno, errno.EINVAL)


class TestEnqueue(KernelTest):

    def test_enobufs_when_full_and_counters(self):
        small = EchoKext(self.k, "org.libkctl.py.small", recvsize=64).ctl
        c = self.open("org.libkctl.py.small", timeout=1)
        self.assertEqual(small.space(c.unit), 64)
        small.enqueue(c.unit, b"a" * 40)
        self.assertEqual(small.readable(c.unit), 0)  # readable: nothing more needed
        self.assertEqual((small.space(c.unit), small.packets(c.unit)), (24, 1))
        with self.assertRaises(kctl.KctlError) as cm:
            small.enqueue(c.unit, b"b" * 40)
        self.assertEqual(cm.exception.errno, errno.ENOBUFS)
        self.assertEqual(small.packets(c.unit), 1)  # nothing queued
        self.assertEqual(c.recv().data, b"a" * 40)

    def test_enobufs_inside_send_reaches_the_client(self):
        EchoKext(self.k, "org.libkctl.py.tiny", recvsize=16)
        c = self.open("org.libkctl.py.tiny", timeout=1)
        with self.assertRaises(kctl.KctlError) as cm:
            c.send(b"z" * 32)  # the echo's enqueue raises ENOBUFS: the send's errno
        self.assertEqual(cm.exception.errno, errno.ENOBUFS)

    def test_enqueue_to_unit_without_client_is_einval(self):
        with self.assertRaises(kctl.KctlError) as cm:
            self.echo.ctl.enqueue(5, b"nobody")
        self.assertEqual(cm.exception.errno, errno.EINVAL)


class TestCallbacks(KernelTest):

    def test_send_gets_the_whole_chain_of_small_segments(self):
        self.k.set_mbuf_segment(7)
        data = bytes(range(256)) * 7
        c = self.open(timeout=1)
        c.send(data)
        self.assertEqual(c.recv().data, data)
        with self.assertRaises(kctl.KctlError):
            self.k.set_mbuf_segment(0)

    def test_rcvd_callback(self):
        reads = []
        ctl = self.k.register("org.libkctl.py.rcvd", rcvd=lambda u, f: reads.append(u))
        c = self.open("org.libkctl.py.rcvd", timeout=1)
        ctl.enqueue(c.unit, b"data")
        c.recv()
        self.assertEqual(reads, [c.unit])

    def test_callbacks_from_many_threads(self):
        n_threads, per_thread = 8, 25
        errors = []

        def client():
            try:
                with kctl.Control(ECHO, kernel=self.k, timeout=5) as c:
                    for i in range(per_thread):
                        msg = b"%d-%d" % (c.unit, i)
                        c.send(msg)
                        if c.recv().data != msg:
                            errors.append(msg)
            except Exception as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=client) for _ in range(n_threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        sends = [e for e in self.echo.log if e[0] == "send"]
        self.assertEqual(len(sends), n_threads * per_thread)
        self.assertEqual(self.k.call_count("send"), n_threads * per_thread)

    def test_disconnect_runs_when_kernel_closes(self):
        k = Kernel()
        echo = EchoKext(k)
        c = kctl.Control(ECHO, kernel=k)
        k.close()
        k.close()
        self.assertTrue(c.closed)
        self.assertEqual(echo.log[-1], ("disconnect", 1))


if __name__ == "__main__":
    unittest.main()
