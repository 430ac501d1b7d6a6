#!/bin/sh
# mixed_scan.sh: `ibagent scan --protocols snmp,netconf` through the CLI,
# against a real snmpd and a real OpenSSH sshd (NETCONF subsystem) for
# the same device.  One merged record per device; every item says which
# protocols saw it; where the two disagree on purpose (a NETCONF reply
# with another Junos version), the device is flagged and both values are
# kept; a rescan where they agree clears the flag; NETCONF alone works
# from the CLI too; an unknown host key fails the device, not the scan.
IB_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$IB_ROOT/tests/lib/tap.sh"
. "$IB_ROOT/tests/lib/agents.sh"
. "$IB_ROOT/tests/lib/inventory.sh"
SB_ROOT=$IB_ROOT
. "$IB_ROOT/tests/lib/sshbed.sh"

why=$(ib_have_tools) || tap_skip_all "$why"
why=$(sb_have_tools) || tap_skip_all "$why"
if ! why=$(ib_have_ibagent); then
	tap_fail "$why"
	tap_done
	exit 1
fi
ib_init
chmod 755 "$IB_WORK"	# the test user reads profiles and authorized_keys
sb_init "$IB_WORK"
trap 'sb_cleanup; ib_cleanup' EXIT
IB_SCAN_TIMEOUT=${IB_SCAN_TIMEOUT:-120}
P=$IB_ROOT/tests/data
W=$IB_WORK
DB=$W/mixed.sqlite

# The same EX4300 VC over both protocols; and the SRX cluster whose
# NETCONF software reply says another release than its sysDescr.
for r in get-software-information get-chassis-inventory get-virtual-chassis-information; do
	echo "$r $P/xml/ex4300-vc8_$r.xml"
done >"$W/ex.profile"
sed 's/19\.4R3-S1\.3/19.4R3-S9.1/g' "$P/xml/srx345-cluster_get-software-information.xml" \
    >"$W/srx-sw.xml"
{ echo "get-software-information $W/srx-sw.xml"
  echo "get-chassis-inventory $P/xml/srx345-cluster_get-chassis-inventory.xml"
  echo "get-virtual-chassis-information error"; } >"$W/srx.profile"
{ echo "get-software-information $P/xml/srx345-cluster_get-software-information.xml"
  echo "get-chassis-inventory $P/xml/srx345-cluster_get-chassis-inventory.xml"
  echo "get-virtual-chassis-information error"; } >"$W/srx-agree.profile"

up=0
ib_start_snmprec ex "$P/snmprec/ex4300-vc8.snmprec" || up=1
ex=127.0.0.1:$(ib_port ex)
ib_start_snmprec srx "$P/snmprec/srx345-cluster.snmprec" || up=1
srx=127.0.0.1:$(ib_port srx)
sb_start exnc "$W/ex.profile" || up=1
sb_start srxnc "$W/srx.profile" || up=1
sb_start srxok "$W/srx-agree.profile" || up=1
sb_start stranger "$W/ex.profile" || up=1
sb_trust exnc; sb_trust srxnc; sb_trust srxok
tap_check $up "agents: 2 snmpd, 4 sshd (one whose host key is not trusted)"

NC="--ssh-user $SB_USER --ssh-key $SB_KEY --known-hosts $SB_KNOWN_HOSTS"
SN="--community public --timeout 500 --retries 1"

ib_scan ex "$DB" $SN $NC --protocols snmp,netconf --ssh-port "$(sb_port exnc)" "$ex"
tap_is "$SCAN_RC" 0 "mixed scan of the EX VC exits 0"
ib_inventory ex "$DB"
tap_is "$(inv_dev "$ex" status)" ok "EX VC: status ok over both protocols"
tap_is "$(inv_count "$ex" member)" 8 "EX VC: 8 members, one record each"
both=$(inv_count "$ex" member sources snmp,netconf)
tap_is "$both" 8 "EX VC: every member says snmp,netconf saw it"
n=$(python3 - "$W/ex.json" "$ex" <<'PY'
import json, sys
d = [x for x in json.load(open(sys.argv[1])) if x["address"] == sys.argv[2]][0]
print(len(d["crosscheck"]), ",".join(d["protocols"]))
PY
)
tap_is "$n" "0 snmp,netconf" "EX VC: protocols snmp,netconf, no cross-check conflict"
dups=$(python3 - "$W/ex.json" "$ex" <<'PY'
import collections, json, sys
d = [x for x in json.load(open(sys.argv[1])) if x["address"] == sys.argv[2]][0]
c = collections.Counter(i["serial"] for i in d["items"] if i["serial"])
print(sum(1 for v in c.values() if v > 1))
PY
)
tap_is "$dups" 0 "EX VC: no serial appears twice"

ib_scan srx "$DB" $SN $NC --protocols snmp,netconf --ssh-port "$(sb_port srxnc)" "$srx"
ib_inventory srx "$DB"
cc=$(python3 - "$W/srx.json" "$srx" <<'PY'
import json, sys
d = [x for x in json.load(open(sys.argv[1])) if x["address"] == sys.argv[2]][0]
print(";".join("%s=%s/%s" % (c["field"], c["snmp"], c["netconf"]) for c in d["crosscheck"]))
PY
)
tap_is "$cc" "version=19.4R3-S1.3/19.4R3-S9.1" "SRX: the version disagreement is flagged, both values kept"
tap_is "$(inv_dev "$srx" version)" 19.4R3-S1.3 "SRX: the device keeps the SNMP version"
"$IBAGENT" --db "$DB" inventory >"$W/srx.txt" 2>&1
grep -q 'MISMATCH(version)' "$W/srx.txt"
tap_check $? "SRX: the text inventory shows MISMATCH(version)"

ib_scan srx2 "$DB" $SN $NC --protocols snmp,netconf --ssh-port "$(sb_port srxok)" "$srx"
ib_inventory srx2 "$DB"
cc=$(python3 - "$W/srx2.json" "$srx" <<'PY'
import json, sys
d = [x for x in json.load(open(sys.argv[1])) if x["address"] == sys.argv[2]][0]
print(len(d["crosscheck"]))
PY
)
tap_is "$cc" 0 "SRX rescanned where both agree: the flag is cleared"

# NETCONF alone from the CLI: the target's own port is the SSH port.
NDB=$W/nc.sqlite
a=127.0.0.1:$(sb_port exnc)
s=127.0.0.1:$(sb_port stranger)
ib_scan nc "$NDB" $NC --protocols netconf "$a" "$s"
tap_is "$SCAN_RC" 0 "NETCONF-only scan exits 0"
ib_inventory nc "$NDB"
tap_is "$(inv_dev "$a" status)" ok "NETCONF only: status ok"
tap_is "$(inv_count "$a" member)" 8 "NETCONF only: 8 members"
tap_is "$(inv_dev "$s" status)" auth "unknown host key: the device fails (auth)"
tap_like "$(inv_dev "$s" error)" "host key" "unknown host key: the error says so"
grep -q "\[127.0.0.1\]:$(sb_port stranger) " "$SB_KNOWN_HOSTS"
tap_check $((! $?)) "unknown host key: not added to known_hosts without --ssh-tofu"
tap_done
