#!/bin/sh
# tests/valgrind.sh: every unit test program, then the demo scan, under
# valgrind; fails on any memory error or definite/indirect leak.  (net-snmp
# keeps its library state reachable until exit: "still reachable" is not
# a leak.)  Used by `make valgrind` and CI.
set -u
BUILD=${BUILD:-build}
VG="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99"
rc=0
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	if $VG "$t" >/dev/null 2>"$BUILD/vg.log"; then
		echo "ok - valgrind $t"
	else
		echo "not ok - valgrind $t"; cat "$BUILD/vg.log"; rc=1
	fi
done
wrap=$(mktemp)
printf '#!/bin/sh\nexec %s %s "$@"\n' "$VG" "$(pwd)/ibagent" >"$wrap"
chmod +x "$wrap"
if IBAGENT=$wrap DEMO_DB=$(mktemp -d)/vg.sqlite sh sim/demo.sh >"$BUILD/vg.log" 2>&1; then
	echo "ok - valgrind ibagent scan + inventory (demo fleet)"
else
	echo "not ok - valgrind ibagent scan + inventory (demo fleet)"; tail -40 "$BUILD/vg.log"; rc=1
fi
vgdb=$(mktemp -d)
if $VG ./ibagent --db "$vgdb/db" import hw-lifecycle tests/data/import/example-hw-lifecycle.csv >"$BUILD/vg.log" 2>&1 &&
    { $VG ./ibagent --db "$vgdb/db" import contracts tests/data/import/example-contracts-bad.csv >>"$BUILD/vg.log" 2>&1; [ $? -eq 1 ]; }; then
	echo "ok - valgrind ibagent import (good and bad file)"
else
	echo "not ok - valgrind ibagent import (good and bad file)"; tail -40 "$BUILD/vg.log"; rc=1
fi
rm -rf "$vgdb"
rm -f "$wrap"
exit $rc
