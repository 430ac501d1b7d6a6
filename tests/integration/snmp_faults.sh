#!/bin/sh
# snmp_faults.sh: malformed and truncated SNMP replies are per-device
# failures ("badreply"), never a crash, a hang or a failed scan; the
# healthy device scanned in the same run is unaffected, and a device
# that answered before keeps its data when it later answers garbage.
IB_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$IB_ROOT/tests/lib/tap.sh"
. "$IB_ROOT/tests/lib/agents.sh"
. "$IB_ROOT/tests/lib/inventory.sh"

why=$(ib_have_tools) || tap_skip_all "$why"
if ! why=$(ib_have_ibagent); then
	tap_fail "$why"
	tap_done
	exit 1
fi
ib_init
IB_SCAN_TIMEOUT=${IB_SCAN_TIMEOUT:-120}
P=$IB_ROOT/tests/data/snmprec
DB=$IB_WORK/faults.sqlite
OPTS="--community public --timeout 300 --retries 1"

up=0
ib_start_snmprec good "$P/ex4300-vc8.snmprec" || up=1
ib_start_snmprec backend "$P/srx345-cluster.snmprec" || up=1
good=127.0.0.1:$(ib_port good)
backend=127.0.0.1:$(ib_port backend)
ib_start_garbage junk || up=1
junk=127.0.0.1:$IB_PORT
ib_start_truncate cut "$(ib_port backend)" || up=1
cut=127.0.0.1:$IB_PORT
tap_check $up "agents: a healthy device, a junk answerer, a truncating relay"

ib_scan faults "$DB" $OPTS "$good" "$junk" "$cut"
tap_is "$SCAN_RC" 0 "scan with malformed replies exits 0"
ib_inventory faults "$DB"
tap_is "$(inv_dev "$junk" status)" badreply "junk replies: status badreply"
tap_like "$(inv_dev "$junk" error)" "malformed" "junk replies: the error says malformed"
tap_is "$(inv_dev "$cut" status)" badreply "truncated replies: status badreply"
tap_is "$(inv_dev "$good" status)" ok "the healthy device in the same scan: ok"
tap_is "$(inv_count "$good" member)" 8 "the healthy device: its 8 VC members"

# A device known from an earlier scan starts answering garbage: nothing lost.
ib_scan before "$DB" $OPTS "$backend"
ib_inventory before "$DB"
tap_is "$(inv_dev "$backend" status)" ok "cluster scanned directly: ok"
n_before=$(inv_count "$backend")
ib_stop backend
ib_start_garbage junk2 "${backend##*:}" || tap_fail "garbage answerer on the old port"
ib_scan after "$DB" $OPTS "$backend"
ib_inventory after "$DB"
tap_is "$(inv_dev "$backend" status)" badreply "same address now answers garbage: badreply"
tap_is "$(inv_dev "$backend" serial)" CV1718AF0123 "its chassis serial is kept"
tap_is "$(inv_count "$backend")" "$n_before" "all its $n_before items are kept"
tap_done
