#!/bin/sh
# The ABI promise: each shared library exports exactly the functions its public headers
# declare with KCTL_API, and has a SONAME. Runs where nm -D and readelf exist (ELF).
set -eu
build=$1 src=$2
fail=0
check() { # lib headers...
	lib=$1; shift
	# preprocessor lines and comments out, then every "KCTL_API ... name(" declaration
	declared=$(grep -hv '^[[:space:]]*#' "$@" | tr '\n' ' ' |
		sed 's|/\*[^*]*\*\+\([^/*][^*]*\*\+\)*/||g' | grep -oE 'KCTL_API[^;(]*\(' |
		grep -oE '[A-Za-z_][A-Za-z0-9_]*[[:space:]]*\($' | tr -d ' (' | sort -u)
	exported=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBR]$/ {print $3}' | sed 's/@.*//' | sort -u)
	if [ "$declared" != "$exported" ]; then
		echo "FAIL: $(basename "$lib") exports differ from its headers:"
		printf '%s\n' "$declared" >"$build/abi.declared"
		printf '%s\n' "$exported" >"$build/abi.exported"
		diff "$build/abi.declared" "$build/abi.exported" || true
		fail=1
	else
		echo "ok: $(basename "$lib") exports the $(echo "$exported" | wc -l) functions its headers declare"
	fi
	soname=$(readelf -d "$lib" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
	case $soname in
	*.so.0) echo "ok: SONAME $soname" ;;
	*) echo "FAIL: SONAME is '$soname'"; fail=1 ;;
	esac
}
frame_h=""
[ -f "$src/include/kctl_frame.h" ] && frame_h="$src/include/kctl_frame.h"
check "$build/lib/libkctl.so" "$src/include/kctl.h" $frame_h
check "$build/lib/libkctl-sim.so" "$src/include/kctl_sim.h" ${KCTL_ABI_EXTRA_SIM_HEADERS:-}
if [ $fail = 0 ]; then echo "2 passed, 0 failed"; else echo "0 passed, 2 failed"; fi
exit $fail
