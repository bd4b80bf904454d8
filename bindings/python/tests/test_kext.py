"""The sample kext loaded into the simulated kernel from Python (libkctl-kpi): load,
requests with attributes, events, options, unload rules, the kext log."""

import errno
import os
import sys
import unittest

import kctl
from kctl import attrs
from kctl.attrs import U32
from kctl.sim import Kernel, kpi_last_error, sample_kext_path, set_kext_log

# kext-sample/sample_proto.h
SAMPLE, SAMPLE_STREAM = "org.libkctl.sample", "org.libkctl.sample.stream"
MSG_ECHO, MSG_COUNTER, MSG_KV_SET, MSG_KV_GET = 1, 2, 3, 4
MSG_SUBSCRIBE, MSG_UNSUBSCRIBE, MSG_EVENT = 6, 7, 8
ATTR_ADD, ATTR_VALUE, ATTR_KEY, ATTR_EVENT_SEQ = 1, 2, 3, 4
OPT_COUNTER, OPT_BURST, OPT_LABEL = 1, 2, 3


class KextTest(unittest.TestCase):
    """A fresh kernel with the sample kext loaded; closing the kernel unloads it."""

    def setUp(self):
        self.k = Kernel()
        self.addCleanup(self.k.close)
        self.kext = self.k.load_module(sample_kext_path())

    def open(self, name=SAMPLE, **kw):
        c = kctl.Control(name, kernel=self.k, timeout=5, **kw)
        self.addCleanup(c.close)
        return c


class TestLoad(KextTest):

    def test_the_kext_registers_its_two_controls(self):
        self.assertEqual(self.kext.name, "org.libkctl.sample")
        self.assertTrue(self.kext.loaded)
        self.assertEqual(kctl.count(kernel=self.k), 2)
        kctl.lookup(SAMPLE_STREAM, kernel=self.k)

    def test_a_kext_with_a_client_refuses_to_unload(self):
        c = self.open()
        with self.assertRaises(kctl.KctlError) as cm:
            self.kext.unload()
        self.assertEqual(cm.exception.errno, errno.EBUSY)
        self.assertTrue(self.kext.loaded)
        c.close()
        self.kext.unload()
        self.assertFalse(self.kext.loaded)
        self.kext.unload()   # nothing left to do
        with self.assertRaises(FileNotFoundError):
            kctl.Control(SAMPLE, kernel=self.k)

    def test_closing_the_kernel_unloads_the_kext_after_its_clients(self):
        self.kext.unload()   # one kernel at a time: this test uses its own
        k = Kernel()
        kext = k.load_module(sample_kext_path())
        kctl.Control(SAMPLE, kernel=k)   # left open: the kernel closes it first
        k.close()
        self.assertFalse(kext.loaded)
        self.assertEqual(k._kexts, [])

    def test_kexts_load_into_one_kernel_at_a_time(self):
        with Kernel() as other:
            with self.assertRaises(kctl.KctlError) as cm:
                other.load_module(sample_kext_path())
            self.assertEqual(cm.exception.errno, errno.EBUSY)
        with self.assertRaises(kctl.KctlError) as cm:
            self.k.load_module(sample_kext_path())
        self.assertEqual(cm.exception.errno, errno.EEXIST)

    def test_a_missing_module_is_enoent_with_the_loaders_sentence(self):
        with self.assertRaises(FileNotFoundError) as cm:
            self.k.load_module("/nonexistent/Sample.so")
        why = kpi_last_error()
        self.assertIn("/nonexistent/Sample.so", why)
        self.assertEqual(cm.exception.strerror, f"{kctl.strerror(errno.ENOENT)}: {why}")
        self.assertEqual(cm.exception.call, "kctl_kpi_load_module")

    def test_a_library_without_kmod_info_is_no_kext(self):
        with self.assertRaises(kctl.KctlError) as cm:
            self.k.load_module(os.environ["KCTL_LIBRARY_PATH"])
        self.assertEqual(cm.exception.errno, errno.ENOEXEC)
        self.assertIn("exports no kmod_info: it is not a kext", cm.exception.strerror)

    def test_a_kext_loaded_twice_is_refused_by_name(self):
        with self.assertRaises(FileExistsError) as cm:
            self.k.load_module(sample_kext_path())
        self.assertIn("org.libkctl.sample", cm.exception.strerror)

    def test_a_kext_with_clients_says_why_it_stays(self):
        self.open()
        with self.assertRaises(kctl.KctlError) as cm:
            self.kext.unload()
        self.assertEqual(cm.exception.errno, errno.EBUSY)
        self.assertIn("org.libkctl.sample did not stop: its stop routine returned 5",
                      cm.exception.strerror)
        self.assertIn("it stays loaded", cm.exception.strerror)


def misbehaving_kext(name):
    """A misbehaving test kext of tests/kpi (make check names their folder)."""
    folder = os.environ.get("KCTL_TEST_KEXT_DIR")
    if not folder:
        print(f"not run: KCTL_TEST_KEXT_DIR is unset (make check sets it to the build's "
              f"tests/kpi, where {name} is)", file=sys.stderr)
        return None
    return os.path.join(folder, name)


class TestMisbehavingKexts(unittest.TestCase):

    def setUp(self):
        self.k = Kernel()
        self.addCleanup(self.k.close)

    def test_a_start_routine_that_fails_and_a_kpi_not_simulated_are_named(self):
        failing, unknown = misbehaving_kext("FailingStart.so"), misbehaving_kext("UnknownKpi.so")
        if failing is None:
            return
        with self.assertRaises(kctl.KctlError) as cm:
            self.k.load_module(failing)
        self.assertEqual(cm.exception.errno, errno.ECANCELED)
        self.assertIn("org.example.failing_start did not start: its start routine returned 3",
                      cm.exception.strerror)
        with self.assertRaises(kctl.KctlError) as cm:
            self.k.load_module(unknown)
        self.assertEqual(cm.exception.errno, errno.ENOSYS)
        self.assertIn("uses bsd_timeout_not_simulated, a kernel function the simulated kernel "
                      "does not provide", cm.exception.strerror)
        self.assertEqual(kctl.count(kernel=self.k), 0, "nothing of either stayed")

    def test_an_untidy_unload_reports_what_was_left_and_the_kext_is_gone(self):
        leaky = misbehaving_kext("Leaky.so")
        if leaky is None:
            return
        kext = self.k.load_module(leaky)
        with kctl.Control("org.example.misbehave", kernel=self.k) as c:
            c.send(b"lost")
        with self.assertRaises(kctl.KctlError) as cm:
            kext.unload()
        self.assertEqual(cm.exception.errno, errno.ENOTEMPTY)
        self.assertIn("org.example.leaky leaked 3 mbufs", cm.exception.strerror)
        self.assertIn("left 1 thread call scheduled", cm.exception.strerror)
        self.assertFalse(kext.loaded, "ENOTEMPTY: it is gone")


class TestRequests(KextTest):

    def test_echo_and_the_counter_answer_on_dgram_and_stream(self):
        for name, stream in ((SAMPLE, False), (SAMPLE_STREAM, True)):
            c = self.open(name, stream=stream)
            self.assertEqual(c.request(MSG_ECHO, b"hello kext"), b"hello kext")
            reply = c.request(MSG_COUNTER, attrs.pack((ATTR_ADD, U32(5))))
            self.assertEqual(attrs.find(reply, ATTR_VALUE).u64(), 5)
            reply = c.request(MSG_COUNTER)
            self.assertEqual(attrs.find(reply, ATTR_VALUE).u64(), 6)
            self.assertEqual(c.get_u64(OPT_COUNTER), 6)

    def test_the_key_value_store_answers_through_attributes(self):
        c = self.open()
        c.request(MSG_KV_SET, attrs.pack((ATTR_KEY, "colour"), (ATTR_VALUE, b"teal")))
        reply = c.request(MSG_KV_GET, attrs.pack((ATTR_KEY, "colour")))
        self.assertEqual(attrs.find(reply, ATTR_VALUE).value, b"teal")
        with self.assertRaises(FileNotFoundError):
            c.request(MSG_KV_GET, attrs.pack((ATTR_KEY, "absent")))
        with self.assertRaises(kctl.KctlError) as cm:
            c.request(MSG_KV_SET, attrs.pack((ATTR_KEY, "k" * 40), (ATTR_VALUE, b"v")))
        self.assertEqual(cm.exception.errno, errno.EINVAL)

    def test_a_subscribed_client_gets_numbered_events(self):
        c = self.open()
        c.request(MSG_SUBSCRIBE)
        seqs = []
        for _ in range(3):
            f = c.recv_frame()
            self.assertTrue(f.is_event)
            self.assertEqual(f.type, MSG_EVENT)
            seqs.append(f.attr(ATTR_EVENT_SEQ).u64())
        self.assertEqual(seqs, sorted(seqs))
        c.request(MSG_UNSUBSCRIBE)

    def test_the_label_option_has_a_variable_size(self):
        c = self.open()
        self.assertEqual(c.get_str(OPT_LABEL), f"unit {c.unit}")
        c.set_str(OPT_LABEL, "renamed")
        self.assertEqual(c.get_size(OPT_LABEL), len("renamed") + 1)
        with self.assertRaises(kctl.KctlError) as cm:
            c.set_str(OPT_LABEL, "x" * 64)
        self.assertEqual(cm.exception.errno, errno.EMSGSIZE)
        with self.assertRaises(kctl.KctlError) as cm:
            c.set_u32(OPT_BURST, 0)
        self.assertEqual(cm.exception.errno, errno.EINVAL)


class TestLog(unittest.TestCase):

    def test_the_kexts_printf_lines_reach_the_python_function(self):
        lines = []
        set_kext_log(lines.append)
        self.addCleanup(set_kext_log, None)
        with Kernel() as k:
            k.load_module(sample_kext_path())
            kctl.Control(SAMPLE, kernel=k).close()
        self.assertIn("sample: unit 1 connected (dgram)", lines)
        self.assertTrue(any("stopped" in line for line in lines), lines)
        with self.assertRaises(TypeError):
            set_kext_log(42)


class TestSamplePath(unittest.TestCase):

    def test_the_environment_names_the_sample_module(self):
        path = sample_kext_path()
        self.assertTrue(os.path.exists(path), path)
        old = os.environ.pop("KCTL_SAMPLE_KEXT")
        self.addCleanup(os.environ.__setitem__, "KCTL_SAMPLE_KEXT", old)
        try:
            found = sample_kext_path()   # recorded at install time, if it was
        except FileNotFoundError as exc:
            self.assertIn("KCTL_SAMPLE_KEXT", str(exc))
        else:
            self.assertTrue(os.path.exists(found))
