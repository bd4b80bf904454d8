#!/bin/sh
# Builds the test kexts of kexts.txt into OUTDIR the way an out-of-tree kext is built
# against libkctl-kpi, and fails if the compiler prints anything: a kext's usual -Wall
# must be quiet (Apple's #pragma unused, #pragma mark and __private_extern__ included).
#
#   build-kexts.sh MANIFEST SRCDIR OUTDIR
#   environment: KEXTBUNDLE (the kextbundle to run), KEXT_CC (the compiler, may be
#   several words), KEXT_CFLAGS and KEXT_LIBS (from `pkg-config --cflags/--libs
#   libkctl-kpi`, or the build tree's equivalents)
set -eu
manifest=$1 src=$2 out=$3
: "${KEXTBUNDLE:?}" "${KEXT_CC:?}" "${KEXT_CFLAGS?}" "${KEXT_LIBS?}"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
while read -r name id start stop source extra; do
	case $name in '' | '#'*) continue ;; esac
	info=
	if [ "$id" != - ]; then
		info=$tmp/${name}_info.c
		"$KEXTBUNDLE" kmod "MODULE_NAME=$id" MODULE_VERSION=1.0.0 "MODULE_START=$start" \
			"MODULE_STOP=$stop" "$info"
	fi
	# shellcheck disable=SC2086
	if ! $KEXT_CC $KEXT_CFLAGS -Wall $extra -I"$src" -shared -o "$out/$name.so" \
		"$src/$source" $info $KEXT_LIBS >"$tmp/log" 2>&1; then
		echo "FAIL: $name does not build:"; cat "$tmp/log"; status=1
	elif [ -s "$tmp/log" ]; then
		echo "FAIL: $name builds with warnings under -Wall:"; cat "$tmp/log"; status=1
	fi
done <"$manifest"
exit $status
