#!/bin/sh
# The built Debian packages, unpacked (dpkg-deb -x) into a scratch root rather than
# installed, used as a user of each would use it:
#  1. the files each package must hold are there, the manuals' links resolve;
#  2. libkctl-dev: a client built with pkg-config alone runs against the simulator;
#  3. libkctl-kpi-dev: examples/kext-minimal builds with its Makefile, loads, answers;
#  4. kctl and kctl-sim: the packaged kctl, under the packaged kctl-sim with the
#     packaged sample kext, makes a request;
#  5. python3-kctl: records the system's libdir, imports, and talks to the sample kext.
# Only the loader's path (LD_LIBRARY_PATH) and PYTHONPATH point into the scratch root.
#   smoke.sh DEBDIR SRC
set -u
debs=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 failn=0
ok() { pass=$((pass + 1)); }
bad() { failn=$((failn + 1)); echo "FAIL: $*"; }

root=$tmp/root
mkdir -p "$root"
for d in "$debs"/*.deb; do
	case $d in *-dbgsym_*) continue ;; esac
	dpkg-deb -x "$d" "$root" || bad "dpkg-deb -x $d"
done
triplet=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
lib=$root/usr/lib/$triplet
export LD_LIBRARY_PATH="$lib"
pkgc="pkg-config --define-variable=prefix=$root/usr"
export PKG_CONFIG_PATH="$lib/pkgconfig"

# ---- 1. what is there ----
for f in usr/include/kctl.h usr/include/kctl_sim.h usr/include/kctl_kpi.h \
	usr/include/libkctl-kpi/sys/kern_control.h usr/include/libkctl-darwin/sys/kern_control.h \
	usr/lib/$triplet/libkctl.so.0 usr/lib/$triplet/libkctl-sim.so.0 \
	usr/lib/$triplet/libkctl-kpi.so.0 usr/lib/$triplet/libkctl-darwin.so.0 \
	usr/lib/$triplet/libkctl-kpi/Sample.so usr/lib/$triplet/libkctl-preload.so \
	usr/bin/kctl usr/bin/kctl-sim usr/bin/kextbundle \
	usr/share/man/man3/libkctl.3.gz usr/share/man/man3/kctl_kpi.3.gz \
	usr/lib/python3/dist-packages/kctl/__init__.py; do
	if [ -e "$root/$f" ]; then ok; else bad "no package holds $f"; fi
done
# every function's manual is a link to its page, and the link resolves (dh_compress)
n=0
for m in "$root"/usr/share/man/man3/kctl_*.3.gz; do
	if [ -L "$m" ] && [ ! -e "$m" ]; then bad "dangling manual link ${m#"$root"/}"; fi
	n=$((n + 1))
done
if [ "$n" -gt 100 ] && [ -e "$root/usr/share/man/man3/kctl_open_id.3.gz" ]; then ok
else bad "only $n manuals in man3"; fi

# ---- 2. a client of libkctl-dev ----
if cc -std=c11 -Wall -Wextra -Werror -o "$tmp/consumer" "$src/tests/install/consumer.c" \
	$($pkgc --cflags --libs libkctl libkctl-sim) && "$tmp/consumer" >/dev/null; then ok
else bad "a client built with pkg-config libkctl libkctl-sim"; fi

# ---- 3. a kext with libkctl-kpi-dev ----
cp -r "$src/examples/kext-minimal" "$tmp/kext"
if env -u MAKEFLAGS -u MAKELEVEL make -s -C "$tmp/kext" PKG_CONFIG="$pkgc" \
	KEXTBUNDLE="$root/usr/bin/kextbundle" run >"$tmp/kext.log" 2>&1; then ok
else bad "examples/kext-minimal with libkctl-kpi-dev:"; tail -n 20 "$tmp/kext.log"; fi

# ---- 4. kctl under kctl-sim, with the packaged sample kext ----
out=$("$root/usr/bin/kctl-sim" run --kext "$lib/libkctl-kpi/Sample.so" -- \
	"$root/usr/bin/kctl" request org.libkctl.sample 1 "from the package" 2>"$tmp/err")
case $out in
*"from the package"*) ok ;;
*) bad "kctl under kctl-sim: $out $(cat "$tmp/err")" ;;
esac

# ---- 5. python3-kctl ----
py=/usr/bin/python3
if [ -x "$py" ]; then
	out=$(PYTHONPATH="$root/usr/lib/python3/dist-packages" KCTL_SAMPLE_KEXT="$lib/libkctl-kpi/Sample.so" \
		"$py" -c '
import kctl, kctl._paths as p
from kctl.sim import Kernel, sample_kext_path
assert p.LIBDIRS == ["/usr/lib/'"$triplet"'"], p.LIBDIRS
assert p.SAMPLE_KEXT == "/usr/lib/'"$triplet"'/libkctl-kpi/Sample.so", p.SAMPLE_KEXT
with Kernel() as k:
    k.load_module(sample_kext_path())
    with kctl.Control("org.libkctl.sample", kernel=k, timeout=2) as c:
        print(c.request(1, b"python").decode())
' 2>"$tmp/err")
	if [ "$out" = python ]; then ok; else bad "python3-kctl: $out $(cat "$tmp/err")"; fi
else
	bad "no /usr/bin/python3 for python3-kctl"
fi

echo "$pass passed, $failn failed"
[ $failn = 0 ]
