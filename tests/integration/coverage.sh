#!/bin/sh
# coverage.sh: `ibagent coverage` end to end.  Real snmpd agents on
# 127.0.0.1 serve the test devices (tests/data/snmprec) and a one-chassis
# MX made here; ibagent scans them and imports examples/entitlement/*;
# the MX is then served with another chassis serial on the same port and
# rescanned (REPLACED).  Coverage as of 2026-12-01 (the date the examples
# are written for) in text, CSV and JSON must show every status and every
# flag, each with non-empty evidence, and the three formats must carry
# the same rows.  Also: filters, component policy, empty database notes,
# --output, usage errors.
IB_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$IB_ROOT/tests/lib/tap.sh"
. "$IB_ROOT/tests/lib/agents.sh"

why=$(ib_have_tools) || tap_skip_all "$why"
command -v sqlite3 >/dev/null 2>&1 || tap_skip_all "sqlite3 CLI absent"
tap_need_built "$IBAGENT"
ib_init
cd "$IB_ROOT" || exit 1
DB=$IB_WORK/cov.sqlite
EX=examples/entitlement
ASOF=2026-12-01
ib() { "$IBAGENT" --db "$DB" "$@"; }
SCANOPTS="--community public --timeout 1000 --retries 1"

mx() {	# SERIAL: a one-chassis MX480 walk
	cat <<EOF
1.3.6.1.2.1.1.1.0|4|Juniper Networks, Inc. mx480 internet router, kernel JUNOS 23.4R2-S3.9, Build date: 2024-10-10 10:00:00 UTC Copyright (c) 1996-2024 Juniper Networks, Inc.
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.2636.1.1.1.2.25
1.3.6.1.2.1.1.5.0|4|edge-mx-01
1.3.6.1.2.1.1.6.0|4|DC1 row 9
1.3.6.1.4.1.2636.3.1.2.0|4|Juniper MX480 Internet Backbone Router
1.3.6.1.4.1.2636.3.1.3.0|4|$1
EOF
}
mx JN11EXAMPLEA >"$IB_WORK/mx-a.snmprec"
mx JN11EXAMPLEB >"$IB_WORK/mx-b.snmprec"

# --- usage and the empty database ---------------------------------------
ib coverage --format xml >/dev/null 2>&1
tap_is $? 2 "bad --format: exit 2"
ib coverage --as-of 2026-13-01 >/dev/null 2>&1
tap_is $? 2 "bad --as-of: exit 2"
ib coverage --component-policy mine >/dev/null 2>&1
tap_is $? 2 "bad --component-policy: exit 2"
ib coverage extra >/dev/null 2>&1
tap_is $? 2 "stray argument: exit 2"
tap_like "$(ib help coverage)" '^usage: ibagent \[--db PATH\] coverage' "help coverage"
out=$(ib coverage --as-of $ASOF --format json 2>"$IB_WORK/err")
tap_check $? "empty database: exit 0"
tap_like "$(cat "$IB_WORK/err")" 'note: the install base has no serialized items' "empty database: stderr note"
tap_like "$out" '"notes":\["the install base has no serialized items' "empty database: JSON notes"
tap_like "$(cat "$IB_WORK/err")" 'note: no contracts imported' "no contracts: stderr note"

# --- scan, import -------------------------------------------------------
IB_NOWAIT=1 ib_start_snmprec vc tests/data/snmprec/ex4300-vc8.snmprec
IB_NOWAIT=1 ib_start_snmprec srx tests/data/snmprec/srx345-cluster.snmprec
IB_NOWAIT=1 ib_start_snmprec mx "$IB_WORK/mx-a.snmprec"
ib_wait_all || { tap_fail "agents did not start"; tap_done; exit 1; }
MXPORT=$(ib_port mx)
# shellcheck disable=SC2086
ib scan $SCANOPTS "127.0.0.1:$(ib_port vc)" "127.0.0.1:$(ib_port srx)" \
    "127.0.0.1:$MXPORT" >/dev/null 2>"$IB_WORK/err"
tap_check $? "scan of the test devices"
for k in contracts hw-lifecycle sw-lifecycle cpo warranty registrations; do
	ib import "$k" "$EX/$k.csv" >/dev/null 2>"$IB_WORK/err"
	tap_check $? "import $k $EX/$k.csv"
done
# The MX's contract is on the chassis that will be swapped.
printf 'Contract,Serial,Start Date,End Date,Service Level\nEX-C-3001,JN11EXAMPLEA,2026-01-01,2027-12-31,Same Day\n' \
    >"$IB_WORK/mx-contracts.csv"
ib import contracts "$IB_WORK/mx-contracts.csv" >/dev/null 2>&1
tap_check $? "import the MX's contract"

# --- the same port, another chassis serial: REPLACED --------------------
ib_stop mx
_ib_next=$MXPORT
ib_start_snmprec mx2 "$IB_WORK/mx-b.snmprec" ||
    { tap_fail "MX agent did not restart"; tap_done; exit 1; }
tap_is "$(ib_port mx2)" "$MXPORT" "second MX walk served on the same port"
# shellcheck disable=SC2086
ib scan $SCANOPTS "127.0.0.1:$MXPORT" >/dev/null 2>"$IB_WORK/err"
tap_check $? "rescan of the MX"
tap_is "$(sqlite3 "$DB" "SELECT old_value || '>' || new_value FROM events WHERE kind = 'replaced'")" \
    "JN11EXAMPLEA>JN11EXAMPLEB" "the store saw the replacement"

# --- the three formats --------------------------------------------------
ib coverage --as-of $ASOF >"$IB_WORK/cov.txt" 2>"$IB_WORK/err"
tap_check $? "coverage text"
ib coverage --as-of $ASOF --format csv --output "$IB_WORK/cov.csv" 2>>"$IB_WORK/err"
tap_check $? "coverage csv --output"
ib coverage --as-of $ASOF --format json --output "$IB_WORK/cov.json" 2>>"$IB_WORK/err"
tap_check $? "coverage json --output"
tap_is "$(ls "$IB_WORK" | grep -c '^cov\.\(csv\|json\)\.')" 0 "--output leaves no temporary file"
tap_is "$(cat "$IB_WORK/err")" "" "nothing on stderr with every kind imported"

python3 - "$IB_WORK/cov.txt" "$IB_WORK/cov.csv" "$IB_WORK/cov.json" \
    >"$IB_WORK/py.out" 2>&1 <<'EOF'
import csv, json, sys
txt, csvf, jsf = sys.argv[1:4]
n = 0
def ok(cond, what, detail=""):
    global n
    n += 1
    print(("PASS " if cond else "FAIL ") + what)
    if not cond and detail:
        for l in str(detail).splitlines():
            print("#   " + l)
STATUSES = ["UNSUPPORTABLE", "COVERED", "EXPIRING", "WARRANTY", "LAPSED",
    "UNCOVERED"]
FLAGS = ["EOL", "END_OF_SALE", "EOS_SOON", "CONVERT_BY", "SW_EOE", "SW_EOS",
    "CPO_CARE_INELIGIBLE", "UNREGISTERED", "SITE_MISMATCH", "REPLACED"]
j = json.load(open(jsf))
jrows = j["items"]
with open(csvf, newline="") as f:
    crows = list(csv.DictReader(f))
ok(j["as_of"] == "2026-12-01" and j["component_policy"] == "inherit",
    "json: as_of and policy")
ok(j["notes"] == [], "json: no notes", j["notes"])
ok(len(jrows) == 16 and j["rows"] == 16, "json: 16 serialized items",
    len(jrows))
def key(r, flags):
    return (r["serial"], r["status"], tuple(sorted(flags)))
jset = sorted(key(r, r["flags"]) for r in jrows)
cset = sorted(key(r, [x for x in r["flags"].split(",") if x]) for r in crows)
ok(jset == cset, "csv and json carry the same serial/status/flags rows",
    "\n".join(map(str, set(jset) ^ set(cset))))
ok([r["serial"] for r in jrows] == [r["serial"] for r in crows],
    "csv and json rows in the same order")
# text: each item's line carries its serial, status and flags
tlines = open(txt).read().splitlines()
tset = []
for r in jrows:
    m = [l for l in tlines if (" " + r["serial"] + " ") in l and
        ("via " + r["serial"]) not in l]
    if len(m) != 1:
        tset.append((r["serial"], "lines: %d" % len(m)))
        continue
    cells = m[0].split()
    if r["status"] not in cells:
        tset.append((r["serial"], "status"))
    fl = ",".join(r["flags"])
    if fl and fl not in cells:
        tset.append((r["serial"], "flags " + fl))
ok(tset == [], "text carries the same rows", tset)
for s in STATUSES:
    ok(s in tlines[1 + STATUSES.index(s)] and
        tlines[1 + STATUSES.index(s)].split()[1] == str(j["totals"][s]),
        "text totals: %s = json %d" % (s, j["totals"][s]))
for s in STATUSES:
    rows = [r for r in jrows if r["status"] == s]
    ev = [r for r in rows if not r["status_evidence"]]
    ok(rows and not ev, "status %s appears (%d), each with evidence" %
        (s, len(rows)), [r["serial"] for r in ev])
for fl in FLAGS:
    rows = [r for r in jrows if fl in r["flags"]]
    ev = [r for r in rows if not r["flag_evidence"].get(fl)]
    cev = [r for r in crows if fl in r["flags"].split(",") and
        (fl + "=") not in r["flag_evidence"]]
    ok(rows and not ev and not cev,
        "flag %s appears (%d), each with evidence in json and csv" %
        (fl, len(rows)), [r["serial"] for r in ev + cev])
by = {r["serial"]: r for r in jrows}
r = by.get("JN11EXAMPLEB", {})
ok(r.get("replaced_serial") == "JN11EXAMPLEA" and "REPLACED" in r.get("flags", [])
    and "JN11EXAMPLEA -> JN11EXAMPLEB" in r["flag_evidence"].get("REPLACED", ""),
    "new MX chassis: REPLACED, names the old serial and the scan", r)
ok("JN11EXAMPLEA" not in by, "the old chassis is gone from the report")
r = by.get("1EDB4701002", {})
ok(r.get("status") == "COVERED" and r.get("via_chassis") == "PE3714AA0012",
    "PSU inherits COVERED via its member", r)
ok(all(r["lifecycle"] == "UNKNOWN" for r in jrows if r["model"] ==
    "JPSU-350-AC-AFO"), "no lifecycle row: lifecycle UNKNOWN")
ok(by["PE3714AA0013"]["status_evidence"] == "contracts.csv:4",
    "evidence is file:line of the import")
sys.exit(0)
EOF
[ $? -eq 0 ] || tap_fail "python checks ran"
while IFS= read -r line; do
	case $line in
	"PASS "*) tap_ok "${line#PASS }" ;;
	"FAIL "*) tap_fail "${line#FAIL }" ;;
	*) diag "$line" ;;
	esac
done <"$IB_WORK/py.out"

# CSV shape: RFC 4180 line ends and the header.
tap_like "$(head -1 "$IB_WORK/cov.csv" | tail -c 2 | od -An -c)" '\\r +\\n' "csv: CRLF line ends"
tap_like "$(head -1 "$IB_WORK/cov.csv")" '^address,hostname,device_model,device_serial,site,customer,kind,item,serial' "csv: header"

# --- filters and policy -------------------------------------------------
n=$(ib coverage --as-of $ASOF --format csv --device core-vc-01 | tail -n +2 | wc -l)
tap_is "$n" 13 "--device by hostname: the VC's 13 items"
n=$(ib coverage --as-of $ASOF --format csv --device "127.0.0.1:$(ib_port srx)" | tail -n +2 | wc -l)
tap_is "$n" 2 "--device by address: the cluster's 2 nodes"
n=$(ib coverage --as-of $ASOF --format csv --customer 'example branch ltd' | tail -n +2 | wc -l)
tap_is "$n" 1 "--customer, any case (node0's CPO record names none)"
n=$(ib coverage --as-of $ASOF --format csv --site 'nowhere' | tail -n +2 | wc -l)
tap_is "$n" 0 "--site that matches nothing: no rows"
out=$(ib coverage --as-of $ASOF --format csv --component-policy own --device core-vc-01 |
    awk -F, '$9 == "1EDB4701002" { print $12 }')
tap_is "$out" UNCOVERED "--component-policy own: the PSU is judged on its own serial"
out=$(ib coverage --as-of 2025-06-01 --format csv --device core-vc-01 |
    awk -F, '$9 == "PE3714AA0015" { print $12 }')
tap_is "$out" COVERED "--as-of earlier: the lapsed line was active"
out=$(ib coverage --as-of $ASOF --window 10 --format csv --device core-vc-01 |
    awk -F, '$9 == "PE3714AA0013" { print $12 }')
tap_is "$out" COVERED "--window 10: 45 days left is not EXPIRING"

tap_done
