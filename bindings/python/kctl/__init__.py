"""kctl: Python binding of libkctl, macOS kernel-control sockets (PF_SYSTEM).

    from kctl import Control, KctlError
    with Control("org.example.mykext", timeout=1.0) as c:
        c.send(b"ping")
        data, flags = c.recv()
        v = c.get_u32(1)

Every libkctl error is raised as :class:`KctlError` (an OSError whose ``strerror`` is
libkctl's sentence, saying what happened and who said so; ``origin`` is an
:class:`Origin`: LIBRARY, KERNEL or CONTROL). :mod:`kctl.sim` wraps the simulated
kernel, for tests on any machine: ``Control(name, kernel=kctl.sim.Kernel())``.
:mod:`kctl.frames` has the framed-message codec and the requests that do not block,
:mod:`kctl.attrs` the attribute (TLV) codec, :mod:`kctl.aio` asyncio support,
:mod:`kctl.utun` Apple's tunnel interfaces, :mod:`kctl.trace` the call tracer;
:func:`list_controls` lists the registered controls. The C libraries are found where the package was told at install time
(pkg-config), else through the dynamic loader; KCTL_LIBRARY_PATH and
KCTL_SIM_LIBRARY_PATH override (see :mod:`kctl._lib`).
"""

import importlib

from . import attrs, constants, errors, frames, listing, trace, utun
from .constants import *  # noqa: F401,F403 - the C constants, by their C names
from .errors import CallKind, KctlError, Origin, errno_name, strerror
from .frames import Frame, MsgInfo, MsgKind
from .handle import Control, Received, count, lookup, version
from .listing import ControlInfo, each_control, list_controls
from .trace import Tracer
from .utun import Utun

# kctl.sim and kctl.Kernel load libkctl-sim on first use, so they are not in __all__.
__all__ = ["Control", "Received", "Frame", "MsgInfo", "MsgKind", "KctlError", "Origin",
           "CallKind", "strerror", "errno_name", "lookup", "count", "version",
           "list_controls", "each_control", "ControlInfo", "Utun", "Tracer", "attrs",
           "constants", "errors", "frames", "listing", "trace", "utun"]
__version__ = "0.1.0"


def __getattr__(name):
    # kctl.sim needs libkctl-sim: load it only when asked for.
    # import_module, not `from . import`: that would ask this __getattr__ again
    if name in ("sim", "Kernel"):
        sim = importlib.import_module(__name__ + ".sim")
        return sim if name == "sim" else sim.Kernel
    if name == "aio":  # asyncio is imported only by those who use it
        return importlib.import_module(__name__ + ".aio")
    raise AttributeError(f"module 'kctl' has no attribute {name!r}")
