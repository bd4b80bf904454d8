"""quickstart.py - libkctl from Python (bindings/python: ctypes, standard library only),
against the sample kext loaded into a simulated kernel: a framed request, attributes
both ways, and asyncio with events. On a Mac with Sample.kext loaded, drop the Kernel
and open kctl.Control("org.libkctl.sample") directly.

Run: pip install ./bindings/python, then python3 examples/quickstart.py
"""
import asyncio, kctl
from kctl import attrs
from kctl.sim import Kernel, sample_kext_path

with Kernel() as k:                                        # a simulated kernel
    k.load_module(sample_kext_path())                      # the sample kext, via libkctl-kpi
    with kctl.Control("org.libkctl.sample", kernel=k) as c:
        c.settimeout(1.0)                                  # socket-module names: gettimeout, sendall...
        print(c.request(1, b"hello"))                      # framed request -> b"hello"
        reply = c.request(2, attrs.pack((1, attrs.U32(5))))    # attributes (TLV) both ways
        print(attrs.find(reply, 2).u64())                  # 5

        async def main():                                  # asyncio: no thread, no blocking
            async with kctl.aio.AsyncControl(c, on_frame=print) as ac:   # events -> print
                await ac.request(6)                        # subscribe
                print(await asyncio.gather(*(ac.request(1, b"%d" % i, timeout=1) for i in range(3))))
        asyncio.run(main())
