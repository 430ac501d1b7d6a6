#!/bin/sh
# sim_netconf.sh: the simulator's NETCONF side (ibsim-netconf as the
# subsystem of real OpenSSH sshds, and as its own libssh listener,
# sim/ncfleet.sh) tells the same story as its SNMP side.
# For every profile (sim/profiles, else tests/data/snmprec), copy 0 and,
# when build/ibsim can export it, copy 1 (serials derived by sim/fleet.c):
#  - `ibagent scan --protocols snmp,netconf` of the device (SNMP from a
#    real snmpd serving the same walk) is ok with no cross-check conflict;
#  - a NETCONF-only scan, through sshd and through the listener, finds
#    the chassis and member serials, model, version and hostname an
#    SNMP-only scan finds.
# The listener's malformed and truncate faults fail the device.
# Then: the rendered XML of one profile against goldens
# (tests/data/golden_sim/), and hostile clients: the responder exits
# cleanly (status 1, no signal) and quickly on garbage.
IB_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$IB_ROOT/tests/lib/tap.sh"
. "$IB_ROOT/tests/lib/agents.sh"
. "$IB_ROOT/tests/lib/inventory.sh"
BUILD=${BUILD:-build}
case $BUILD in /*) B=$BUILD ;; *) B=$IB_ROOT/$BUILD ;; esac
NCF_ROOT=$IB_ROOT
NCF_NETCONF=${IBSIM_NETCONF:-$B/ibsim-netconf}
IBSIM=${IBSIM:-$B/ibsim}
. "$IB_ROOT/sim/ncfleet.sh"

why=$(ib_have_tools) || tap_skip_all "$why"
why=$(sb_have_tools) || tap_skip_all "$why"
if ! why=$(ib_have_ibagent); then
	tap_fail "$why"
	tap_done
	exit 1
fi
if [ ! -x "$NCF_NETCONF" ]; then
	tap_fail "no $NCF_NETCONF (make BUILD=$BUILD)"
	tap_done
	exit 1
fi
ib_init
chmod 755 "$IB_WORK"	# the test user reads the manifest and walks
ncf_init "$IB_WORK"
trap 'ncf_cleanup; ib_cleanup' EXIT
IB_SCAN_TIMEOUT=${IB_SCAN_TIMEOUT:-120}
W=$IB_WORK

set -- "$IB_ROOT"/sim/profiles/*.snmprec
[ -f "$1" ] || set -- "$IB_ROOT"/tests/data/snmprec/*.snmprec

# The devices: name, walk, copy.  Copy 1 walks come from ibsim export
# (the SNMP side's own derivation), copied into the work dir.
: >"$W/devs"
for p in "$@"; do
	n=$(basename "$p" .snmprec)
	cp "$p" "$W/$n.snmprec"
	chmod 644 "$W/$n.snmprec"
	printf '%s\t%s\t0\n' "$n" "$W/$n.snmprec" >>"$W/devs"
	if [ -x "$IBSIM" ] &&
	    "$IBSIM" export --copy 1 "$p" >"$W/$n-1.snmprec" 2>/dev/null; then
		printf '%s-1\t%s\t1\n' "$n" "$W/$n.snmprec" >>"$W/devs"
	fi
done
ndev=$(wc -l <"$W/devs")

# One snmpd per device on the walk it serves; two manifests of NETCONF
# addresses (TCP ports of their own): sshd's and the listener's.
up=0
: >"$W/manifest"
: >"$W/manifest-l"
i=0
while IFS='	' read -r n prof copy; do
	walk=$W/$n.snmprec
	ib_start_snmprec "$n" "$walk" || up=1
	_sb_pick_port
	p1=$SB_PORT
	_sb_pick_port
	printf '%d\t127.0.0.1:%d\t%s\t%d\t-\t\n' $i "$p1" "$prof" "$copy" \
	    >>"$W/manifest"
	printf '%d\t127.0.0.1:%d\t%s\t%d\t-\t\n' $i "$SB_PORT" "$prof" "$copy" \
	    >>"$W/manifest-l"
	echo "$n $(ib_port "$n") $p1 $SB_PORT" >>"$W/devports"
	i=$((i + 1))
done <"$W/devs"
fprof=$(head -1 "$W/devs" | cut -f2)
for f in malformed truncate; do
	_sb_pick_port
	printf '%d\t127.0.0.1:%d\t%s\t0\t-\t%s\n' $i "$SB_PORT" "$fprof" \
	    "$f" >>"$W/manifest-l"
	echo "$f $SB_PORT" >>"$W/faultports"
	i=$((i + 1))
done
NCF_SERVER=openssh ncf_start "$W/manifest" || up=1
NCF_SERVER=libssh ncf_start "$W/manifest-l" || up=1
tap_check $up "fleet up: $ndev snmpd agents; sshd and the libssh listener with ibsim-netconf for each"

NC="--ssh-user $NCF_USER --ssh-key $NCF_KEY --known-hosts $NCF_KNOWN_HOSTS"
SN="--community public --timeout 500 --retries 1"

# ids ADDR: the chassis and member items (kind, name, serial) and the
# device's serial, model, version and hostname, one per line, sorted.
ids() {
	inv_items "$1" | awk -F '\t' '($1 == "chassis" || $1 == "member") &&
	    $4 == "1" { print $1 "|" $2 "|" toupper($3) }'
	for f in serial model version hostname; do
		echo "$f=$(inv_dev "$1" "$f")"
	done
}

# same_ids NAME SCAN WHAT: SNMP's identities of NAME against SCAN's.
same_ids() {
	if [ "$(grep -c '|' "$W/$1-snmp.ids")" -gt 0 ] &&
	    cmp -s "$W/$1-snmp.ids" "$W/$2.ids"; then
		tap_ok "$1: NETCONF alone ($3) finds SNMP's $(grep -c '|' "$W/$2.ids") chassis/member serials, model, version, hostname"
	else
		tap_fail "$1: NETCONF-only ($3) and SNMP-only identities differ"
		diff "$W/$1-snmp.ids" "$W/$2.ids" | head -10 | sed 's/^/#   /'
	fi
}

while read -r n sport nport lport; do
	s=127.0.0.1:$sport
	a=127.0.0.1:$nport
	ib_scan "$n-mix" "$W/$n-mix.sqlite" $SN $NC --protocols snmp,netconf \
	    --ssh-port "$nport" "$s"
	ib_inventory "$n-mix" "$W/$n-mix.sqlite"
	tap_is "$(inv_dev "$s" status)" ok "$n: snmp,netconf scan is ok"
	r=$(python3 - "$W/$n-mix.json" "$s" <<'PY'
import json, sys
d = [x for x in json.load(open(sys.argv[1])) if x["address"] == sys.argv[2]]
if not d:
    print("no device")
else:
    d = d[0]
    print(",".join(d.get("protocols", [])) + " " + (";".join(
        "%s=%s/%s" % (c["field"], c["snmp"], c["netconf"])
        for c in d.get("crosscheck", [])) or "no-conflict"))
PY
)
	tap_is "$r" "snmp,netconf no-conflict" \
	    "$n: both protocols answered, no cross-check disagreement"

	ib_scan "$n-snmp" "$W/$n-snmp.sqlite" $SN "$s"
	ib_inventory "$n-snmp" "$W/$n-snmp.sqlite"
	ids "$s" | sort >"$W/$n-snmp.ids"
	ib_scan "$n-nc" "$W/$n-nc.sqlite" $NC --protocols netconf "$a"
	ib_inventory "$n-nc" "$W/$n-nc.sqlite"
	tap_is "$(inv_dev "$a" status)" ok "$n: NETCONF-only scan is ok"
	ids "$a" | sort >"$W/$n-nc.ids"
	same_ids "$n" "$n-nc" "sshd"
	a=127.0.0.1:$lport
	ib_scan "$n-ncl" "$W/$n-ncl.sqlite" $NC --protocols netconf "$a"
	ib_inventory "$n-ncl" "$W/$n-ncl.sqlite"
	ids "$a" | sort >"$W/$n-ncl.ids"
	same_ids "$n" "$n-ncl" "listener"
done <"$W/devports"

while read -r f lport; do
	a=127.0.0.1:$lport
	ib_scan "$f" "$W/$f.sqlite" $NC --protocols netconf --ssh-timeout 3000 "$a"
	ib_inventory "$f" "$W/$f.sqlite"
	st=$(inv_dev "$a" status)
	case $st in
	badreply|partial|timeout) tap_ok "listener fault $f: the device is $st" ;;
	*) tap_fail "listener fault $f: status $st" ;;
	esac
done <"$W/faultports"

# Golden XML: what the responder renders for the EX4300 VC profile.
G=$IB_ROOT/tests/data/golden_sim
for r in get-software-information get-chassis-inventory \
    get-virtual-chassis-information get-route-engine-information; do
	"$NCF_NETCONF" -r "$r" "$IB_ROOT/tests/data/snmprec/ex4300-vc8.snmprec" \
	    >"$W/golden-$r.xml" 2>"$W/golden-$r.err"
	if cmp -s "$W/golden-$r.xml" "$G/ex4300-vc8_$r.xml"; then
		tap_ok "golden: ex4300-vc8 $r"
	else
		tap_fail "golden: ex4300-vc8 $r differs from $G"
		diff "$G/ex4300-vc8_$r.xml" "$W/golden-$r.xml" 2>&1 | head -10 |
		    sed 's/^/#   /'
	fi
done

# Hostile clients, straight on the responder's stdin: each case must end
# the process with status 1 (a message on stderr), never a signal or a
# hang, and must not answer an RPC.
HELLO='<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>]]>]]>'
hostile() {
	_name=$1
	timeout 10 "$NCF_NETCONF" "$IB_ROOT/tests/data/snmprec/ex4300-vc8.snmprec" \
	    <"$W/h.in" >"$W/h.out" 2>"$W/h.err"
	_rc=$?
	if [ $_rc -eq 1 ] && [ -s "$W/h.err" ] && ! grep -q '<rpc-reply' "$W/h.out"; then
		tap_ok "hostile: $_name: exits 1 ($(head -c 60 "$W/h.err" | tr -d '\n'))"
	else
		tap_fail "hostile: $_name: exit $_rc"
		head -3 "$W/h.err" | sed 's/^/#   /'
	fi
}
printf 'GET / HTTP/1.0\r\n\r\n' >"$W/h.in"
hostile "HTTP instead of a hello"
head -c 3000000 /dev/zero | tr '\0' 'A' >"$W/h.in"
hostile "3 MB without a delimiter"
{ printf '%s' "$HELLO"; printf '\n#99999999999\nxx'; } >"$W/h.in"
hostile "chunk size over 2^32"
{ printf '%s' "$HELLO"; printf '\n#5\n<rpc>\nXX'; } >"$W/h.in"
hostile "chunk longer than its size"
{ printf '%s' "$HELLO"; printf '\n#9\n<!DOCTYPE\n##\n'; } >"$W/h.in"
hostile "not an <rpc>"
{ printf '%s' "$HELLO"; printf '\n#20\n<rpc message-id="1>\n##\n'; } >"$W/h.in"
hostile "unterminated rpc tag"
head -c 100000 /dev/urandom >"$W/h.in"
hostile "random bytes"
# A well-formed session with an RPC Junos does not know: an rpc-error,
# then <close-session/> ends it with status 0.
chunk() { printf '\n#%d\n%s\n##\n' "${#1}" "$1"; }
{ printf '%s' "$HELLO"
  chunk '<rpc message-id="7"><get-foo-bar/></rpc>'
  chunk '<rpc message-id="8"><close-session/></rpc>'; } >"$W/h.in"
timeout 10 "$NCF_NETCONF" "$IB_ROOT/tests/data/snmprec/ex4300-vc8.snmprec" \
    <"$W/h.in" >"$W/h.out" 2>"$W/h.err"
rc=$?
grep -q '<bad-element>get-foo-bar</bad-element>' "$W/h.out" &&
    grep -q '<ok/>' "$W/h.out"
tap_is "$rc $?" "0 0" "unknown RPC: rpc-error; close-session: ok, exit 0"
tap_done
