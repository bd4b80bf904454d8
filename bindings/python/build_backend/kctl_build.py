"""The package's PEP 517 build backend: standard library only, so that
``pip install ./bindings/python`` works offline, with or without build isolation (it
needs nothing to be installed first; see pyproject.toml).

It builds a pure-Python wheel of the ``kctl`` package (the tests stay out) and adds a
generated ``kctl/_paths.py`` recording where libkctl is installed, so the package finds
it at run time without any environment variable: the folder is asked of
``pkg-config --variable=libdir libkctl`` (PKG_CONFIG_PATH is honoured as usual), or
given by the ``libdir`` config setting (``pip install --config-settings libdir=DIR``;
several folders joined with ``os.pathsep``). ``sample-kext`` records the path of the
sample kext's module for ``kctl.sim.sample_kext_path()`` the same way (default: the
``sample_kext`` variable of libkctl-kpi.pc, when there is one). Nothing is written into
the source tree.

Also: build_sdist (the sources as a .tar.gz) and build_editable (PEP 660: a .pth file
pointing at this folder; nothing is recorded then, the usual search applies).
"""

import base64
import hashlib
import io
import os
import subprocess
import tarfile
import tomllib
import zipfile

_HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_PACKAGE = "kctl"
_TAG = "py3-none-any"


def _project():
    with open(os.path.join(_HERE, "pyproject.toml"), "rb") as f:
        return tomllib.load(f)["project"]


def _dist_name():
    p = _project()
    return p["name"].replace("-", "_"), p["version"]


def _metadata():
    """The METADATA file (core metadata 2.1) from pyproject.toml's [project]."""
    p = _project()
    lines = ["Metadata-Version: 2.1", f"Name: {p['name']}", f"Version: {p['version']}",
             f"Summary: {p.get('description', '')}"]
    if "requires-python" in p:
        lines.append(f"Requires-Python: {p['requires-python']}")
    lic = p.get("license", {})
    if isinstance(lic, dict) and "text" in lic:
        lines.append(f"License: {lic['text']}")
    readme = p.get("readme")
    body = ""
    if readme:
        lines.append("Description-Content-Type: text/markdown")
        with open(os.path.join(_HERE, readme), encoding="utf-8") as f:
            body = f.read()
    return "\n".join(lines) + "\n\n" + body


def _wheel_file():
    return ("Wheel-Version: 1.0\nGenerator: kctl_build (in-tree)\nRoot-Is-Purelib: true\n"
            f"Tag: {_TAG}\n")


def _pkg_config(var, module):
    """A variable of an installed .pc file, or "" (no pkg-config, no such module)."""
    try:
        out = subprocess.run([os.environ.get("PKG_CONFIG", "pkg-config"),
                              f"--variable={var}", module],
                             capture_output=True, text=True, check=False, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def _setting(config_settings, key):
    value = (config_settings or {}).get(key)
    if isinstance(value, list):  # pip passes repeated settings as a list
        value = value[-1]
    return value or ""


def _paths_module(config_settings):
    """kctl/_paths.py: the library folders and the sample kext found at build time."""
    libdir = _setting(config_settings, "libdir") or _pkg_config("libdir", "libkctl")
    dirs = [d for d in libdir.split(os.pathsep) if d]
    kpi_dir = _pkg_config("libdir", "libkctl-kpi")
    if kpi_dir and kpi_dir not in dirs:
        dirs.append(kpi_dir)
    sample = (_setting(config_settings, "sample-kext")
              or _pkg_config("sample_kext", "libkctl-kpi"))
    return ('"""Written by the build backend when this package was built: where libkctl\n'
            'was installed then (kctl._lib looks there first)."""\n\n'
            f"LIBDIRS = {dirs!r}\nSAMPLE_KEXT = {sample or None!r}\n")


def _package_files():
    """(archive name, path) of every file of the kctl package, sorted."""
    root = os.path.join(_HERE, _PACKAGE)
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith((".pyc", ".pyo")) or name == "_paths.py":
                continue
            path = os.path.join(dirpath, name)
            out.append((os.path.relpath(path, _HERE).replace(os.sep, "/"), path))
    return out


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _write_wheel(wheel_directory, members):
    """Writes a wheel of members [(name, bytes)] plus its dist-info; returns its name."""
    dist, version = _dist_name()
    info = f"{dist}-{version}.dist-info"
    members = list(members) + [(f"{info}/METADATA", _metadata().encode()),
                               (f"{info}/WHEEL", _wheel_file().encode()),
                               (f"{info}/top_level.txt", f"{_PACKAGE}\n".encode())]
    record = [_record_line(n, d) for n, d in members] + [f"{info}/RECORD,,"]
    members.append((f"{info}/RECORD", ("\n".join(record) + "\n").encode()))
    filename = f"{dist}-{version}-{_TAG}.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w",
                         zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zi = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            zi.external_attr = 0o644 << 16
            zf.writestr(zi, data, zipfile.ZIP_DEFLATED)
    return filename


# ---- PEP 517 ------------------------------------------------------------------------

def get_requires_for_build_wheel(config_settings=None):
    """Nothing beyond the standard library."""
    return []


def get_requires_for_build_sdist(config_settings=None):
    """Nothing beyond the standard library."""
    return []


def get_requires_for_build_editable(config_settings=None):
    """Nothing beyond the standard library."""
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    """Writes the .dist-info folder the wheel will have; returns its name."""
    dist, version = _dist_name()
    info = f"{dist}-{version}.dist-info"
    os.makedirs(os.path.join(metadata_directory, info), exist_ok=True)
    for name, text in (("METADATA", _metadata()), ("WHEEL", _wheel_file()),
                       ("top_level.txt", f"{_PACKAGE}\n")):
        with open(os.path.join(metadata_directory, info, name), "w", encoding="utf-8") as f:
            f.write(text)
    return info


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    """Builds kctl-VERSION-py3-none-any.whl into wheel_directory; returns its name."""
    members = []
    for name, path in _package_files():
        with open(path, "rb") as f:
            members.append((name, f.read()))
    members.append((f"{_PACKAGE}/_paths.py", _paths_module(config_settings).encode()))
    return _write_wheel(wheel_directory, members)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    """A wheel whose .pth file puts this source folder on sys.path (PEP 660)."""
    return _write_wheel(wheel_directory, [(f"__editable__.{_PACKAGE}.pth",
                                           (_HERE + "\n").encode())])


def build_sdist(sdist_directory, config_settings=None):
    """The sources (package, tests, backend, pyproject.toml, README) as a .tar.gz."""
    dist, version = _dist_name()
    base = f"{dist}-{version}"
    filename = f"{base}.tar.gz"
    keep = ("pyproject.toml", "README.md", "run_tests.py", _PACKAGE, "tests", "build_backend")
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz", format=tarfile.PAX_FORMAT) as tf:
        for top in keep:
            path = os.path.join(_HERE, top)
            if os.path.exists(path):
                tf.add(path, arcname=f"{base}/{top}", filter=_sdist_filter)
        pkg_info = _metadata().encode()
        ti = tarfile.TarInfo(f"{base}/PKG-INFO")
        ti.size, ti.mode, ti.mtime = len(pkg_info), 0o644, 1577836800
        tf.addfile(ti, io.BytesIO(pkg_info))
    return filename


def _sdist_filter(ti):
    name = os.path.basename(ti.name)
    if name == "__pycache__" or name.endswith((".pyc", ".pyo")) or name == "_paths.py":
        return None
    ti.uid = ti.gid = 0
    ti.uname = ti.gname = ""
    return ti
