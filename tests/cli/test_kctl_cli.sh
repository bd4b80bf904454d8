#!/bin/sh
# The kctl tool, run as a user would, against the sample kext in its -S simulated kernel.
kctl=$1
pass=0 failn=0
check() { # name expected-exit expected-output command...
	name=$1 want_rc=$2 want=$3
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	case $out in
	*"$want"*) ok_out=1 ;;
	*) ok_out=0 ;;
	esac
	if [ "$rc" = "$want_rc" ] && [ $ok_out = 1 ]; then
		pass=$((pass + 1))
	else
		failn=$((failn + 1))
		echo "FAIL: $name: exit $rc (want $want_rc), output: $out"
	fi
}
check "id prints the sample's id" 0 "1" "$kctl" -S id org.libkctl.sample
check "count sees both sample controls" 0 "2" "$kctl" -S count
check "an echo request comes back" 0 "hello kext" "$kctl" -S request org.libkctl.sample 1 "hello kext"
check "the stream control answers too" 0 "via stream" "$kctl" -S -s request org.libkctl.sample.stream 1 "via stream"
check "a u64 option is printed" 0 "0" "$kctl" -S get org.libkctl.sample 1 u64
check "the size query answers" 0 "" "$kctl" -S get org.libkctl.sample 3 size
check "an option is set" 0 "" "$kctl" -S set org.libkctl.sample 2 u32 4
check "an unknown request is refused with a sentence" 1 "not supported" "$kctl" -S request org.libkctl.sample 99
check "an unknown control is ENOENT" 1 "ENOENT (No such file or directory): the kernel has no control registered under this name" "$kctl" -S id org.libkctl.nope
check "a 96-byte name is refused" 1 "EINVAL (Invalid argument): libkctl refused the control name before any syscall" "$kctl" -S id "$(printf '%096d' 0)"
check "without a Mac the native kernel says so" 1 "only on macOS" "$kctl" id org.libkctl.sample
check "bad usage exits 2" 2 "usage" "$kctl" frobnicate
check "a unit beyond 32 bits is bad usage" 2 "usage" "$kctl" -u 4294967296 count
check "a unit above 65535 is a valid unit" 0 "" "$kctl" -S -u 70000 get org.libkctl.sample 3 size
echo "$pass passed, $failn failed"
[ $failn = 0 ]
