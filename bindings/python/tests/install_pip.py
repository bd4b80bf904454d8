"""`pip install ./bindings/python` offline, against libkctl installed by meson into a
scratch folder (as a user's `meson install` would), into fresh virtual environments:
the installed package finds the installed libraries with no environment variable.

Run by the `python_install` meson test (run_tests.py --pattern 'install_*.py'), which
sets KCTL_BUILD_ROOT; without it these tests are skipped (and counted as such).
"""

import os
import re
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import unittest
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
PKG_SRC = os.path.dirname(HERE)


def sh(*argv, env=None, cwd=None):
    return subprocess.run(argv, check=True, capture_output=True, text=True, env=env,
                          cwd=cwd).stdout


class InstalledTree(unittest.TestCase):
    """libkctl installed into tmp/root; libkctl.pc copies relocated into tmp/pc."""

    @classmethod
    def setUpClass(cls):
        build = os.environ.get("KCTL_BUILD_ROOT")
        if not build:
            raise unittest.SkipTest("KCTL_BUILD_ROOT not set (meson test python_install sets it)")
        cls._tmp = tempfile.TemporaryDirectory(prefix="kctl-pip-")
        cls.tmp = cls._tmp.name
        cls.root = os.path.join(cls.tmp, "root")
        sh("meson", "install", "-C", build, "--destdir", cls.root, "--no-rebuild", "--quiet")
        cls.pcdir = os.path.join(cls.tmp, "pc")
        os.mkdir(cls.pcdir)
        for dirpath, _, files in os.walk(cls.root):
            for name in files:
                if name.endswith(".pc") and name.startswith("libkctl"):
                    with open(os.path.join(dirpath, name)) as f:
                        text = f.read()
                    # the .pc says prefix=/usr/local; the files are under the destdir
                    text = re.sub(r"^prefix=(.*)$", lambda m: f"prefix={cls.root}{m.group(1)}",
                                  text, count=1, flags=re.M)
                    with open(os.path.join(cls.pcdir, name), "w") as f:
                        f.write(text)
        env = dict(os.environ, PKG_CONFIG_PATH=cls.pcdir)
        cls.libdir = sh("pkg-config", "--variable=libdir", "libkctl", env=env).strip()
        assert os.path.exists(os.path.join(cls.libdir, "libkctl.so.0")), cls.libdir

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def venv(self, name):
        """A fresh virtual environment that sees the system's pip but no kctl."""
        path = os.path.join(self.tmp, name)
        sh(sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", path)
        return os.path.join(path, "bin", "python")

    def pip_install(self, python, target, *extra):
        """pip install, offline, with only PATH, HOME and the relocated .pc files."""
        env = {"PATH": os.environ["PATH"], "HOME": self.tmp, "PKG_CONFIG_PATH": self.pcdir,
               "PYTHONDONTWRITEBYTECODE": "1"}
        return sh(python, "-m", "pip", "install", "--no-index", "--no-deps", "--no-cache-dir",
                  "--disable-pip-version-check", *extra, target, env=env, cwd=self.tmp)

    def run_in(self, python, code):
        """Runs code in the venv with no KCTL_* variable, no PYTHONPATH, away from the
        source tree."""
        env = {"PATH": os.environ["PATH"], "HOME": self.tmp}
        return sh(python, "-c", code, env=env, cwd=self.tmp)


FIND_AND_TALK = r"""
import kctl, kctl.sim
from kctl.sim import Kernel
print("core", kctl._lib.core._name)
with Kernel() as k:
    print("sim", kctl.sim._sim._name)
    ctl = k.register("org.libkctl.pip", send=lambda unit, data, flags: ctl.enqueue(unit, data[::-1]))
    with kctl.Control("org.libkctl.pip", kernel=k, timeout=1) as c:
        c.sendall(b"installed")
        print("echo", c.recv().data.decode())
print("version", kctl.version(), kctl.__version__)
"""


class TestPipInstall(InstalledTree):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.python = None

    def installed(self):
        if type(self).python is None:
            py = self.venv("isolated")
            self.pip_install(py, PKG_SRC)      # default: an isolated build environment
            type(self).python = py
        return type(self).python

    def test_the_installed_package_finds_the_installed_libraries_without_variables(self):
        out = self.run_in(self.installed(), FIND_AND_TALK)
        paths = dict(line.split(" ", 1) for line in out.splitlines())
        for lib in ("core", "sim"):
            self.assertTrue(paths[lib].startswith(self.libdir + os.sep), (lib, paths[lib]))
        self.assertEqual(paths["echo"], "dellatsni")

    def test_every_version_agrees(self):
        with open(os.path.join(PKG_SRC, "pyproject.toml"), "rb") as f:
            project = tomllib.load(f)["project"]
        out = self.run_in(self.installed(), FIND_AND_TALK)
        versions = out.splitlines()[-1].split()[1:]
        self.assertEqual(versions, [project["version"]] * 2)

    def test_the_package_records_the_libdir_and_holds_no_tests(self):
        out = self.run_in(self.installed(), "import kctl, kctl._paths as p, os; "
                          "print(p.LIBDIRS); print(sorted(os.listdir(os.path.dirname(kctl.__file__))))")
        libdirs, files = out.splitlines()
        self.assertEqual(eval(libdirs), [self.libdir])
        self.assertNotIn("tests", files)
        self.assertIn("aio.py", files)

    def test_a_build_without_isolation_and_a_given_libdir(self):
        py = self.venv("no-isolation")
        self.pip_install(py, PKG_SRC, "--no-build-isolation", "--config-settings",
                         f"libdir={self.libdir}")
        out = self.run_in(py, "import kctl._paths as p; print(p.LIBDIRS)")
        self.assertEqual(eval(out), [self.libdir])
        self.assertIn("echo dellatsni", self.run_in(py, FIND_AND_TALK))


class TestBackend(unittest.TestCase):
    """The in-tree backend's wheel and sdist, built directly."""

    def setUp(self):
        sys.path.insert(0, os.path.join(PKG_SRC, "build_backend"))
        self.addCleanup(sys.path.remove, os.path.join(PKG_SRC, "build_backend"))
        import kctl_build
        self.backend = kctl_build
        self._tmp = tempfile.TemporaryDirectory(prefix="kctl-backend-")
        self.addCleanup(self._tmp.cleanup)
        self.tmp = self._tmp.name

    def test_the_wheels_record_matches_its_files(self):
        import base64
        import hashlib
        name = self.backend.build_wheel(self.tmp, {"libdir": "/opt/kctl/lib"})
        self.assertEqual(name, "kctl-0.1.0-py3-none-any.whl")
        with zipfile.ZipFile(os.path.join(self.tmp, name)) as zf:
            names = zf.namelist()
            record = zf.read("kctl-0.1.0.dist-info/RECORD").decode().splitlines()
            for line in record:
                path, digest, size = line.rsplit(",", 2)
                if path.endswith("RECORD"):
                    continue
                data = zf.read(path)
                want = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
                self.assertEqual(digest, "sha256=" + want.decode(), path)
                self.assertEqual(int(size), len(data), path)
            self.assertIn("LIBDIRS = ['/opt/kctl/lib']", zf.read("kctl/_paths.py").decode())
            self.assertIn("Requires-Python: >=3.11",
                          zf.read("kctl-0.1.0.dist-info/METADATA").decode())
        self.assertEqual(len(record), len(names))
        self.assertFalse([n for n in names if "tests/" in n or "__pycache__" in n], names)

    def test_the_sdist_holds_the_sources_and_builds_again(self):
        name = self.backend.build_sdist(self.tmp)
        with tarfile.open(os.path.join(self.tmp, name)) as tf:
            members = tf.getnames()
        for want in ("kctl-0.1.0/pyproject.toml", "kctl-0.1.0/PKG-INFO",
                     "kctl-0.1.0/kctl/handle.py", "kctl-0.1.0/build_backend/kctl_build.py",
                     "kctl-0.1.0/tests/test_aio.py"):
            self.assertIn(want, members)
        self.assertFalse([m for m in members if "__pycache__" in m or m.endswith("_paths.py")])

    def test_it_needs_nothing_to_build(self):
        self.assertEqual(self.backend.get_requires_for_build_wheel(), [])
        self.assertEqual(self.backend.get_requires_for_build_sdist(), [])
        info = self.backend.prepare_metadata_for_build_wheel(self.tmp)
        self.assertEqual(info, "kctl-0.1.0.dist-info")
        with open(os.path.join(self.tmp, info, "METADATA")) as f:
            self.assertIn("Name: kctl", f.read())


if __name__ == "__main__":
    unittest.main()
