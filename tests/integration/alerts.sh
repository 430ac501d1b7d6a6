#!/bin/sh
# alerts.sh: the `unregistered` and `eos` alert rules of `ibagent run`
# (daemon.sh has `worse` and `replaced`), three `--once` cycles on
# loopback as of 2026-12-01.  Cycle 1 scans the SRX cluster, whose two
# nodes are registered and whose End of Support (SRX345) is 60 days
# away: `eos` with days = 60 fires for both, `unregistered` does not.
# Cycle 2 adds an MX that no contract, CPO record or registration names,
# End of Support (MX480) 61 days away: `unregistered` fires for it, `eos`
# neither for it nor again for the SRX.  Cycle 3 changes nothing and
# fires nothing.  Each fired cycle exits 3, the quiet one 0.
IB_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$IB_ROOT/tests/lib/tap.sh"
. "$IB_ROOT/tests/lib/agents.sh"

why=$(ib_have_tools) || tap_skip_all "$why"
command -v sqlite3 >/dev/null 2>&1 || tap_skip_all "sqlite3 CLI absent"
command -v python3 >/dev/null 2>&1 || tap_skip_all "python3 absent"
tap_need_built "$IBAGENT"
ib_init
trap 'ib_cleanup' EXIT
cd "$IB_ROOT" || exit 1
W=$IB_WORK
DB=$W/ib.sqlite

cat >"$W/mx.snmprec" <<EOF
1.3.6.1.2.1.1.1.0|4|Juniper Networks, Inc. mx480 internet router, kernel JUNOS 23.4R2-S3.9, Build date: 2024-10-10 10:00:00 UTC Copyright (c) 1996-2024 Juniper Networks, Inc.
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.2636.1.1.1.2.25
1.3.6.1.2.1.1.5.0|4|edge-mx-09
1.3.6.1.2.1.1.6.0|4|Branch 9
1.3.6.1.4.1.2636.3.1.2.0|4|Juniper MX480 Internet Backbone Router
1.3.6.1.4.1.2636.3.1.3.0|4|JN11ALERT001
EOF
IB_NOWAIT=1 ib_start_snmprec srx tests/data/snmprec/srx345-cluster.snmprec
IB_NOWAIT=1 ib_start_snmprec mx "$W/mx.snmprec"
ib_wait_all || { tap_fail "agents did not start"; tap_done; exit 1; }
SRX=127.0.0.1:$(ib_port srx) MX=127.0.0.1:$(ib_port mx)

# The SRX nodes are registered; the MX is in no list.
cat >"$W/registrations.csv" <<EOF
Serial Number,Product SKU,Ship Date,Install At,End Customer
CV1718AF0123,SRX345,2024-05-01,Branch 7,Example Branch Ltd
CV1718AF0456,SRX345,2024-05-01,Branch 7,Example Branch Ltd
EOF
# End of Support: SRX345 as_of + 60 days (inside days = 60), MX480
# as_of + 61 (outside).
cat >"$W/hw-lifecycle.csv" <<EOF
Model,Part Number,PSN,Description,EOL Announcement Date,Last Order Date,Last Date to Convert Warranty,Same-day Support Discontinued,Next-day Support Discontinued,End of Support,Replacement
SRX345,650-066044,TEST-PSN-1,SRX345 (test dates),2024-01-01,2025-01-31,2025-06-30,2026-06-30,2026-09-30,2027-01-30,SRX1600
MX480,750-000001,TEST-PSN-2,MX480 (test dates),2024-01-01,2025-01-31,2025-06-30,2026-06-30,2026-09-30,2027-01-31,MX10004
EOF
for k in registrations hw-lifecycle; do
	"$IBAGENT" -q --db "$DB" import "$k" "$W/$k.csv" >/dev/null 2>&1
	tap_check $? "import $k"
done

mkdir -p "$W/hooks"
printf 'public\n' >"$W/community"
chmod 600 "$W/community"
cat >"$W/hook.sh" <<EOF
#!/bin/sh
# An alert hook: keep the JSON of each call, named by the rule.
cat >"$W/hooks/\$IBAGENT_RULE-\$(date +%s%N).json"
EOF
chmod 755 "$W/hook.sh"

conf() {	# TARGETS
	cat <<EOF
[ibagent]
db = ib.sqlite
log_level = info
as_of = 2026-12-01

[credentials lab]
community_file = community

[site branch]
targets = $1
credentials = lab
timeout = 500ms
retries = 1

[alert newgear]
rule = unregistered
hook = $W/hook.sh

[alert eol]
rule = eos
days = 60
hook = $W/hook.sh
EOF
}

# once N: one cycle; its exit status in $rc, its log in $W/once-N.log
once() {
	"$IBAGENT" run -c "$W/ibagent.conf" --stderr --once >"$W/once-$1.log" 2>&1
	rc=$?
}
hooks() {	# RULE: the number of hook calls for it
	ls "$W/hooks" | grep -c "^$1-"
}

# keys FILE: the document's keys, then each item's, one line each
keys() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(",".join(sorted(d)))
for i in d["items"]:
    print(",".join(sorted(i)))
' "$1"
}
ITEM_KEYS="address,hostname,item,model,new,old,serial,site,status"
EOS_KEYS="address,eos,hostname,item,model,new,old,serial,site,status"
DOC_KEYS="alert,as_of,count,items,rule,scan,time"

# --- cycle 1: the SRX alone ---------------------------------------------
conf "$SRX" >"$W/ibagent.conf"
"$IBAGENT" check-config -c "$W/ibagent.conf" >/dev/null 2>&1
tap_check $? "check-config: the unregistered and eos alerts are valid"
once 1
tap_is "$rc" 3 "cycle 1: --once exits 3, an alert fired"
tap_is "$(hooks unregistered)" 0 "cycle 1: no unregistered alert for registered nodes"
tap_is "$(hooks eos)" 1 "cycle 1: the eos alert reached its hook once"
f=$(ls "$W"/hooks/eos-*.json 2>/dev/null | head -1)
k=$(keys "$f" 2>&1)
tap_is "$k" "$DOC_KEYS
$EOS_KEYS
$EOS_KEYS" "eos hook JSON parses; its keys, two items with eos"
eos=$(cat "$f" 2>/dev/null)
tap_like "$eos" '^\{"alert":"eol","rule":"eos",.*"as_of":"2026-12-01",.*"count":2,' \
    "eos hook JSON: alert, rule, as_of, count"
tap_like "$eos" '"serial":"CV1718AF0123",[^}]*"model":"SRX345",[^}]*"old":null,"new":"eos-soon","eos":"2027-01-30"\}' \
    "eos hook JSON: node0, End of Support 60 days after as_of"
tap_like "$eos" '"serial":"CV1718AF0456",[^}]*"new":"eos-soon","eos":"2027-01-30"\}' \
    "eos hook JSON: node1"
tap_like "$(cat "$W/once-1.log")" \
    "alert eol: $SRX node0 CV1718AF0123 \\(SRX345\\): End of Support 2027-01-30" \
    "the eos alert is logged"

# --- cycle 2: an unregistered MX appears --------------------------------
conf "$SRX $MX" >"$W/ibagent.conf"
once 2
tap_is "$rc" 3 "cycle 2: --once exits 3, an alert fired"
tap_is "$(hooks unregistered)" 1 "cycle 2: the unregistered alert reached its hook once"
f=$(ls "$W"/hooks/unregistered-*.json 2>/dev/null | head -1)
k=$(keys "$f" 2>&1)
tap_is "$k" "$DOC_KEYS
$ITEM_KEYS" "unregistered hook JSON parses; its keys, one item"
unreg=$(cat "$f" 2>/dev/null)
tap_like "$unreg" '^\{"alert":"newgear","rule":"unregistered",.*"count":1,' \
    "unregistered hook JSON: alert, rule, count"
tap_like "$unreg" "\"address\":\"$MX\",\"hostname\":\"edge-mx-09\",\"item\":\"Chassis\",\"serial\":\"JN11ALERT001\",\"model\":\"MX480\",[^}]*\"old\":null,\"new\":\"unregistered\"" \
    "unregistered hook JSON: the new MX's chassis serial"
case $unreg in *CV1718AF*) tap_fail "unregistered: not the registered nodes";;
*) tap_ok "unregistered: not the registered nodes";; esac
tap_is "$(hooks eos)" 1 \
    "cycle 2: no eos alert for End of Support 61 days away, none again for the SRX"
tap_like "$(cat "$W/once-2.log")" "alert newgear: $MX Chassis JN11ALERT001: unregistered" \
    "the unregistered alert is logged"

# --- cycle 3: nothing changed -------------------------------------------
once 3
tap_is "$rc" 0 "cycle 3: --once exits 0, no alert"
tap_is "$(hooks unregistered)" 1 "cycle 3: the unregistered alert does not fire again"
tap_is "$(hooks eos)" 1 "cycle 3: the eos alert does not fire again"
tap_is "$(grep -c 'alert ' "$W/once-3.log")" 0 "cycle 3: no alert line in the log"
tap_done
