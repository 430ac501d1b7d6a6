#!/bin/sh
# tests/valgrind.sh: every unit test program, then the demo (ibsim, scan,
# imports, coverage, reports), every report format and check-config under
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
# The simulator too: it must leave nothing behind when SIGTERM stops it.
simwrap=$(mktemp)
demo=$(mktemp -d)
printf '#!/bin/sh\nexec %s --log-file=%s %s "$@"\n' "$VG" "$demo/ibsim-vg.log" \
    "$(pwd)/$BUILD/ibsim" >"$simwrap"
chmod +x "$simwrap"
# The demo: ibsim, scan, imports, coverage, report coverage (HTML), inventory.
if IBAGENT=$wrap IBSIM=$simwrap DEMO_DB=$demo/vg.sqlite DEMO_HTML=$demo/vg.html \
    sh sim/demo.sh >"$BUILD/vg.log" 2>&1 && [ -f "$demo/ibsim-vg.log" ] &&
    ! [ -s "$demo/ibsim-vg.log" ]; then
	echo "ok - valgrind ibsim + ibagent scan, import, coverage, report, inventory (demo fleet)"
else
	echo "not ok - valgrind ibsim + ibagent scan, import, coverage, report, inventory (demo fleet)"
	tail -40 "$BUILD/vg.log"; cat "$demo/ibsim-vg.log" 2>/dev/null; rc=1
fi
# Every report in every format, over the demo's database.
for r in "coverage --as-of 2026-12-01" "audit --ending-before 2027-12-31" \
    lifecycle "metrics --period 2026Q4" "changes --since 2000-01-01"; do
	for f in text csv json html; do
		# shellcheck disable=SC2086
		if $VG ./ibagent --db "$demo/vg.sqlite" report $r --format $f \
		    --output "$demo/r.out" >"$BUILD/vg.log" 2>&1; then
			echo "ok - valgrind ibagent report $r --format $f"
		else
			echo "not ok - valgrind ibagent report $r --format $f"; tail -40 "$BUILD/vg.log"; rc=1
		fi
	done
done
# Configuration errors, all of them at once (the example points at /etc).
if { $VG ./ibagent check-config -c examples/ibagent.conf -v >"$BUILD/vg.log" 2>&1; [ $? -ne 99 ]; }; then
	echo "ok - valgrind ibagent check-config -v examples/ibagent.conf"
else
	echo "not ok - valgrind ibagent check-config"; tail -40 "$BUILD/vg.log"; rc=1
fi
rm -rf "$demo" "$simwrap"
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
