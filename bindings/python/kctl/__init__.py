"""kctl: Python binding of libkctl, macOS kernel-control sockets (PF_SYSTEM).

    from kctl import Control, KctlError
    with Control("org.example.mykext", timeout=1.0) as c:
        c.send(b"ping")
        data, flags = c.recv()
        v = c.get_u32(1)

Every libkctl error is raised as :class:`KctlError` (an OSError with libkctl's
sentence as ``strerror``). :mod:`kctl.sim` wraps the simulated kernel, for tests on any
machine: ``Control(name, kernel=kctl.sim.Kernel())``. :mod:`kctl.frames` has the
framed-message codec. The C libraries are found through KCTL_LIBRARY_PATH and
KCTL_SIM_LIBRARY_PATH, or the dynamic loader (see :mod:`kctl._lib`).
"""

from . import constants, errors, frames
from .constants import *  # noqa: F401,F403 - the C constants, by their C names
from .errors import KctlError, strerror
from .frames import Frame
from .handle import Control, Received, count, lookup, version

# kctl.sim and kctl.Kernel load libkctl-sim on first use, so they are not in __all__.
__all__ = ["Control", "Received", "Frame", "KctlError", "strerror", "lookup", "count",
           "version", "constants", "errors", "frames"]
__version__ = "0.1.0"


def __getattr__(name):
    # kctl.sim needs libkctl-sim: load it only when asked for.
    if name in ("sim", "Kernel"):
        from . import sim
        return sim if name == "sim" else sim.Kernel
    raise AttributeError(f"module 'kctl' has no attribute {name!r}")
