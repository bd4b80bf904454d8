"""utun against the simulated kernel "like a Mac": opening by number, any or a range,
the interface's name and pending limit, packets both ways with Darwin's families, the
network side (inject, take, the interfaces and their counters), the errors."""

import errno
import sys
import threading
import time
import unittest

import kctl
from kctl import Origin
from kctl.sim import Kernel
from kctl.utun import ANY, Family, Packet, Utun

V4 = bytes([0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2])
V6 = bytes([0x60, 0, 0, 0, 0, 0, 59, 64])


class UtunTest(unittest.TestCase):

    def setUp(self):
        self.k = Kernel(mac=True)
        self.addCleanup(self.k.close)
        self.k.set_euid(0)

    def utun(self, num=ANY, **kw):
        kw.setdefault("timeout", 5)
        tun = Utun(num, kernel=self.k, **kw)
        self.addCleanup(tun.close)
        return tun


class TestOpen(UtunTest):

    def test_a_kernel_like_a_mac_has_apples_utun_control_and_an_empty_one_has_not(self):
        (ctl,) = kctl.list_controls(kernel=self.k)
        self.assertEqual(ctl.name, kctl.KCTL_UTUN_CONTROL_NAME)
        self.assertTrue(ctl.privileged)
        with Kernel() as plain:
            plain.set_euid(0)
            with self.assertRaises(FileNotFoundError):
                Utun(kernel=plain)
            self.assertEqual(plain.register_utun(), kctl.lookup(kctl.KCTL_UTUN_CONTROL_NAME,
                                                                 kernel=plain))
            with Utun(kernel=plain) as tun:
                self.assertEqual(tun.ifname, "utun0")
            with self.assertRaises(FileExistsError):
                plain.register_utun()

    def test_utun_is_for_root_only(self):
        self.k.set_euid(501)
        with self.assertRaises(PermissionError):
            self.utun()

    def test_interfaces_are_numbered_from_0_and_a_taken_one_is_busy(self):
        a, b = self.utun(), self.utun()
        self.assertEqual((a.ifname, b.ifname, b.unit), ("utun0", "utun1", 2))
        with self.assertRaises(kctl.KctlError) as cm:
            self.utun(1)
        self.assertEqual(cm.exception.errno, errno.EBUSY)
        self.assertEqual(self.utun(7).ifname, "utun7")
        with self.assertRaises(kctl.KctlError) as cm:
            self.utun(32768)
        self.assertEqual(cm.exception.errno, errno.EINVAL)
        self.assertIsInstance(a, kctl.Control)

    def test_a_range_is_walked_past_busy_interfaces_only(self):
        self.utun(0), self.utun(1)
        c = Utun.open_range(0, 3, kernel=self.k)
        self.addCleanup(c.close)
        self.assertEqual(c.ifname, "utun2")
        self.utun(3)
        with self.assertRaises(kctl.KctlError) as cm:
            Utun.open_range(0, 3, kernel=self.k)
        self.assertEqual(cm.exception.errno, errno.EBUSY)
        self.k.set_euid(501)
        with self.assertRaises(PermissionError):
            Utun.open_range(4, 9, kernel=self.k)

    def test_flags_are_set_between_bind_and_connect_and_the_name_comes_after(self):
        tun = self.utun(4, bind_only=True)
        with self.assertRaises(kctl.KctlError) as cm:
            tun.ifname
        self.assertEqual(cm.exception.errno, errno.EINVAL)
        tun.set_flags(kctl.KCTL_ABI_UTUN_FLAGS_NO_OUTPUT)
        tun.connect()
        self.assertEqual(tun.ifname, "utun4")
        self.assertEqual(self.k.utun_info("utun4").flags, kctl.KCTL_ABI_UTUN_FLAGS_NO_OUTPUT)


class TestPackets(UtunTest):

    def test_a_packet_from_the_network_is_read_with_its_family_and_an_echo_reaches_it(self):
        tun = self.utun()
        tun.set_max_pending(8)
        self.k.utun_inject("utun0", Family.INET, V4)
        self.k.utun_inject("utun0", Family.INET6, V6)
        self.assertEqual(tun.read(), Packet(Family.INET, V4))
        got = tun.read()
        self.assertEqual((got.family, int(got.family), got.data), (Family.INET6, 30, V6))
        tun.write(Family.INET, V4)
        tun.writev(Family.INET6, [V6[:3], memoryview(V6)[3:]])
        self.assertEqual(self.k.utun_take("utun0", timeout=5), (Family.INET, V4))
        self.assertEqual(self.k.utun_take("utun0", timeout=5), (Family.INET6, V6))
        with self.assertRaises(BlockingIOError):
            self.k.utun_take("utun0", timeout=0)
        info = self.k.utun_info("utun0")
        self.assertEqual((info.ipackets, info.opackets, info.untaken), (2, 2, 0))
        self.assertEqual(info.ibytes, len(V4) + len(V6) + 8, "headers included")

    def test_a_family_utun_does_not_carry_is_refused_before_any_send(self):
        tun = self.utun()
        with self.assertRaises(kctl.KctlError) as cm:
            tun.write(10, V6)  # Linux's AF_INET6
        exc = cm.exception
        self.assertEqual((exc.errno, exc.origin), (errno.EPFNOSUPPORT, Origin.LIBRARY))
        self.assertIn("protocol family 10", exc.strerror)
        self.assertEqual(self.k.utun_info("utun0").ipackets, 0, "nothing was sent")
        with self.assertRaises(kctl.KctlError) as cm:
            self.k.utun_inject("utun0", 10, V6)
        self.assertEqual(cm.exception.errno, errno.EAFNOSUPPORT)

    def test_a_packet_longer_than_the_buffer_says_so(self):
        tun = self.utun()
        self.k.utun_inject("utun0", Family.INET, V4)
        with self.assertRaises(kctl.KctlError) as cm:
            tun.read(8)
        self.assertEqual(cm.exception.errno, errno.EMSGSIZE)
        self.assertIn("longer than the 8-byte buffer", cm.exception.strerror)

    def test_the_pending_limit_holds_packets_back_in_the_interface(self):
        tun = self.utun()
        with self.assertRaises(kctl.KctlError) as cm:
            tun.set_max_pending(0)
        self.assertEqual(cm.exception.errno, errno.EINVAL)
        tun.set_max_pending(2)
        for _ in range(5):
            self.k.utun_inject("utun0", Family.INET, V4)
        info = self.k.utun_info("utun0")
        self.assertEqual((info.max_pending, info.queued), (2, 3))
        for _ in range(5):
            tun.read()
        self.assertEqual(self.k.utun_info("utun0").queued, 0)

    def test_the_interfaces_are_listed_and_closing_removes_one(self):
        a, b = self.utun(2), self.utun(5)
        self.assertEqual([(i.name, i.unit) for i in self.k.utun_interfaces()],
                         [("utun2", 3), ("utun5", 6)])
        a.close()
        with self.assertRaises(kctl.KctlError) as cm:
            self.k.utun_info("utun2")
        self.assertEqual(cm.exception.errno, errno.ENXIO)
        b.close()
        self.assertEqual(self.k.utun_interfaces(), [])

    def test_a_take_waits_for_a_packet_written_from_another_thread(self):
        tun = self.utun()
        writer = threading.Thread(target=lambda: (time.sleep(0.02), tun.write(Family.INET, V4)))
        writer.start()
        try:
            self.assertEqual(self.k.utun_take("utun0", timeout=5).data, V4)
        finally:
            writer.join()

    def test_the_family_of_an_ip_packet_is_its_version(self):
        self.assertEqual((Family.of(V4), Family.of(V6)), (Family.INET, Family.INET6))
        self.assertIsNone(Family.of(b"\x10"))
        self.assertIsNone(Family.of(b""))


class TestRegistrationList(UtunTest):

    def test_the_registration_list_reads_as_xnu_writes_it(self):
        raw = self.k.sysctl("net.systm.kctl.reg_list")
        self.assertEqual(len(raw), 2 * kctl.KCTL_ABI_XSYSTMGEN_LEN + kctl.KCTL_ABI_XKCTL_REG_LEN)
        self.assertEqual(int.from_bytes(raw[8:16], sys.byteorder), 1)
        with self.assertRaises(FileNotFoundError):
            self.k.sysctl("kern.hostname")


class TestNative(unittest.TestCase):

    def test_the_native_backend_has_no_utun_off_macos(self):
        with self.assertRaises(kctl.KctlError) as cm:
            Utun()
        self.assertEqual(cm.exception.errno, errno.EAFNOSUPPORT)


if __name__ == "__main__":
    unittest.main()
