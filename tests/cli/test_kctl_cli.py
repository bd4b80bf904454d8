"""The kctl tool, run as a user runs it: its commands against the simulated kernel
(the sample kext and utun loaded), its usage, its exit statuses, its JSON lines, and
the same tool under `kctl-sim run`.

Environment (tests/cli/meson.build): KCTL, KCTL_SIM, SAMPLE_SO, MINIMAL_SO, KPI_KEXT_DIR,
and KCTL_TEST_PRELOAD (a sanitizer's runtime, to preload before libkctl-preload).
"""

import json
import os
import signal
import socket
import struct
import subprocess
import tempfile
import time
import unittest

KCTL = os.environ["KCTL"]
KCTL_SIM = os.environ.get("KCTL_SIM", "")
SAMPLE = "org.libkctl.sample"
NOTE = "this system has no kernel controls: using a simulated macOS kernel"

# exit statuses (kctl.1, EXIT STATUS)
OK, FAIL, USAGE, NOT_FOUND, PERMISSION, REFUSED = 0, 1, 2, 3, 4, 5


def kctl(*args, stdin=None, env=None, timeout=30):
    """Runs kctl; returns (status, stdout, stderr) as text."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    p = subprocess.run([KCTL, *args], input=stdin, capture_output=True, timeout=timeout,
                       env=full_env)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def kctl_bytes(*args, stdin=None):
    p = subprocess.run([KCTL, *args], input=stdin, capture_output=True, timeout=30)
    return p.returncode, p.stdout


def json_lines(out):
    """Every line as a JSON object, checking that its first key is "kind"."""
    objs = []
    for line in out.splitlines():
        pairs = json.loads(line, object_pairs_hook=list)
        if not pairs or pairs[0][0] != "kind":
            raise AssertionError("a JSON line does not start with kind: " + line)
        objs.append(json.loads(line))
    return objs


def sim_env():
    """The environment under which kctl-sim's preload can load (sanitized builds)."""
    pre = os.environ.get("KCTL_TEST_PRELOAD", "")
    return {"LD_PRELOAD": pre} if pre else {}


class HelpAndUsage(unittest.TestCase):
    def test_help_lists_every_command_and_exits_0(self):
        for flag in ("--help", "-h", "help"):
            rc, out, err = kctl(flag)
            self.assertEqual(rc, OK, flag)
            for cmd in ("list", "id", "count", "get", "set", "send", "recv", "request",
                        "monitor", "utun"):
                self.assertIn("\n  %s " % cmd, out, "%s lacks %s" % (flag, cmd))
            self.assertEqual(err, "", "help starts no kernel")

    def test_every_command_has_its_own_help(self):
        for cmd in ("list", "id", "count", "get", "set", "send", "recv", "request",
                    "monitor", "utun"):
            for form in ((cmd, "--help"), (cmd, "-h"), ("help", cmd)):
                rc, out, _ = kctl(*form)
                self.assertEqual(rc, OK, form)
                self.assertTrue(out.startswith("usage: kctl %s" % cmd), form)

    def test_version_names_the_tool_and_the_library(self):
        for flag in ("--version", "-V"):
            rc, out, _ = kctl(flag)
            self.assertEqual(rc, OK)
            self.assertRegex(out, r"^kctl \d+\.\d+\.\d+ \(libkctl \d+\.\d+\.\d+\)\n$")

    def test_usage_errors_exit_2_and_say_where_help_is(self):
        cases = [
            (),                                          # no command
            ("frobnicate",),                             # no such command
            ("--frob", "list"),                          # unknown global option
            ("list", "--frob"),                          # unknown command option
            ("list", "extra"),                           # an argument too many
            ("id",),                                     # a missing argument
            ("-u", "4294967296", "count"),               # a unit beyond 32 bits
            ("-t", "soon", "count"),                     # not a number
            ("get", SAMPLE, "1", "float"),               # no such type
            ("get", SAMPLE, "x", "u32"),                 # OPT not a number
            ("set", SAMPLE, "2", "u32", "-1"),           # a negative value
            ("set", SAMPLE, "2", "u32", "4294967296"),   # too big for u32
            ("request", SAMPLE, "65536"),                # TYPE beyond 16 bits
            ("request", SAMPLE, "1", "text", "--hex", "00"),  # two payloads
            ("request", SAMPLE, "1", "--attr", "1:u32"),      # a bad --attr
            ("request", SAMPLE, "1", "--attr", "1:u8:256"),   # out of range
            ("request", SAMPLE, "1", "--hex", "abc"),         # odd hex digits
            ("request", SAMPLE, "1", "-o", "pretty"),         # no such format
            ("send", SAMPLE),                                 # nothing to send
            ("utun", "32768"),                                # beyond utun32767
            ("monitor", SAMPLE, "--count"),                   # option without argument
        ]
        for args in cases:
            rc, out, err = kctl(*args)
            self.assertEqual(rc, USAGE, "%r: exit %d, %s" % (args, rc, err))
            self.assertIn("--help", err, args)
            self.assertNotIn(NOTE, err, "a usage error starts no kernel: %r" % (args,))


class TheSimulatedKernel(unittest.TestCase):
    def test_off_macos_it_says_once_that_the_kernel_is_simulated(self):
        rc, out, err = kctl("count")
        self.assertEqual((rc, out), (OK, "3\n"))  # utun and the sample's two
        self.assertEqual(err.count(NOTE), 1, err)

    def test_an_explicit_sim_says_nothing(self):
        rc, out, err = kctl("--sim", "count")
        self.assertEqual((rc, out, err), (OK, "3\n", ""))

    def test_native_off_macos_has_no_kernel_controls(self):
        rc, _, err = kctl("--native", "id", SAMPLE)
        self.assertEqual(rc, FAIL)
        self.assertIn("only on macOS", err)

    def test_sim_kext_loads_another_kext(self):
        rc, out, _ = kctl("--sim-kext", os.environ["MINIMAL_SO"], "-j", "list")
        self.assertEqual(rc, OK)
        names = [c["name"] for c in json_lines(out)]
        self.assertEqual(names[:3], ["com.apple.net.utun_control", SAMPLE, SAMPLE + ".stream"])
        self.assertEqual(len(names), 4, names)

    def test_a_kext_that_cannot_load_is_named_with_the_loaders_sentence(self):
        bad = os.path.join(os.environ["KPI_KEXT_DIR"], "UnknownKpi.so")
        rc, _, err = kctl("--sim-kext", bad, "count")
        self.assertEqual(rc, FAIL)
        self.assertIn("cannot load kext", err)
        self.assertIn("bsd_timeout_not_simulated", err)  # the function it lacks

    def test_an_untidy_kext_is_reported_when_kctl_ends(self):
        leaky = os.path.join(os.environ["KPI_KEXT_DIR"], "Leaky.so")
        rc, out, err = kctl("--sim-kext", leaky, "count")
        self.assertEqual((rc, out), (OK, "4\n"))
        self.assertIn("unloading kext org.example.leaky", err)
        self.assertIn("leaked 2 mbufs", err)

    def test_kext_log_shows_the_kexts_printf(self):
        rc, _, err = kctl("--kext-log", "-S", "count")
        self.assertEqual(rc, OK)
        self.assertIn("[kext] sample: started", err)
        rc, _, err = kctl("-S", "count")
        self.assertNotIn("[kext]", err)


class Trace(unittest.TestCase):
    def test_trace_prints_every_call_as_strace_does(self):
        rc, out, err = kctl("-S", "--trace", "request", SAMPLE, "1", "hi")
        self.assertEqual((rc, out), (OK, "hi\n"))
        self.assertRegex(err, r'ioctl\(\d+, CTLIOCGINFO, \{ctl_name="org.libkctl.sample"\} '
                         r'=> \{ctl_id=2\}\) = 0')
        self.assertRegex(err, r'sendmsg\(\d+, 24 bytes \[\{REQUEST type=1 seq=1 len=18 "hi"\}\], '
                         r'0\) = 24')

    def test_trace_to_a_file_appends(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "trace.log")
            for _ in range(2):
                self.assertEqual(kctl("-S", "--trace=" + path, "id", SAMPLE)[0], OK)
            with open(path) as f:
                lines = f.read().splitlines()
        self.assertEqual(sum("CTLIOCGINFO" in x for x in lines), 2, lines)

    def test_a_failed_call_is_traced_with_its_errno(self):
        rc, _, err = kctl("-S", "--trace", "id", "org.libkctl.nope")
        self.assertEqual(rc, NOT_FOUND)
        self.assertRegex(err, r"CTLIOCGINFO.* = -1 ENOENT")


class ListAndLookup(unittest.TestCase):
    def test_list_prints_a_table_of_every_control(self):
        rc, out, _ = kctl("-S", "list")
        self.assertEqual(rc, OK)
        lines = out.splitlines()
        self.assertEqual(lines[0].split(), ["ID", "FLAGS", "UNITS", "UNIT", "SEND", "RECV",
                                            "NAME"])
        self.assertEqual(len(lines), 4)
        utun = lines[1].split()
        self.assertEqual(utun[0], "1")
        self.assertIn("privileged", utun[1])
        self.assertEqual(utun[-1], "com.apple.net.utun_control")
        self.assertEqual(lines[3].split()[1], "stream")

    def test_list_json_has_the_documented_keys(self):
        rc, out, _ = kctl("-S", "list", "--json")
        self.assertEqual(rc, OK)
        ctls = json_lines(out)
        keys = {"kind", "id", "name", "flags", "flag_names", "reg_unit", "units_in_use",
                "sendsize", "recvsize"}
        for c in ctls:
            self.assertEqual(set(c), keys)
            self.assertEqual(c["kind"], "control")
            self.assertIsNone(c["reg_unit"])
        self.assertEqual(ctls[0]["flag_names"], ["privileged", "extended", "setup"])
        self.assertEqual((ctls[0]["sendsize"], ctls[0]["recvsize"]), (524288, 524288))
        self.assertEqual((ctls[1]["name"], ctls[1]["flags"], ctls[1]["sendsize"],
                          ctls[1]["recvsize"]), (SAMPLE, 0, 2048, 8192))

    def test_id_and_count(self):
        self.assertEqual(kctl("-S", "id", SAMPLE)[:2], (OK, "2\n"))
        rc, out, _ = kctl("-S", "-j", "id", SAMPLE)
        self.assertEqual(json_lines(out), [{"kind": "id", "name": SAMPLE, "id": 2}])
        rc, out, _ = kctl("-S", "count", "-j")
        self.assertEqual(json_lines(out), [{"kind": "count", "count": 3}])

    def test_an_unknown_control_exits_3(self):
        rc, out, err = kctl("-S", "id", "org.libkctl.nope")
        self.assertEqual((rc, out), (NOT_FOUND, ""))
        self.assertIn("ENOENT (No such file or directory): the kernel has no control "
                      "registered under this name", err)
        rc, out, err = kctl("-S", "request", "org.libkctl.nope", "1")
        self.assertEqual(rc, NOT_FOUND)

    def test_a_name_prefix_is_not_a_match(self):
        self.assertEqual(kctl("-S", "id", "org.libkctl.sampl")[0], NOT_FOUND)

    def test_a_96_byte_name_is_refused_by_the_library(self):
        rc, _, err = kctl("-S", "id", "n" * 96)
        self.assertEqual(rc, FAIL)
        self.assertIn("EINVAL (Invalid argument): libkctl refused the control name before "
                      "any syscall", err)


class Options(unittest.TestCase):
    def test_get_reads_each_type(self):
        self.assertEqual(kctl("-S", "get", SAMPLE, "1", "u64")[:2], (OK, "0\n"))
        self.assertEqual(kctl("-S", "get", SAMPLE, "2", "u32")[:2], (OK, "1\n"))
        self.assertEqual(kctl("-S", "get", SAMPLE, "3", "str")[:2], (OK, "unit 1\n"))
        self.assertEqual(kctl("-S", "get", SAMPLE, "3", "size")[:2], (OK, "7\n"))
        rc, out, _ = kctl("-S", "get", SAMPLE, "4", "hex")
        self.assertEqual(rc, OK)
        self.assertEqual(len(out.split()), 40)  # struct sample_stats: five u64

    def test_get_json(self):
        rc, out, _ = kctl("-S", "-j", "-u", "9", "get", SAMPLE, "3", "str")
        self.assertEqual(json_lines(out), [{"kind": "option", "name": SAMPLE, "unit": 9,
                                            "opt": 3, "type": "str", "value": "unit 9",
                                            "len": 6}])
        rc, out, _ = kctl("-S", "-j", "get", SAMPLE, "3", "hex")
        self.assertEqual(json_lines(out)[0]["value"], "756e6974203100")
        rc, out, _ = kctl("-S", "-j", "get", SAMPLE, "3", "size")
        self.assertEqual(json_lines(out)[0]["size"], 7)

    def test_a_buffer_too_small_for_the_option_is_an_error(self):
        rc, _, err = kctl("-S", "get", SAMPLE, "3", "str", "--size", "3")
        self.assertNotEqual(rc, OK)
        self.assertIn("EMSGSIZE", err)

    def test_set_sends_each_type(self):
        for args in (("2", "u32", "4"), ("1", "u64", "0x10"), ("3", "str", "label"),
                     ("3", "hex", "6869")):
            rc, out, err = kctl("-S", "set", SAMPLE, *args)
            self.assertEqual((rc, out), (OK, ""), "%r: %s" % (args, err))
        rc, out, _ = kctl("-S", "-j", "set", SAMPLE, "3", "str", "label")
        self.assertEqual(json_lines(out)[0]["len"], 6)

    def test_a_value_the_control_refuses_is_its_answer(self):
        rc, out, err = kctl("-S", "set", SAMPLE, "2", "u32", "0")  # burst 1..256
        self.assertEqual(rc, REFUSED, err)
        self.assertIn("EINVAL", err)
        self.assertIn("control", err)
        self.assertNotIn("name must be", err)  # never blamed on names or units

    def test_a_wrong_length_for_the_type_is_the_library_saying_so(self):
        rc, _, err = kctl("-S", "get", SAMPLE, "1", "u32")  # the counter is a u64:
        self.assertEqual(rc, REFUSED)                      # its getopt refuses 4 bytes
        self.assertIn("the control answered EMSGSIZE", err)
        rc, _, err = kctl("-S", "get", SAMPLE, "2", "u64")  # the burst answers 4 of 8 bytes
        self.assertEqual(rc, FAIL)
        self.assertIn("EBADMSG", err)
        self.assertIn("libkctl rejected the value", err)


class Requests(unittest.TestCase):
    def test_an_echo_comes_back_as_text(self):
        self.assertEqual(kctl("-S", "request", SAMPLE, "1", "hello kext")[:2],
                         (OK, "hello kext\n"))

    def test_the_stream_control_answers_too(self):
        self.assertEqual(kctl("-S", "-s", "request", SAMPLE + ".stream", "1", "via stream")[:2],
                         (OK, "via stream\n"))

    def test_the_payload_comes_from_hex_a_file_or_stdin(self):
        self.assertEqual(kctl("-S", "request", SAMPLE, "1", "--hex", "68 69:21")[:2],
                         (OK, "hi!\n"))
        with tempfile.NamedTemporaryFile() as f:
            f.write(b"\x00\x01\xff")
            f.flush()
            self.assertEqual(kctl("-S", "request", SAMPLE, "1", "--file", f.name)[:2],
                             (OK, "00 01 ff\n"))
        self.assertEqual(kctl("-S", "request", SAMPLE, "1", "-", stdin=b"piped")[:2],
                         (OK, "piped\n"))
        self.assertEqual(kctl("-S", "request", SAMPLE, "1", "-f", "-", stdin=b"too")[:2],
                         (OK, "too\n"))

    def test_a_payload_that_starts_with_a_dash_follows_a_double_dash(self):
        self.assertEqual(kctl("-S", "request", SAMPLE, "1", "--", "-x")[:2], (OK, "-x\n"))
        self.assertEqual(kctl("-S", "request", SAMPLE, "1", "-5")[0], USAGE)

    def test_a_missing_file_is_a_failure_that_names_it(self):
        rc, _, err = kctl("-S", "request", SAMPLE, "1", "--file", "/nonexistent/x")
        self.assertEqual(rc, FAIL)
        self.assertIn("/nonexistent/x", err)

    def test_the_reply_is_printed_as_asked(self):
        self.assertEqual(kctl("-S", "request", SAMPLE, "1", "hi", "-o", "hex")[:2],
                         (OK, "68 69\n"))
        self.assertEqual(kctl_bytes("-S", "request", SAMPLE, "1", "--hex", "00ff0a", "-o", "raw"),
                         (OK, b"\x00\xff\x0a"))
        self.assertEqual(kctl("-S", "request", SAMPLE, "1", "a\tb\x01", "-o", "text")[:2],
                         (OK, "a\\tb\\x01\n"))

    def test_attributes_go_out_and_come_back_decoded(self):
        rc, out, _ = kctl("-S", "request", SAMPLE, "2", "--attr", "1:u32:5", "-o", "attrs")
        self.assertEqual((rc, out), (OK, "attr 2 (8 bytes): u64 5\n"))
        rc, out, _ = kctl("-S", "-j", "request", SAMPLE, "2", "-a", "1:u32:7", "-o", "attrs")
        reply = json_lines(out)[0]
        self.assertEqual(reply["attrs"], [{"type": 2, "len": 8, "hex": "0700000000000000",
                                           "u64": 7}])

    def test_request_json_has_the_documented_keys(self):
        rc, out, _ = kctl("-S", "-j", "request", SAMPLE, "1", "hello")
        self.assertEqual(json_lines(out), [{"kind": "reply", "name": SAMPLE, "unit": 1,
                                            "type": 1, "len": 5, "hex": "68656c6c6f",
                                            "text": "hello"}])
        rc, out, _ = kctl("-S", "-j", "request", SAMPLE, "1", "--hex", "ff00")
        self.assertNotIn("text", json_lines(out)[0])  # not text: hex only

    def test_an_error_reply_is_the_controls_answer(self):
        rc, out, err = kctl("-S", "request", SAMPLE, "99")
        self.assertEqual((rc, out), (REFUSED, ""))
        self.assertIn("control", err)
        # a missing key is the kext's ENOENT, never "no such kernel control"
        rc, out, err = kctl("-S", "request", SAMPLE, "4", "--attr", "3:str:size")
        self.assertEqual(rc, REFUSED)
        self.assertIn("ENOENT", err)
        self.assertNotIn("no control registered", err)

    def test_an_error_in_json_is_a_line_on_stdout(self):
        rc, out, err = kctl("-S", "-j", "request", SAMPLE, "99")
        self.assertEqual(rc, REFUSED)
        e = json_lines(out)[0]
        self.assertEqual(set(e), {"kind", "command", "call", "what", "errno", "error",
                                  "origin", "message", "exit"})
        self.assertEqual((e["kind"], e["command"], e["call"], e["origin"], e["exit"]),
                         ("error", "request", "request", "control", REFUSED))
        self.assertTrue(e["error"].startswith("E"))
        rc, out, _ = kctl("-S", "-j", "id", "org.libkctl.nope")
        e = json_lines(out)[0]
        self.assertEqual((e["error"], e["origin"], e["exit"]), ("ENOENT", "kernel", NOT_FOUND))

    def test_a_unit_above_65535_is_asked_for_as_it_is(self):
        rc, out, _ = kctl("-S", "-j", "-u", "70000", "request", SAMPLE, "1", "x")
        self.assertEqual((rc, json_lines(out)[0]["unit"]), (OK, 70000))


class SendAndRecv(unittest.TestCase):
    # a REQUEST frame (echo, seq 7, "hello") written by hand: len 21, version 1, flags 1
    FRAME = "15000000 01 01 0100 07000000 00000000 68656c6c6f 000000"

    def test_send_sends_raw_bytes_and_recv_gets_the_record(self):
        rc, out, _ = kctl("-S", "send", SAMPLE, "--hex", self.FRAME, "-r", "-o", "hex")
        self.assertEqual(rc, OK)
        reply = bytes.fromhex(out.replace(" ", ""))
        self.assertEqual(len(reply), 24)
        self.assertEqual(reply[5], 0x02)  # a REPLY
        self.assertEqual(reply[8:12], b"\x07\0\0\0")  # to seq 7
        self.assertEqual(reply[16:21], b"hello")

    def test_send_json(self):
        rc, out, _ = kctl("-S", "-j", "send", SAMPLE, "--hex", self.FRAME, "--recv")
        sent, record = json_lines(out)
        self.assertEqual(sent, {"kind": "sent", "name": SAMPLE, "unit": 1, "len": 24})
        self.assertEqual((record["kind"], record["len"], record["truncated"]),
                         ("record", 24, False))
        self.assertIsInstance(record["eor"], bool)

    def test_what_the_control_refuses_to_take_is_its_answer(self):
        rc, _, err = kctl("-S", "send", SAMPLE, "not a frame")
        self.assertEqual(rc, REFUSED, err)

    def test_recv_with_nothing_to_read_times_out(self):
        rc, _, err = kctl("-S", "-t", "100", "recv", SAMPLE)
        self.assertEqual(rc, FAIL)
        self.assertIn("ETIMEDOUT", err)

    def test_recv_until_interrupted_ends_with_0(self):
        p = subprocess.Popen([KCTL, "-S", "recv", SAMPLE, "-n", "0"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        time.sleep(0.5)
        p.send_signal(signal.SIGINT)
        self.assertEqual(p.wait(timeout=10), OK)
        p.stdout.close()
        p.stderr.close()


class Monitor(unittest.TestCase):
    def test_subscribing_brings_the_events(self):
        rc, out, err = kctl("-S", "monitor", SAMPLE, "--subscribe", "6", "--unsubscribe", "7",
                            "-n", "3", "-o", "attrs")
        self.assertEqual(rc, OK, err)
        self.assertEqual(out.count("event type 8"), 3)
        self.assertIn("attr 4 (8 bytes): u64 1", out)  # SAMPLE_ATTR_EVENT_SEQ
        self.assertIn("attr 4 (8 bytes): u64 3", out)
        self.assertIn("3 events, 0 dropped", err)

    def test_monitor_json_counts_every_event(self):
        rc, out, _ = kctl("-S", "-j", "monitor", SAMPLE, "-b", "6", "-B", "7", "-n", "5",
                          "-o", "attrs")
        lines = json_lines(out)
        kinds = [x["kind"] for x in lines]
        self.assertEqual(kinds, ["subscribed"] + ["event"] * 5 + ["unsubscribed", "end"])
        seqs = [x["attrs"][0]["u64"] for x in lines if x["kind"] == "event"]
        dropped = sum(x["dropped"] for x in lines if x["kind"] == "event")
        self.assertEqual(seqs[-1], 5 + dropped)  # numbered from 1, none lost unannounced
        self.assertEqual(lines[-1], {"kind": "end", "name": SAMPLE, "events": 5,
                                     "dropped": dropped, "reason": "count"})
        self.assertEqual(lines[-2]["attrs"][0]["type"], 5)  # DROPS in the unsubscribe reply

    def test_an_interrupt_ends_the_monitor_cleanly(self):
        p = subprocess.Popen([KCTL, "-S", "-j", "monitor", SAMPLE], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        time.sleep(0.5)
        p.send_signal(signal.SIGTERM)
        out, _ = p.communicate(timeout=10)
        self.assertEqual(p.returncode, OK)
        end = json_lines(out.decode())[-1]
        self.assertEqual((end["kind"], end["events"], end["reason"]), ("end", 0, "interrupted"))


class Utun(unittest.TestCase):
    def test_utun_needs_root(self):
        rc, out, err = kctl("-S", "--sim-euid", "501", "utun")
        self.assertEqual((rc, out), (PERMISSION, ""))
        self.assertIn("EPERM", err)

    def test_utun_opens_and_names_the_interface(self):
        p = subprocess.Popen([KCTL, "-S", "-j", "utun", "5"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        first = p.stdout.readline().decode()
        p.send_signal(signal.SIGINT)
        p.communicate(timeout=10)
        self.assertEqual(p.returncode, OK)
        self.assertEqual(json.loads(first), {"kind": "interface", "name": "utun5",
                                             "unit": 6})


def ipv4_icmp(src, dst):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28, 1, 0, 64, 1, 0, socket.inet_aton(src),
                      socket.inet_aton(dst))
    return hdr + b"\x08\x00\xf7\xff\x00\x00\x00\x00"


def ipv6_udp(src, dst):
    payload = b"\x30\x39\x00\x35\x00\x0a\x00\x00hi"
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), 17, 64,
                       socket.inet_pton(socket.AF_INET6, src),
                       socket.inet_pton(socket.AF_INET6, dst)) + payload


@unittest.skipUnless(KCTL_SIM, "kctl-sim is built only on Linux")
class UnderKctlSim(unittest.TestCase):
    def run_under(self, *args, sim_args=(), timeout=30):
        p = subprocess.run([KCTL_SIM, "run", *sim_args, "--", KCTL, *args], capture_output=True,
                           timeout=timeout, env=dict(os.environ, **sim_env()))
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    def test_kctl_uses_the_kernel_kctl_sim_gives_it(self):
        rc, out, err = self.run_under("-j", "list",
                                      sim_args=("--kext", os.environ["SAMPLE_SO"]))
        self.assertEqual(rc, OK, err)
        self.assertNotIn(NOTE, err)
        self.assertEqual([c["name"] for c in json_lines(out)],
                         ["com.apple.net.utun_control", SAMPLE, SAMPLE + ".stream"])
        rc, out, _ = self.run_under("request", SAMPLE, "1", "via the preload",
                                    sim_args=("--kext", os.environ["SAMPLE_SO"]))
        self.assertEqual((rc, out), (OK, "via the preload\n"))

    def test_without_the_kext_there_is_no_such_control(self):
        rc, out, _ = self.run_under("id", SAMPLE)
        self.assertEqual(rc, NOT_FOUND)

    def test_utun_prints_the_packets_the_network_sends_with_the_family_decoded(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "net")
            net = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            net.bind(path)
            net.settimeout(20)
            p = subprocess.Popen([KCTL_SIM, "run", "--euid", "0", "--net", path, "--", KCTL,
                                  "-j", "utun", "-n", "2"], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, env=dict(os.environ, **sim_env()))
            try:
                hello, kernel = net.recvfrom(65536)  # "utun0" is up
                ifname = hello[:16].rstrip(b"\0")
                self.assertEqual(struct.unpack("!I", hello[16:20])[0], 0)
                net.sendto(ifname.ljust(16, b"\0") + struct.pack("!I", 2) +
                           ipv4_icmp("10.7.0.2", "10.7.0.1"), kernel)
                net.sendto(ifname.ljust(16, b"\0") + struct.pack("!I", 30) +
                           ipv6_udp("fd00::2", "fd00::1"), kernel)
                out, err = p.communicate(timeout=20)
            finally:
                if p.poll() is None:
                    p.kill()
                    p.communicate()
                net.close()
        self.assertEqual(p.returncode, OK, err)
        iface, v4, v6 = json_lines(out.decode())
        self.assertEqual(iface["name"], ifname.decode())
        self.assertEqual((v4["family"], v4["family_name"], v4["ip_version"], v4["src"],
                          v4["dst"], v4["proto_name"], v4["len"]),
                         (2, "inet", 4, "10.7.0.2", "10.7.0.1", "icmp", 28))
        self.assertEqual((v6["family"], v6["family_name"], v6["src"], v6["dst"],
                          v6["proto_name"]), (30, "inet6", "fd00::2", "fd00::1", "udp"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
