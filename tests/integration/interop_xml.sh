#!/bin/sh
# interop_xml.sh: every Junos XML reply in ../shared/corpus/xml goes
# through the NETCONF parser (tests/tools/ibxml), and this reports, per
# file, what was extracted: hostname, model, chassis serial, version,
# members and items.  A reply must parse (rc 0) unless it is an error
# reply (rc 1); nothing may crash or be refused as malformed (rc -1).
# The exact values are pinned by the goldens of test_xmlparse; this is
# the human-readable interop report.
IB_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$IB_ROOT/tests/lib/tap.sh"
IB_CORPUS=${IB_CORPUS:-$IB_ROOT/../shared/corpus}
BUILD=${BUILD:-build}
IBXML=$IB_ROOT/$BUILD/tools/ibxml
[ -d "$IB_CORPUS/xml" ] || tap_skip_all "corpus absent: $IB_CORPUS/xml"
tap_need_built "$IBXML"
out=$(mktemp)
list=$(mktemp)
trap 'rm -f "$out" "$list"' EXIT
find "$IB_CORPUS/xml" -name '*.xml' | sort >"$list"
while read -r f; do
	case $f in
	*software-information*|*_command.xml) rpc=software ;;
	*virtual-chassis*) rpc=vc ;;
	*chassis-inventory*) rpc=chassis ;;
	*) continue ;;
	esac
	rel=${f#"$IB_CORPUS"/xml/}
	"$IBXML" "$rpc" "$f" >"$out" 2>&1
	st=$?
	rc=$(sed -n 's/^xml\.0\.rc=//p' "$out")
	v() { sed -n "s/^$1=//p" "$out" | head -1; }
	members=$(grep -c '^item\.[0-9]*\.kind=member$' "$out")
	echo "# $rel [$rpc]: rc=$rc host=$(v hostname) model=$(v model) serial=$(v serial) version=$(v version) members=$members items=$(v nitems)${rc:+}$( [ "$rc" = 1 ] && printf ' err=%s' "$(sed -n 's/^xml\.0\.err=//p' "$out")")"
	if [ -z "$rc" ] || [ $st -gt 1 ]; then
		tap_fail "$rel: ibxml exit $st"
	elif [ "$rc" = 0 ] || { [ "$rc" = 1 ] && grep -q 'error\|<rpc-error\|<xnm:error' "$f"; }; then
		tap_ok "$rel: parsed (rc $rc)"
	else
		tap_fail "$rel: rc $rc"
	fi
done <"$list"
tap_done
