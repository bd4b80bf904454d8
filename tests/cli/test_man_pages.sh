#!/bin/sh
# The tools' manuals: kctl.1 and kctl-sim.1 are clean under `mandoc -Tlint` (every
# message counts, down to STYLE, but "referenced manual not found": that depends on
# which manuals this machine has), and every option the tools' --help lists, for the
# tool and for each of its commands, is documented in the manual.
#   test_man_pages.sh MANDOC KCTL KCTL_1 [KCTL_SIM KCTL_SIM_1]
set -u
mandoc=$1 kctl=$2 kctl_man=$3 sim=${4:-} sim_man=${5:-}
pass=0 failn=0
ok() { pass=$((pass + 1)); }
bad() { failn=$((failn + 1)); echo "FAIL: $*"; }

lint() { # page
	msgs=$("$mandoc" -Tlint -Wstyle "$1" 2>&1 | grep -v 'referenced manual not found' |
		grep -v 'outdated mandoc.db')
	if [ -z "$msgs" ]; then ok; else bad "mandoc -Tlint $1:"; echo "$msgs"; fi
}

# every --long option in the help text appears as --long in the rendered manual
covered() { # help-text rendered-manual what
	for opt in $(printf '%s\n' "$1" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		if printf '%s\n' "$2" | grep -q -- "$opt"; then ok
		else bad "$3: $opt is in --help but not in the manual"; fi
	done
}

lint "$kctl_man"
text=$("$mandoc" -Tascii "$kctl_man" | col -b)
covered "$("$kctl" --help)" "$text" "kctl"
for cmd in $("$kctl" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }'); do
	covered "$("$kctl" "$cmd" --help)" "$text" "kctl $cmd"
	# each command is an item of COMMANDS
	if printf '%s\n' "$text" | grep -Eq "^     $cmd( |\$)"; then ok
	else bad "kctl $cmd has no entry in kctl.1"; fi
done
# each exit status of --help is in EXIT STATUS
for st in 0 1 2 3 4 5; do
	if printf '%s\n' "$text" | sed -n '/^EXIT STATUS/,/^EXAMPLES/p' | grep -Eq "^     $st[[:space:]]"; then ok
	else bad "kctl.1 does not list exit status $st"; fi
done
if [ -n "$sim" ]; then
	lint "$sim_man"
	covered "$("$sim" --help)" "$("$mandoc" -Tascii "$sim_man" | col -b)" "kctl-sim"
fi
echo "$pass passed, $failn failed"
[ $failn = 0 ]
