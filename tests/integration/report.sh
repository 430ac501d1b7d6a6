#!/bin/sh
# report.sh: `ibagent report` end to end.  Real snmpd agents serve the
# test fleet (tests/data/snmprec), ibagent scans them and imports the
# example entitlement files (examples/entitlement), then every report runs
# in every format as of 2026-12-01: the CSV and HTML carry exactly the
# JSON's values, totals equal the sum of their rows, the figures are the
# ones examples/entitlement/README.md promises, --output is atomic, and an
# empty install base or one without contracts says so.
IB_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$IB_ROOT/tests/lib/tap.sh"
. "$IB_ROOT/tests/lib/agents.sh"
CHECK="python3 $IB_ROOT/tests/lib/report_check.py"
EX=$IB_ROOT/examples/entitlement
tap_need_built "$IBAGENT"
if ! why=$(ib_have_tools); then tap_skip_all "$why"; fi
[ -d "$EX" ] || tap_skip_all "examples/entitlement absent"
ib_init
W=$IB_WORK
DB=$W/ib.sqlite
ib() { "$IBAGENT" --db "$DB" "$@"; }
ASOF=2026-12-01

# Empty install base: a report that says so, no zeros.
out=$("$IBAGENT" --db "$W/empty.sqlite" report coverage --as-of $ASOF)
tap_check $? "coverage over an empty database exits 0"
tap_like "$out" 'install base is empty' "empty database: the report says so"
if printf '%s\n' "$out" | grep -q 'Totals by status'; then
	tap_fail "empty database: no totals table of zeros"
else
	tap_ok "empty database: no totals table of zeros"
fi
out=$("$IBAGENT" --db "$W/empty.sqlite" report coverage --as-of $ASOF --format json |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["empty"], "totals" in d)')
tap_is "$out" "True False" "empty database: JSON empty true, no totals"
for r in lifecycle metrics changes "audit --contract X"; do
	out=$("$IBAGENT" --db "$W/empty.sqlite" report $r --as-of $ASOF --format json |
	    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["empty"], len(d["notes"]) > 0)')
	tap_is "$out" "True True" "empty database: report $r says so"
done

# Usage errors.
ib report >/dev/null 2>&1; tap_is $? 2 "report without KIND: exit 2"
ib report nosuch >/dev/null 2>&1; tap_is $? 2 "unknown report: exit 2"
ib report coverage --format xml >/dev/null 2>&1; tap_is $? 2 "bad --format: exit 2"
ib report coverage --as-of 2026-13-01 >/dev/null 2>&1; tap_is $? 2 "bad --as-of: exit 2"
ib report audit >/dev/null 2>&1; tap_is $? 2 "audit without --contract/--ending-before: exit 2"
ib report coverage --period 2026Q3 >/dev/null 2>&1; tap_is $? 2 "an option of another report: exit 2"
tap_like "$(ib help report)" '^usage: ibagent \[--db PATH\] report KIND' "help report"

# The fleet: scan, then no contracts yet.
ib_start_snmprec ex "$IB_ROOT/tests/data/snmprec/ex4300-vc8.snmprec"; P1=$IB_PORT
ib_start_snmprec srx "$IB_ROOT/tests/data/snmprec/srx345-cluster.snmprec"; P2=$IB_PORT
ib scan --community public 127.0.0.1:$P1 127.0.0.1:$P2 >/dev/null 2>"$W/scan.err"
tap_check $? "scan of the test fleet"
out=$(ib report coverage --as-of $ASOF)
tap_like "$out" 'no contracts are imported' "no contracts: the report says so"
for k in hw-lifecycle sw-lifecycle cpo warranty registrations contracts; do
	ib import "$k" "$EX/$k.csv" >/dev/null 2>&1 || tap_fail "import $k"
done

run() {	# KIND ARGS...: every format into $W/KIND.FORMAT
	_k=$1
	for _f in text csv json html; do
		if ib report "$@" --as-of $ASOF --format $_f >"$W/$_k.$_f" 2>"$W/$_k.err"; then
			tap_ok "report $* --format $_f"
		else
			tap_fail "report $* --format $_f"; diag "$(cat "$W/$_k.err")"
		fi
	done
	if $CHECK same "$_k" "$W/$_k.json" "$W/$_k.csv" "$W/$_k.html" >"$W/chk" 2>&1; then
		tap_ok "report $_k: CSV and HTML carry the JSON's values"
	else
		tap_fail "report $_k: CSV and HTML carry the JSON's values"; diag "$(head -5 "$W/chk")"
	fi
	if $CHECK sums "$_k" "$W/$_k.json" >"$W/chk" 2>&1; then
		tap_ok "report $_k: totals equal the sum of their rows"
	else
		tap_fail "report $_k: totals equal the sum of their rows"; diag "$(head -5 "$W/chk")"
	fi
}
run coverage
run lifecycle
run metrics --period 2027Q1
run audit --ending-before 2027-12-31
# changes: the events carry the real clock, so no --as-of upper bound.
for f in text csv json html; do
	ib report changes --since 2000-01-01 --format $f >"$W/changes.$f" 2>"$W/changes.err" ||
	    tap_fail "report changes --format $f"
done
$CHECK same changes "$W/changes.json" "$W/changes.csv" "$W/changes.html" >"$W/chk" 2>&1 &&
    $CHECK sums changes "$W/changes.json" >>"$W/chk" 2>&1
tap_check $? "report changes: formats agree, totals are sums"

# The figures examples/entitlement/README.md promises as of 2026-12-01.
j() { python3 -c "import json,sys; d=json.load(open('$1')); print($2)"; }
tap_is "$(j "$W/coverage.json" 'd["summary"][0]["items"]')" 15 "coverage: 15 serialized items"
tap_is "$(j "$W/coverage.json" '" ".join("%s=%d" % (r["status"], r["items"]) for r in d["totals"])')" \
    "COVERED=4 EXPIRING=2 WARRANTY=3 LAPSED=1 UNCOVERED=3 UNSUPPORTABLE=2" "coverage: items by status"
tap_is "$(j "$W/coverage.json" '[r["items"] for r in d["expiring"]]')" "[0, 2, 0]" "coverage: 2 items expire in 31-60 days"
tap_is "$(j "$W/lifecycle.json" '{r["milestone"]: r["items"] for r in d["hardware"]}["past_eos"]')" 2 "lifecycle: 2 items past End of Support"
tap_is "$(j "$W/lifecycle.json" '[(r["train"], r["devices"], r["status"]) for r in d["software"]]')" \
    "[('19.4', 1, 'past_eos'), ('21.4', 1, 'past_eoe')]" "lifecycle: releases by train"
tap_is "$(j "$W/audit.json" '" ".join("%s=%d" % (r["action"], r["lines"]) for r in d["totals"])')" \
    "KEEP=1 DROP_NOT_FOUND=0 DROP_UNSUPPORTABLE=3 REVIEW_SITE=0 REVIEW_REPLACED=0 ADD=7" "audit: lines by action"
tap_is "$(j "$W/audit.json" 'd["summary"][0]["co_term_date"]')" 2027-05-31 "audit: co-term date"
tap_is "$(j "$W/metrics.json" '[(r["metric"], r["basis"], r["rate_pct"]) for r in d["metrics"]]')" \
    "[('attach_rate', 'count', 46.2), ('attach_rate', 'value', 75.1), ('renewal_rate', 'count', 0.0), ('renewal_rate', 'value', 0.0)]" \
    "metrics: attach and renewal rates"
# A ghost: a contract line for a serial no scan has seen.
printf 'Contract Number,Serial Number,Product SKU,Start Date,End Date,Install At,End Customer,Price,Currency\nGH-1,ZZGHOST0001,SRX345,2026-01-01,2027-02-28,DC1 row 4 rack 12,Example Corp,10.00,EUR\n' >"$W/ghost.csv"
ib import contracts "$W/ghost.csv" >/dev/null 2>&1
tap_is "$(ib report audit --contract GH-1 --as-of $ASOF --term 1 --format csv | sed -n 2p | cut -d, -f1)" \
    DROP_NOT_FOUND "audit: a line no scan has seen is DROP_NOT_FOUND"

# --output: atomic, same bytes as stdout, nothing left beside it.
ib report coverage --as-of $ASOF --format csv --output "$W/out/cov.csv" >/dev/null 2>&1
tap_is $? 1 "--output into a missing directory fails"
mkdir "$W/out"
ib report coverage --as-of $ASOF --format json --output "$W/out/cov.json"
tap_check $? "--output FILE exits 0"
ib report coverage --as-of $ASOF --format json >"$W/cov.stdout"
if cmp -s "$W/out/cov.json" "$W/cov.stdout"; then tap_ok "--output: same as stdout"
else tap_fail "--output: same as stdout"; fi
tap_is "$(ls "$W/out")" cov.json "--output leaves no temporary file"

# CSV: RFC 4180 line ends and one header row; --table picks another table.
tap_is "$(head -1 "$W/coverage.csv" | od -c | grep -c '\\r')" 1 "CSV lines end in CRLF"
tap_is "$(ib report coverage --as-of $ASOF --format csv --table totals | head -1 | tr -d '\r')" \
    "status,items,share_pct,value" "--table totals: its header"
# --output to a device writes into it, never renames over it.
ib report coverage --as-of $ASOF --format csv --output /dev/null
tap_check $? "--output /dev/null exits 0"
[ -c /dev/null ]; tap_check $? "/dev/null is still a device"
out=$("$IBAGENT" --db "$W/empty.sqlite" report coverage --format csv | tr -d "\r")
tap_like "$out" "^note" "empty database: the CSV says so"
tap_done
