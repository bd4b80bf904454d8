#!/bin/sh
# The ABI promise for libkctl-kpi: it exports exactly the functions its headers declare
# (kctl_kpi.h's KCTL_API functions and the Apple-named headers' KPI, except the families
# declared only so that such kexts compile: sockets, socket filters, IP filters) and the
# data they declare extern, and it has a SONAME. The declarations are read by the
# compiler itself (gcc -aux-info), so macros and static inline helpers are told apart.
#   abi_kpi.sh BUILD SRC GCC
set -eu
build=$1 src=$2 gcc=$3
lib=$build/lib/kpi/libkctl-kpi.so
inc=$src/lib/kpi/include
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
	(cd "$inc" && find . -name '*.h' ! -name '_*' | sed 's|^\./||' | sort) |
		sed 's|.*|#include <&>|'
	echo '#include "kctl_kpi.h"'
} >"$tmp/all.c"
"$gcc" -D_DEFAULT_SOURCE -DKERNEL -DKERNEL_PRIVATE -DPRIVATE -I"$inc" -I"$src/include" \
	-aux-info "$tmp/aux" -fsyntax-only "$tmp/all.c"
grep -E "^/\* ($inc|$src/include/kctl_kpi.h)" "$tmp/aux" | grep -v ' static ' |
	grep -v -e '/sys/kpi_socket.h:' -e '/sys/kpi_socketfilter.h:' -e '/netinet/kpi_ipfilter.h:' |
	sed 's|^/\*[^*]*\*/ *||' | grep -oE '[A-Za-z_][A-Za-z0-9_]* \(' | sed 's/ ($//' |
	sort -u >"$tmp/declared"
nm -D --defined-only "$lib" | awk '$2 ~ /^[T]$/ {print $3}' | sed 's/@.*//' | sort -u \
	>"$tmp/exported"
fail=0
if ! diff "$tmp/declared" "$tmp/exported" >"$tmp/diff"; then
	echo "FAIL: libkctl-kpi's exported functions differ from its headers' (< declared, > exported):"
	cat "$tmp/diff"
	fail=1
else
	echo "ok: libkctl-kpi exports the $(wc -l <"$tmp/exported") functions its headers declare"
fi
for data in $(nm -D --defined-only "$lib" | awk '$2 ~ /^[DBR]$/ {print $3}' | sed 's/@.*//'); do
	if ! grep -rqE "extern [^;]*\b$data;" "$inc" "$src/include/kctl_kpi.h"; then
		echo "FAIL: libkctl-kpi exports data $data that no header declares extern"
		fail=1
	fi
done
soname=$(readelf -d "$lib" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
if [ "$soname" = libkctl-kpi.so.0 ]; then echo "ok: SONAME $soname"
else echo "FAIL: SONAME is '$soname'"; fail=1; fi
if [ $fail = 0 ]; then echo "2 passed, 0 failed"; else echo "0 passed, 1 failed"; fi
exit $fail
