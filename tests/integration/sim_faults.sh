#!/bin/sh
# sim_faults.sh: the collector against a faulty simulated fleet (ibsim).
# With 30% loss every device still completes within the retry budget; a
# silent device times out alone; a malformed reply fails only its device;
# a chassis serial that changes between two scans (SIGUSR1) is recorded
# as a replacement.
IB_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$IB_ROOT/tests/lib/tap.sh"
. "$IB_ROOT/tests/lib/agents.sh"
. "$IB_ROOT/tests/lib/inventory.sh"
. "$IB_ROOT/tests/lib/sim.sh"

why=$(ib_have_tools) || tap_skip_all "$why"
for why in "$(ib_have_ibagent)" "$(sim_have)"; do
	if [ -n "$why" ]; then
		tap_fail "$why"
		tap_done
		exit 1
	fi
done
command -v sqlite3 >/dev/null || tap_skip_all "sqlite3 CLI not installed"
ib_init
IB_SCAN_TIMEOUT=${IB_SCAN_TIMEOUT:-180}
PROF=$IB_ROOT/sim/profiles
set --
for f in "$PROF"/*.snmprec; do
	set -- "$@" "$f:5"
done
NDEV=$(($# * 5))

# --- 30% loss on every device: the retries absorb it ------------------------
# One try fails 1 - 0.7 * 0.7 = 51% of the time (request or answer may be
# lost; ibsim drops requests, so 30% here); 6 tries leave 0.3^6 = 0.07% per
# request, and a device makes a few dozen requests.
sim_start loss --seed 11 --fault loss=30% "$@" || { tap_fail "lossy fleet starts"; tap_done; exit 1; }
cut -f2 "$SIM_MAN" >"$IB_WORK/loss.targets"
DB=$IB_WORK/loss.sqlite
ib_scan loss "$DB" --community public --timeout 200 --retries 5 @"$IB_WORK/loss.targets"
tap_is "$SCAN_RC" 0 "30% loss: scan exits 0"
ib_inventory loss "$DB"
n=0
while read -r a; do
	[ "$(inv_dev "$a" status)" = ok ] && n=$((n + 1))
done <"$IB_WORK/loss.targets"
tap_is "$n" "$NDEV" "30% loss: all $NDEV devices complete within 6 tries"
sim_stop loss
tap_like "$(cat "$IB_WORK/loss.err")" '[1-9][0-9]* dropped by loss' "ibsim did drop requests"
# The same serials as the manifest says: the scan saw the derived fleet.
a=$(awk -F'\t' '$1 == 7 { print $2 }' "$SIM_MAN")
tap_is "$(inv_dev "$a" serial)" "$(sim_field loss 7 5)" "device 7: the chassis serial of the manifest"

# --- one silent, one malformed, one RMA in a healthy fleet -----------------
sim_start mix --seed 12 --fault silent@3 --fault malformed@8 --fault rma@12 \
    --fault upgrade@12 "$@" || { tap_fail "mixed fleet starts"; tap_done; exit 1; }
cut -f2 "$SIM_MAN" >"$IB_WORK/mix.targets"
DB=$IB_WORK/mix.sqlite
ib_scan mix1 "$DB" --community public --timeout 300 --retries 1 @"$IB_WORK/mix.targets"
tap_is "$SCAN_RC" 0 "silent and malformed devices: scan exits 0"
ib_inventory mix1 "$DB"
bad=
i=0
while read -r a; do
	st=$(inv_dev "$a" status)
	case $i in
	3) tap_is "$st" timeout "the silent device times out" ;;
	8) tap_is "$st" badreply "the malformed device fails: badreply"
	   tap_like "$(inv_dev "$a" error)" malformed "its error says malformed" ;;
	*) [ "$st" = ok ] || bad="$bad $i:$st" ;;
	esac
	i=$((i + 1))
done <"$IB_WORK/mix.targets"
tap_is "$bad" "" "every other device is ok (the faults stay with their device)"
rma=$(sim_addr mix 12)
old=$(sim_field mix 12 5)
ver0=$(inv_dev "$rma" version)
tap_is "$(inv_dev "$rma" serial)" "$old" "RMA device before: its first chassis serial"

sim_epoch mix || tap_fail "SIGUSR1 acknowledged"
new=$(sim_field mix 12 5)
ib_scan mix2 "$DB" --community public --timeout 300 --retries 1 "$rma"
tap_is "$SCAN_RC" 0 "rescan of the RMA device exits 0"
ib_inventory mix2 "$DB"
tap_is "$(inv_dev "$rma" serial)" "$new" "RMA device after: the new chassis serial"
tap_is "$(sqlite3 "$DB" "SELECT old_value || '>' || new_value FROM events WHERE kind = 'replaced'")" \
    "$old>$new" "the replacement is recorded as an event"
ver1=$(inv_dev "$rma" version)
[ -n "$ver0" ] && [ "$ver0" != "$ver1" ]
tap_check $? "upgrade: the version changed too ($ver0 -> $ver1)"
sim_stop mix
tap_done
