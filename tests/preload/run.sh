#!/bin/sh
# The drop-in, as a user meets it: meson install into a scratch folder, Mac-style client
# programs compiled with `pkg-config --cflags --libs libkctl-darwin` from that folder,
# and each run with the installed `kctl-sim run`. Every client checks itself and says
# "N passed, M failed"; this script counts the clients (and its own checks).
#   run.sh BUILD SRC CC [EXTRA_CFLAGS]
set -eu
build=$1 src=$2 cc=${3:-cc} extra=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset LD_LIBRARY_PATH # meson test points it at the build: only the install tree counts
meson install -C "$build" --destdir "$tmp/root" --no-rebuild --quiet >/dev/null
pc=$(find "$tmp/root" -name libkctl-darwin.pc | head -n 1)
[ -n "$pc" ] || { echo "FAIL: no libkctl-darwin.pc installed"; exit 1; }
prefix=$(sed -n 's/^prefix=//p' "$pc")
root=$tmp/root$prefix
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
pcf() { pkg-config --define-variable=prefix="$root" "$@"; }
kctl_sim=$root/bin/kctl-sim
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# The sample kext and libkctl-kpi come from the install tree once it has them.
sample=$(find "$tmp/root" -name Sample.so | head -n 1)
if [ -z "$sample" ]; then
	sample=$build/kext-sample/Sample.so
	echo "NOTE: the install tree has no Sample.so; using the build's $sample"
fi
libdir=$(pcf --variable=libdir libkctl-darwin)
if [ ! -e "$libdir/libkctl-kpi.so.0" ]; then
	echo "NOTE: the install tree has no libkctl-kpi; the preload finds the build's"
	LD_LIBRARY_PATH=$build/lib/kpi${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
	export LD_LIBRARY_PATH
fi
# A gcc sanitizer runtime must come first in the preload list (clang links it in).
case "$extra:$($cc --version 2>/dev/null | head -n 1)" in
*address*:*gcc*|*address*:*GCC*) LD_PRELOAD=$($cc -print-file-name=libasan.so); export LD_PRELOAD ;;
esac

flags="$(pcf --cflags --libs libkctl-darwin) -Wl,-rpath,$libdir"

# What the two libraries export: the preload exactly the libc names of its map, and
# libkctl-darwin only sysctlbyname.
exports() { nm -D --defined-only "$1" | awk '$2 ~ /^[TW]$/ {print $3}' | sed 's/@.*//' | sort -u; }
if command -v nm >/dev/null 2>&1; then
	want=$(sed -n '/global:/,/local:/p' "$src/lib/preload/libkctl-preload.map" |
		grep -v 'global:\|local:' | tr ';' '\n' | tr -d ' \t' | grep . | sort -u)
	got=$(exports "$libdir/libkctl-preload.so")
	[ "$want" = "$got" ] && ok || bad "libkctl-preload exports: $(echo $got)"
	got=$(exports "$(ls "$libdir"/libkctl-darwin.so.0* | head -n 1)")
	[ "$got" = sysctlbyname ] && ok || bad "libkctl-darwin exports: $(echo $got)"
fi
echo "pkg-config --cflags --libs libkctl-darwin: $flags"

# The headers alone, under a user's strictest flags, in C and C++.
cat >"$tmp/hdr.c" <<'C'
#include <sys/socket.h>
#include <sys/kern_control.h>
#include <sys/sys_domain.h>
#include <sys/sysctl.h>
#include <net/if_utun.h>
typedef char sockaddr_ctl_is_32[sizeof(struct sockaddr_ctl) == 32 ? 1 : -1];
typedef char ctl_info_is_100[sizeof(struct ctl_info) == 100 ? 1 : -1];
#ifdef PRIVATE
typedef char xkctl_reg_is_200[sizeof(struct xkctl_reg) == 200 ? 1 : -1];
typedef char xsystmgen_is_32[sizeof(struct xsystmgen) == 32 ? 1 : -1];
#endif
int main(void) { return PF_SYSTEM + SO_NOSIGPIPE + SYSPROTO_CONTROL + AF_SYS_CONTROL +
	UTUN_OPT_IFNAME + (int)(CTLIOCGINFO & 0xff) - 32 - 0x1022 - 2 - 2 - 2 - 3; }
C
hdr_ok=1
for std in c99 c11 gnu17; do
	for p in "" -DPRIVATE; do
		# shellcheck disable=SC2086
		$cc -std=$std $p -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes \
			-Wundef -Wcast-align $extra $flags -o "$tmp/hdr" "$tmp/hdr.c" || hdr_ok=0
		"$tmp/hdr" || hdr_ok=0
	done
done
if command -v c++ >/dev/null 2>&1 && [ -z "$extra" ]; then
	cp "$tmp/hdr.c" "$tmp/hdr.cc"
	# shellcheck disable=SC2086
	c++ -std=c++17 -Wall -Wextra -Wpedantic -Werror $(pcf --cflags libkctl-darwin) -c \
		-o "$tmp/hdr.o" "$tmp/hdr.cc" || hdr_ok=0
fi
[ $hdr_ok = 1 ] && ok || bad "the Darwin headers are not warning-free under strict flags"

# The clients: Mac code with Darwin's headers; the sample's protocol from the source tree.
build_client() { # name [more flags]
	n=$1; shift
	# shellcheck disable=SC2086
	$cc -std=gnu11 -O2 -D_FORTIFY_SOURCE=2 -Wall -Wextra -Werror -pthread $extra \
		-I"$src/kext-sample" -I"$src/tests/preload" -o "$tmp/$n" \
		"$src/tests/preload/$n.c" $flags "$@"
}
for n in client_sample client_errors client_findfd client_process client_dup client_poll \
	client_threads client_utun client_reglist; do
	build_client $n || { bad "$n does not build"; continue; }
done
# shellcheck disable=SC2086
$cc -std=c11 -Wall -Wextra -Werror $extra -I"$src/kext-sample" -o "$tmp/client_libkctl" \
	"$src/tests/preload/client_libkctl.c" $(pcf --cflags --libs libkctl) \
	-Wl,-rpath,"$libdir" || bad "client_libkctl does not build"
# the example as a user builds it, and the network the tests put behind utun
# shellcheck disable=SC2086
$cc -std=c11 -Wall -Wextra -Werror $extra -o "$tmp/utun-echo" "$src/examples/utun-echo.c" \
	$(pcf --cflags --libs libkctl) -Wl,-rpath,"$libdir" || bad "utun-echo does not build"
# shellcheck disable=SC2086
$cc -std=gnu11 -Wall -Wextra -Werror $extra -o "$tmp/net_peer" "$src/tests/preload/net_peer.c" ||
	bad "net_peer does not build"

# run NAME [kctl-sim options] -- ARGS: the client under kctl-sim, its output kept
run() {
	n=$1; shift
	out=$tmp/$n.out
	if "$kctl_sim" run --kext "$sample" "$@" >"$out" 2>"$tmp/$n.err"; then
		ok
	else
		bad "$n ($*): exit $?"
		cat "$tmp/$n.err"
	fi
	grep -v '^\[kext\]' "$out" || true
}
EXPECT_CONTROLS=3 run client_sample -- "$tmp/client_sample" # utun and the sample's two
run client_errors --euid 501 -- "$tmp/client_errors"
run client_findfd -- "$tmp/client_findfd"
run client_process -- "$tmp/client_process"
run client_dup -- "$tmp/client_dup"
run client_poll -- "$tmp/client_poll"
run client_threads -- "$tmp/client_threads"
run client_libkctl -- "$tmp/client_libkctl"
"$tmp/client_libkctl" --plain && ok || bad "client_libkctl --plain"

# utun: a raw-BSD opener behind a network that reflects every packet, then as a user;
# the registration list as netstat reads it; utun-echo answering pings from the network.
peer() { # name net_peer-args...
	n=$1; shift
	if "$tmp/net_peer" "$@" >"$tmp/$n.out" 2>"$tmp/$n.err"; then ok; else
		bad "$n: exit $?"; cat "$tmp/$n.err"; fi
	cat "$tmp/$n.out"
}
peer client_utun -- "$kctl_sim" run --euid 0 --net @NET@ -- "$tmp/client_utun"
run client_utun_user --euid 501 -- "$tmp/client_utun" --as-user
run client_reglist -- "$tmp/client_reglist"
peer utun_echo --icmp 8 -- "$kctl_sim" run --euid 0 --net @NET@ -- "$tmp/utun-echo"

# Process exit closes what the program left open: the kext's disconnect, then its stop.
run client_exit -- "$tmp/client_process" --exit-open
if grep -q 'sample: unit 1 disconnected' "$tmp/client_exit.err" &&
	grep -q 'sample: stopped' "$tmp/client_exit.err"; then ok; else
	bad "exit did not disconnect the open socket"; cat "$tmp/client_exit.err"; fi

# The launcher's own errors.
"$kctl_sim" --version | grep -q '^kctl-sim [0-9]' && ok || bad "kctl-sim --version"
st=0; "$kctl_sim" run --kext "$sample" 2>/dev/null || st=$?
[ $st = 2 ] && ok || bad "no program: exit $st, want 2"
st=0; "$kctl_sim" run --kext "$tmp/none.so" -- true 2>/dev/null || st=$?
[ $st = 2 ] && ok || bad "missing kext: exit $st, want 2"
st=0; "$kctl_sim" run -- "$tmp/no-such-program" 2>/dev/null || st=$?
[ $st = 127 ] && ok || bad "missing program: exit $st, want 127"
st=0; "$kctl_sim" run --kext "$src/README.md" -- "$tmp/client_findfd" 2>"$tmp/bad.err" || st=$?
if [ $st = 127 ] && grep -q 'cannot load kext' "$tmp/bad.err"; then ok; else
	bad "a module that does not load: exit $st, want 127"; fi

echo "$passed passed, $failed failed"
[ $failed = 0 ]
