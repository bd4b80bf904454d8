#!/bin/sh
# The installed tools and examples, with nothing but the install tree: meson install
# into a scratch folder, then
#  1. kctl, kctl-sim, their manuals and the examples are installed;
#  2. the installed kctl runs with only the install tree on its paths (PATH, the
#     loader's path): --version, list and a request against the simulated kernel it
#     starts with the installed sample kext, and under the installed kctl-sim;
#  3. the installed examples build with their Makefiles and pkg-config alone, and run
#     (the clients under the installed kctl-sim, the unit test of "your own code").
#
#   tools.sh BUILD CC [EXTRA_CFLAGS [PRELOAD]]
# PRELOAD: gcc's sanitizer runtime, which must come first in a program run under
# kctl-sim (tests/cli/meson.build); only those runs get it, never the compiler's.
set -u
build=$1 cc=$2 extra=${3:-} preload=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 failn=0
ok() { pass=$((pass + 1)); }
bad() { failn=$((failn + 1)); echo "FAIL: $*"; }

meson install -C "$build" --destdir "$tmp/root" --no-rebuild --quiet >/dev/null
pc=$(find "$tmp/root" -name libkctl.pc | head -n 1)
[ -n "$pc" ] || { echo "FAIL: no libkctl.pc installed"; exit 1; }
pcdir=$(dirname "$pc")
prefix=$(sed -n 's/^prefix=//p' "$pc")
root=$tmp/root$prefix
pkgc="pkg-config --define-variable=prefix=$root"
export PKG_CONFIG_PATH="$pcdir"
libdir=$($pkgc --variable=libdir libkctl)
docdir=$root/share/doc/libkctl/examples

# ---- 1. what is installed ----
for f in bin/kctl bin/kctl-sim share/man/man1/kctl.1 share/man/man1/kctl-sim.1 \
	share/doc/libkctl/examples/README.md share/doc/libkctl/examples/Makefile \
	share/doc/libkctl/examples/minimal-client.c share/doc/libkctl/examples/request-reply.c \
	share/doc/libkctl/examples/eventloop-poll.c share/doc/libkctl/examples/utun-echo.c \
	share/doc/libkctl/examples/sample_proto.h share/doc/libkctl/examples/quickstart.py \
	share/doc/libkctl/examples/unit-test/test_thermo.c \
	share/doc/libkctl/examples/kext-minimal/minimal.c; do
	if [ -e "$root/$f" ]; then ok; else bad "not installed: $f"; fi
done

# ---- 2. the installed kctl, only the install tree on its paths ----
only() { # command...: the environment a user of the install tree has, and no more
	env -i PATH="$root/bin:/usr/bin:/bin" LD_LIBRARY_PATH="$libdir" HOME="$tmp" "$@"
}
out=$(only kctl --version 2>&1)
case $out in "kctl "*" (libkctl "*")") ok ;; *) bad "kctl --version: $out" ;; esac
out=$(only kctl -j list 2>"$tmp/err")
n=$(printf '%s\n' "$out" | grep -c '"kind":"control"')
if [ "$n" = 3 ] && grep -q 'simulated macOS kernel' "$tmp/err"; then ok
else bad "the installed kctl list: $out $(cat "$tmp/err")"; fi
out=$(only kctl request org.libkctl.sample 1 "installed" 2>/dev/null)
if [ "$out" = installed ]; then ok; else bad "the installed kctl request: $out"; fi
sample=$libdir/libkctl-kpi/Sample.so
out=$(only env LD_PRELOAD="$preload" kctl-sim run --kext "$sample" -- kctl request \
	org.libkctl.sample 1 "through kctl-sim" 2>"$tmp/err")
if [ "$out" = "through kctl-sim" ] && ! grep -q 'simulated macOS kernel' "$tmp/err"
then ok; else bad "the installed kctl under kctl-sim: $out $(cat "$tmp/err")"; fi

# ---- 3. the installed examples, built and run from a copy ----
cp -r "$docdir" "$tmp/ex"
mk() { # dir target [env...]: make with the install tree's pkg-config and tools
	d=$1 target=$2
	shift 2
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL LD_LIBRARY_PATH="$libdir" "$@" \
		make -s -C "$d" PKG_CONFIG="$pkgc" KCTL_SIM="$root/bin/kctl-sim" \
		CC="$cc $extra" "$target"
}
# built first, then run: the runtime is preloaded (and leaks not checked in make and
# sh, which are not built with it) only for the run
if ! mk "$tmp/ex" all >"$tmp/run.log" 2>&1; then
	bad "the installed examples do not build:"; tail -n 30 "$tmp/run.log"
elif mk "$tmp/ex" run ${preload:+LD_PRELOAD="$preload" ASAN_OPTIONS=detect_leaks=0} \
	>"$tmp/run.log" 2>&1 && grep -q 'reply: hello' "$tmp/run.log" &&
	grep -q '^ok$' "$tmp/run.log" && grep -q 'org.libkctl.sample.stream' "$tmp/run.log"; then ok
else
	bad "the installed examples do not run:"; tail -n 30 "$tmp/run.log"
fi
if pkg-config --exists cmocka; then
	if mk "$tmp/ex/unit-test" test_thermo >"$tmp/unit.log" 2>&1 &&
		LD_LIBRARY_PATH="$libdir" "$tmp/ex/unit-test/test_thermo" >>"$tmp/unit.log" 2>&1 &&
		grep -q 'PASSED.*9 test' "$tmp/unit.log"; then ok
	else bad "the installed unit-test example:"; tail -n 30 "$tmp/unit.log"; fi
fi

echo "$pass passed, $failn failed"
[ $failn = 0 ]
