# tests/lib/tap.sh: TAP-style lines for tests/run (POSIX sh, sourced).
#   ok - description / not ok - description / ok - description # SKIP why
# tap_done prints the plan and returns 1 if anything failed.

_tap_n=0
_tap_fail=0

tap_ok() {
	_tap_n=$((_tap_n + 1))
	echo "ok - $*"
}

tap_fail() {
	_tap_n=$((_tap_n + 1))
	_tap_fail=$((_tap_fail + 1))
	echo "not ok - $*"
}

# tap_skip DESCRIPTION REASON
tap_skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok - $1 # SKIP $2"
}

diag() {
	echo "# $*"
}

# tap_check STATUS DESCRIPTION: ok if STATUS is 0.
tap_check() {
	_tc=$1
	shift
	if [ "$_tc" -eq 0 ]; then tap_ok "$@"; else tap_fail "$@"; fi
}

# tap_is GOT EXPECTED DESCRIPTION
tap_is() {
	if [ "x$1" = "x$2" ]; then
		tap_ok "$3"
	else
		tap_fail "$3"
		diag "  got:      '$1'"
		diag "  expected: '$2'"
	fi
}

# tap_like GOT ERE DESCRIPTION
tap_like() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		tap_ok "$3"
	else
		tap_fail "$3"
		diag "  got:      '$1'"
		diag "  expected: match /$2/"
	fi
}

# tap_ge GOT MIN DESCRIPTION: ok if the integer GOT >= MIN
tap_ge() {
	if [ "${1:-0}" -ge "$2" ] 2>/dev/null; then
		tap_ok "$3"
	else
		tap_fail "$3"
		diag "  got:      '$1'"
		diag "  expected: at least $2"
	fi
}

# tap_skip_all REASON: the whole script cannot run here.
tap_skip_all() {
	echo "ok - $(basename "$0") # SKIP $1"
	echo "# SKIPPED: $1" >&2
	exit 0
}

# tap_need_built PATH: the tests cannot run without the program PATH:
# one failure (not a skip: a missing build is an error), the plan, exit 1.
tap_need_built() {
	[ -x "$1" ] && return 0
	tap_fail "$1 not built"
	tap_done
	exit 1
}

tap_done() {
	echo "1..$_tap_n"
	[ $_tap_fail -eq 0 ] && return 0
	diag "$_tap_fail of $_tap_n failed"
	return 1
}
