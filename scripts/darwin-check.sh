#!/usr/bin/env bash
# Compiles the macOS-only sources against Apple's published headers (no Mac needed),
# through ../shared/tools/darwin-check. Needs local copies of apple-oss-distributions
# xnu, Libc, libpthread and libmalloc (bare git dirs or checkouts), found through
# XNU_SRC / LIBC_SRC / PTHREAD_SRC / MALLOC_SRC or under $APPLE_SRC (default
# /work/.mirror/apple-oss-distributions+NAME/repo). Nothing from them is copied here.
#
#   scripts/darwin-check.sh user   the library core and its Darwin backend
#   scripts/darwin-check.sh kext   the frame codec and the sample kext as kernel code
#   scripts/darwin-check.sh all    both (the default)
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
export DARWIN_CHECK_CACHE=${DARWIN_CHECK_CACHE:-$(mktemp -d)}

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
  "$tool" user lib/darwin/sys_darwin.c "${core[@]}" -- -Iinclude -Ilib \
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
exit $status
