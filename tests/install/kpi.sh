#!/bin/sh
# libkctl-kpi installed, as a kext author outside the tree uses it: meson install into
# a scratch folder, then with nothing but that folder, pkg-config and the installed
# kextbundle:
#  1. the installed files are there (SONAME, headers in their own folder, .pc files);
#  2. every installed Apple-named header compiles alone, quietly, under strict flags;
#  3. examples/kext-minimal builds from its Makefile, loads and answers through libkctl;
#  4. the test kexts of tests/kpi build the same way and the kpi suites pass on them;
#  5. the installed kctl runs from the install tree and -S finds the installed sample.
#
#   kpi.sh BUILD SRC CC [EXTRA_CFLAGS] -- SUITE...
set -eu
build=$1 src=$2 cc=$3 extra=${4:-}
shift 4
[ "${1:-}" = -- ] && shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 failn=0
ok() { pass=$((pass + 1)); }
fail() { failn=$((failn + 1)); echo "FAIL: $*"; }

meson install -C "$build" --destdir "$tmp/root" --no-rebuild --quiet >/dev/null
pc=$(find "$tmp/root" -name libkctl-kpi.pc | head -n 1)
[ -n "$pc" ] || { echo "FAIL: no libkctl-kpi.pc installed"; exit 1; }
pcdir=$(dirname "$pc")
prefix=$(sed -n 's/^prefix=//p' "$pc")
root=$tmp/root$prefix
PKG_CONFIG_PATH=$pcdir
export PKG_CONFIG_PATH
pkgc="pkg-config --define-variable=prefix=$root"
libdir=$($pkgc --variable=libdir libkctl-kpi)
incdir=$($pkgc --variable=includedir libkctl-kpi)
kextbundle=$root/bin/kextbundle

# ---- 1. what is installed ----
for f in "$incdir/kctl_kpi.h" "$incdir/libkctl-kpi/sys/kern_control.h" \
	"$incdir/libkctl-kpi/sys/kpi_mbuf.h" "$incdir/libkctl-kpi/mach/kmod.h" \
	"$incdir/libkctl-kpi/os/log.h" "$incdir/libkctl-kpi/IOKit/IOLib.h" \
	"$libdir/libkctl-kmod.a" "$libdir/libkctl-kpi/Sample.so" "$kextbundle" \
	"$root/bin/kctl" "$pcdir/libkctl-kpi-loader.pc"; do
	if [ -e "$f" ]; then ok; else fail "not installed: ${f#"$root"/}"; fi
done
soname=$(readelf -d "$libdir/libkctl-kpi.so" 2>/dev/null | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
if [ "$soname" = libkctl-kpi.so.0 ]; then ok; else fail "libkctl-kpi SONAME is '$soname'"; fi
# the kernel headers live apart: nothing Apple-named directly in <includedir>
if [ ! -e "$incdir/sys/kern_control.h" ] && [ ! -e "$incdir/mach" ]; then ok
else fail "Apple-named headers installed where they shadow the system's"; fi
kcflags=$($pkgc --cflags libkctl-kpi)
case $kcflags in
"-I$incdir/libkctl-kpi "*) ok ;;
*) fail "libkctl-kpi's Cflags do not put its header folder first: $kcflags" ;;
esac
for want in -DKERNEL -D__APPLE_CC__=6000 -D__APPLE__; do
	case " $kcflags " in *" $want "*) ok ;; *) fail "Cflags lack $want: $kcflags" ;; esac
done
case " $kcflags $($pkgc --libs libkctl-kpi) " in
*" -W"[!l]*) fail "libkctl-kpi.pc imposes a warning flag: $kcflags" ;;
*) ok ;;
esac

# ---- 2. each header alone, with a kext's flags made strict ----
hdrs=$(cd "$incdir/libkctl-kpi" && find . -name '*.h' ! -name '_*' | sed 's|^\./||' | sort)
for std in gnu99 c11; do
	bad=0
	for h in $hdrs; do
		printf '#include <%s>\nint kctl_header_test;\n' "$h" >"$tmp/h.c"
		# shellcheck disable=SC2086
		if ! $cc $kcflags -std=$std -Wall -Wextra -Wpedantic -Werror -fsyntax-only \
			"$tmp/h.c" 2>"$tmp/h.log"; then
			fail "<$h> is not clean with -std=$std -Wall -Wextra -Wpedantic:"
			sed 's/^/    /' "$tmp/h.log" | head -n 8; bad=1
		fi
	done
	[ $bad = 0 ] && ok
done

# ---- 3. examples/kext-minimal from its Makefile ----
cp -r "$src/examples/kext-minimal" "$tmp/ex"
rm -f "$tmp/ex/meson.build"
# a user's own build: nothing of the make that may be running `make check` around us
if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$tmp/ex" PKG_CONFIG="$pkgc" KEXTBUNDLE="$kextbundle" CC="$cc $extra" \
	>"$tmp/make.log" 2>&1 && ! grep -q warning "$tmp/make.log"; then
	ok
	if out=$(cd "$tmp/ex" && LD_LIBRARY_PATH=$libdir ./load ./Minimal.so 2>&1) &&
		echo "$out" | grep -q "hello, libkctl" &&
		echo "$out" | grep -q "loaded org.libkctl.example.minimal"; then ok
	else fail "kext-minimal did not answer: $out"; fi
else
	fail "kext-minimal does not build quietly from its Makefile:"; cat "$tmp/make.log"
fi

# ---- 4. the test kexts, from the installed tree, under the kpi suites ----
if KEXTBUNDLE=$kextbundle KEXT_CC="$cc" KEXT_CFLAGS="$kcflags $extra" \
	KEXT_LIBS="$($pkgc --libs libkctl-kpi)" \
	sh "$src/tests/kpi/kexts/build-kexts.sh" "$src/tests/kpi/kexts/kexts.txt" \
	"$src/tests/kpi/kexts" "$tmp/kexts"; then
	ok
	for suite in "$@"; do
		if KPI_KEXT_DIR=$tmp/kexts LD_LIBRARY_PATH=$libdir CMOCKA_MESSAGE_OUTPUT=stdout \
			"$build/tests/kpi/$suite" >"$tmp/suite.log" 2>&1; then ok
		else fail "$suite on the installed-tree kexts:"; tail -n 20 "$tmp/suite.log"; fi
	done
else
	fail "the test kexts do not build against the installed tree"
fi

# ---- 5. the installed kctl, from the install tree ----
if out=$(LD_LIBRARY_PATH=$libdir LD_DEBUG=files "$root/bin/kctl" -S request \
	org.libkctl.sample 1 "from the install tree" 2>"$tmp/ld.log") &&
	[ "$out" = "from the install tree" ]; then ok
else fail "the installed kctl -S did not answer: $out"; head -n 5 "$tmp/ld.log"; fi
# glibc's loader names every file it opens: the sample must be the install tree's
opened=$(grep -o "file=[^ ]*Sample.so" "$tmp/ld.log" | head -n 1 | sed 's/^file=//')
if [ -n "$opened" ]; then
	case $(cd "$(dirname "$opened")" && pwd -P)/Sample.so in
	"$(cd "$libdir" && pwd -P)/libkctl-kpi/Sample.so") ok ;;
	*) fail "kctl -S opened another Sample.so: $opened" ;;
	esac
else
	echo "note: this C library does not report opened files (LD_DEBUG); path not checked"
fi

echo "$pass passed, $failn failed"
[ $failn = 0 ]
