#!/usr/bin/env bash
# Compiles the macOS-only sources against Apple's published headers (no Mac needed),
# through ../shared/tools/darwin-check. Needs local copies of apple-oss-distributions
# xnu, Libc, libpthread and libmalloc (bare git dirs or checkouts), found through
# XNU_SRC / LIBC_SRC / PTHREAD_SRC / MALLOC_SRC or under $APPLE_SRC (default
# /work/.mirror/apple-oss-distributions+NAME/repo). Nothing from them is copied here.
#
#   scripts/darwin-check.sh user   the library core and its Darwin backend
#   scripts/darwin-check.sh kext   the frame codec and the sample kext as kernel code
#   scripts/darwin-check.sh kpi    the test kexts and examples/kext-minimal as kernel code,
#                                  each against the KPI bundles a Mac build would link
#   scripts/darwin-check.sh all    all three (the default)
# Exit 0 when all compile, 1 when something does not, 77 when the sources are absent.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tool=${DARWIN_CHECK:-$here/../shared/tools/darwin-check}
base=${APPLE_SRC:-/work/.mirror/apple-oss-distributions}
export XNU_SRC=${XNU_SRC:-$base+xnu/repo}
export LIBC_SRC=${LIBC_SRC:-$base+Libc/repo}
export PTHREAD_SRC=${PTHREAD_SRC:-$base+libpthread/repo}
MALLOC_SRC=${MALLOC_SRC:-$base+libmalloc/repo}
for d in "$XNU_SRC" "$LIBC_SRC" "$PTHREAD_SRC" "$MALLOC_SRC"; do
  if [[ ! -d $d ]]; then
    echo "darwin-check.sh: SKIPPED: Apple's sources are not here ($d missing)" >&2
    exit 77
  fi
done
[[ -x $tool ]] || { echo "darwin-check.sh: SKIPPED: no $tool" >&2; exit 77; }
if [[ -z ${DARWIN_CHECK_CACHE:-} ]]; then
  DARWIN_CHECK_CACHE=$(mktemp -d)
  trap 'rm -rf "$DARWIN_CHECK_CACHE"' EXIT
fi
export DARWIN_CHECK_CACHE

# <stdlib.h> needs libmalloc's headers, which darwin-check does not unpack itself.
malloc_inc=$DARWIN_CHECK_CACHE/libmalloc
if [[ ! -e $malloc_inc/.done ]]; then
  mkdir -p "$malloc_inc"
  if [[ -d $MALLOC_SRC/objects ]]; then
    git --git-dir="$MALLOC_SRC" archive HEAD include | tar -x -C "$malloc_inc"
  else
    (cd "$MALLOC_SRC" && tar -cf - include) | tar -x -C "$malloc_inc"
  fi
  touch "$malloc_inc/.done"
fi

mode=${1:-all}
status=0
cd "$here"
if [[ $mode == user || $mode == all ]]; then
  mapfile -t core < <(ls lib/*.c | grep -v -e sys_host.c -e abi_host.c)
  # the SDK installs libpthread's include/pthread/*.h as <pthread.h> etc.
  # docs/*.c: macOS sketches (the kqueue event loop), checked the same way
  "$tool" user lib/darwin/sys_darwin.c "${core[@]}" docs/*.c -- -Iinclude -Ilib \
    -isystem "$malloc_inc/include" -isystem "$DARWIN_CHECK_CACHE/pthread/include/pthread" \
    -D_DARWIN_C_SOURCE -D_POSIX_C_SOURCE=200809L \
    -DKCTL_VERSION_STRING='"check"' -Wpedantic -Werror -Wshadow -Wstrict-prototypes \
    -Wmissing-prototypes || status=1
  # the kctl tool as a Mac builds it (nosim.c, not the simulator's files), and the
  # client examples a Mac runs
  mapfile -t kctl_tool < <(ls tools/kctl/*.c | grep -v -e '/sim\.c$' -e '/sample_path\.c$')
  "$tool" user "${kctl_tool[@]}" examples/minimal-client.c examples/request-reply.c \
    examples/list-controls.c examples/utun-echo.c examples/unit-test/thermo.c \
    examples/unit-test/tunnel.c -- -Iinclude -Ilib -Ikext-sample \
    -isystem "$malloc_inc/include" -isystem "$DARWIN_CHECK_CACHE/pthread/include/pthread" \
    -D_DARWIN_C_SOURCE -D_POSIX_C_SOURCE=200809L \
    -DKCTL_VERSION_STRING='"check"' -Wpedantic -Werror -Wshadow -Wstrict-prototypes \
    -Wmissing-prototypes || status=1
fi
if [[ $mode == kext || $mode == all ]]; then
  if [[ -x kext-sample/darwin-check-kext.sh ]]; then
    kext-sample/darwin-check-kext.sh "$tool" || status=1
  fi
fi
if [[ $mode == kpi || $mode == all ]]; then
  # The kexts libkctl-kpi's tests load, checked as the macOS kexts they claim to be: each
  # compiles with Apple's headers and links against the bundles named (no libkctl-kpi
  # header is on the path). "FILE BUNDLES [CLANG_ARGS...]", bundles without com.apple.kpi.
  # Not here: cxx_and_mac.c and unknown_kpi.c, which call what no kernel exports on
  # purpose, and no_kmod_info.c, which is no kext.
  kexts=(
    "tests/kpi/kexts/echo_kext.c bsd,libkern,iokit"
    "tests/kpi/kexts/sampler_kext.c bsd,libkern,mach"
    "tests/kpi/kexts/sampler_kext.c bsd,libkern,mach -DMACH_ASSERT=1"
    "tests/kpi/kexts/rules_kext.c bsd,libkern"
    "tests/kpi/kexts/batch_kext.c bsd,libkern,private"
    "tests/kpi/kexts/batch_kext.c bsd,libkern,private -DBATCH_NO_FLAGS"
    "tests/kpi/kexts/failing_start.c bsd,libkern"
    "tests/kpi/kexts/forgetful_stop.c bsd,libkern"
    "tests/kpi/kexts/leaky.c bsd,libkern,mach"
    "tests/kpi/kexts/panicky.c bsd,libkern -DPANIC_IN_START"
    "tests/kpi/kexts/panicky.c bsd,libkern -DPANIC_IN_STOP"
    "tests/kpi/kexts/panicky.c bsd,libkern -DPANIC_IN_SEND"
    "tests/kpi/kexts/filters.c bsd,libkern"
    "examples/kext-minimal/minimal.c bsd,libkern"
  )
  # <IOKit/IOLib.h> reaches <mach/*.h> headers that xnu's build generates with MIG (the
  # kernel-side RPC stubs; a kext calls none of them) and <pexpert/*.h>, which
  # darwin-check does not unpack: empty stand-ins for the first, xnu's own for the second.
  gen=$DARWIN_CHECK_CACHE/kpi-gen
  if [[ ! -e $gen/.done ]]; then
    mkdir -p "$gen/mach" "$gen/xnu"
    for h in clock clock_priv clock_reply_server exc_server host_priv host_security \
             mach_exc_server mach_host mach_port notify_server processor processor_set task \
             thread_act vm_map upl; do
      : >"$gen/mach/$h.h"
    done
    if [[ -d $XNU_SRC/objects ]]; then
      git --git-dir="$XNU_SRC" archive HEAD pexpert | tar -x -C "$gen/xnu"
    else
      (cd "$XNU_SRC" && tar -cf - pexpert) | tar -x -C "$gen/xnu"
    fi
    touch "$gen/.done"
  fi
  log=$DARWIN_CHECK_CACHE/kpi.log
  for k in "${kexts[@]}"; do
    read -r -a w <<<"$k"
    src=${w[0]} libs=com.apple.kpi.${w[1]//,/,com.apple.kpi.}
    what="$src${w[2]:+ ${w[*]:2}}"
    # os_log's macros take the address of __dso_handle, which Apple's linker defines in
    # every image it links (and libkctl-kpi's loader in every module it loads): a symbol
    # of the kext itself, not one the kernel exports, so darwin-check's complaint about
    # it alone is no failure.
    if "$tool" kpi --libs "$libs" "$src" -- -I "$(dirname "$src")" -isystem "$gen" \
         -isystem "$gen/xnu/pexpert" -DXNU_PLATFORM_MacOSX=1 -Werror -Wextra \
         -Wno-unused-parameter -Wno-deprecated-declarations "${w[@]:2}" >"$log" 2>&1; then
      echo "darwin-check.sh: $what ok (${w[1]})"
    elif grep -q 'not exported by' "$log" \
         && ! grep -v -e '^darwin-check: ___dso_handle is not exported by ' "$log" \
              | grep -q -e 'not exported by' -e 'error' -e 'warning' -e 'does not compile'; then
      echo "darwin-check.sh: $what ok (${w[1]}; ___dso_handle from the linker)"
    else
      cat "$log" >&2
      echo "darwin-check.sh: $what FAILED" >&2
      status=1
    fi
  done
fi
exit $status
