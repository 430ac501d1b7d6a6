#!/bin/sh
# sim.sh: ibsim, the SNMP fleet simulator, against net-snmp's own client
# tools.  A simulated device answers exactly its derived walk (`ibsim
# export`), by GETNEXT and by GETBULK; GET/GETNEXT/GETBULK edges give the
# RFC 3416 exceptions; copies get distinct serials (10,000 devices in one
# process); and each fault does what it says.
IB_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$IB_ROOT/tests/lib/tap.sh"
. "$IB_ROOT/tests/lib/agents.sh"
. "$IB_ROOT/tests/lib/sim.sh"

why=$(ib_have_tools) || tap_skip_all "$why"
if ! why=$(sim_have); then
	tap_fail "$why"
	tap_done
	exit 1
fi
ib_init
W=$IB_LIB/walkcanon
PROF=$IB_ROOT/sim/profiles
C="-v2c -c public -On -t 1 -r 0"

# canon_agent: a live walk in walkcanon form.  IpAddress and Counter64
# are served by ibsim (snmpd could not), so they are put in walkcanon's
# form by hand rather than left out.
canon_agent() {
	"$W" agent | sed -e 's/|UNEXPECTED-IpAddress|/|IpAddress|/' \
	    -e 's/|UNEXPECTED-Counter64|/|Counter64|/'
}
canon_export() {
	awk -F'|' '$2 == "64" { print "." $1 "|IpAddress|" $3; next }
	    $2 == "70" { print "." $1 "|Counter64|" $3 }' "$1" >"$1.extra"
	{ "$W" snmprec "$1"; cat "$1.extra"; } | LC_ALL=C sort
}

# --- answers match the profile -------------------------------------------
set --
for f in "$PROF"/*.snmprec; do
	set -- "$@" "$f:3"
done
corpus=
if ib_have_corpus >/dev/null; then
	corpus="$IB_CORPUS/snmprec/junos_vmx.snmprec"
	set -- "$@" "$corpus:2"
fi
sim_start fleet --seed 7 "$@" || { tap_fail "ibsim starts"; tap_done; exit 1; }
tap_ok "ibsim serves $(wc -l <"$SIM_MAN") devices"

while IFS='	' read -r idx addr path copy serial faults; do
	case $copy in 0|2) ;; *) continue ;; esac
	name=$(basename "$path" .snmprec)
	"$IBSIM" export --seed 7 --copy "$copy" "$path" >"$IB_WORK/exp.$idx"
	canon_export "$IB_WORK/exp.$idx" >"$IB_WORK/exp.$idx.canon"
	snmpbulkwalk $C -Ox -Cr40 "$addr" .1 2>&1 | canon_agent | LC_ALL=C sort >"$IB_WORK/bulk.$idx"
	snmpwalk $C -Ox "$addr" .1 2>&1 | canon_agent | LC_ALL=C sort >"$IB_WORK/next.$idx"
	n=$(wc -l <"$IB_WORK/exp.$idx.canon")
	if cmp -s "$IB_WORK/exp.$idx.canon" "$IB_WORK/bulk.$idx"; then
		tap_ok "$name copy $copy: GETBULK walk = ibsim export ($n varbinds)"
	else
		tap_fail "$name copy $copy: GETBULK walk = ibsim export"
		diff "$IB_WORK/exp.$idx.canon" "$IB_WORK/bulk.$idx" | head -5 | sed 's/^/#   /'
	fi
	cmp -s "$IB_WORK/bulk.$idx" "$IB_WORK/next.$idx"
	tap_check $? "$name copy $copy: GETNEXT walk = GETBULK walk"
	if [ "$copy" = 0 ]; then
		"$W" snmprec "$path" >"$IB_WORK/prof.canon"
		"$W" snmprec "$IB_WORK/exp.$idx" >"$IB_WORK/exp0.canon"
		cmp -s "$IB_WORK/prof.canon" "$IB_WORK/exp0.canon"
		tap_check $? "$name copy 0: export is the profile verbatim"
	else
		[ "$serial" != "$(sim_field fleet $((idx - 2)) 5)" ]
		tap_check $? "$name copy 2: its own chassis serial ($serial)"
	fi
done <"$SIM_MAN"
[ -n "$corpus" ] || tap_skip "a corpus walk served as a profile" "$(ib_have_corpus)"

# Each derived serial keeps its shape: length and character classes.
shape() { sed 's/[0-9]/9/g; s/[A-Z]/A/g; s/[a-z]/a/g'; }
a=$("$IBSIM" export --copy 0 "$PROF/ex4300-vc8.snmprec" | grep '^1.3.6.1.4.1.2636.3.1.8.1.7\.' | cut -d'|' -f3 | shape)
b=$("$IBSIM" export --copy 5 "$PROF/ex4300-vc8.snmprec" | grep '^1.3.6.1.4.1.2636.3.1.8.1.7\.' | cut -d'|' -f3 | shape)
c=$("$IBSIM" export --copy 5 "$PROF/ex4300-vc8.snmprec" | grep '^1.3.6.1.4.1.2636.3.1.8.1.7\.' | cut -d'|' -f3 | sort | uniq -d | grep -v BUILTIN | grep -c .)
tap_is "$b" "$a" "derived serials keep length and character classes"
tap_is "$c" 0 "no two rows of a copy share a derived serial by accident"
s1=$("$IBSIM" export --seed 1 --copy 5 "$PROF/mx480.snmprec" | grep '^1.3.6.1.4.1.2636.3.1.3.0')
s2=$("$IBSIM" export --seed 2 --copy 5 "$PROF/mx480.snmprec" | grep '^1.3.6.1.4.1.2636.3.1.3.0')
[ "$s1" != "$s2" ]
tap_check $? "another seed, other serials"

# --- PDU edges -------------------------------------------------------------
a0=$(sim_addr fleet 0)
out=$(snmpget $C "$a0" .1.3.6.1.2.1.1.5.0 .1.3.6.1.2.1.1.5.7 .1.3.6.1.2.1.99.1.0 2>&1)
tap_like "$out" '1\.1\.5\.0 = STRING' "GET: a value"
tap_like "$out" '1\.1\.5\.7 = No Such Instance' "GET: noSuchInstance in a known column"
tap_like "$out" '99\.1\.0 = No Such Object' "GET: noSuchObject elsewhere"
last=$("$IBSIM" export --copy 0 "$(sim_field fleet 0 3)" | tail -1 | cut -d'|' -f1)
out=$(snmpgetnext $C "$a0" ".$last" 2>&1)
tap_like "$out" 'No more variables left in this MIB View' "GETNEXT past the last OID: endOfMibView"
out=$(snmpbulkget $C -Cn1 -Cr3 "$a0" .1.3.6.1.2.1.1.1 .1.3.6.1.2.1.1.2 2>&1)
tap_is "$(echo "$out" | cut -d' ' -f1 | tr '\n' ' ')" \
    ".1.3.6.1.2.1.1.1.0 .1.3.6.1.2.1.1.2.0 .1.3.6.1.2.1.1.3.0 .1.3.6.1.2.1.1.4.0 " \
    "GETBULK: one non-repeater, then 3 repetitions"
out=$(snmpget -v2c -c private -On -t 0.5 -r 0 "$a0" .1.3.6.1.2.1.1.5.0 2>&1)
tap_like "$out" 'Timeout' "a wrong community gets no answer"
sim_stop fleet
tap_like "$(cat "$IB_WORK/fleet.err")" '^ibsim: [0-9]+ requests' "clean exit on SIGTERM, with its request count"

# --- 10,000 devices in one process, 10,000 chassis -----------------------
if sim_start big --port-base 0 "$PROF/mx480.snmprec:5000" "$PROF/qfx5120-48y.snmprec:5000"; then
	tap_is "$(wc -l <"$SIM_MAN" | tr -d ' ')" 10000 "10,000 devices in one process"
	tap_is "$(cut -f5 "$SIM_MAN" | sort -u | wc -l | tr -d ' ')" 10000 "10,000 distinct chassis serials"
	out=$(snmpget $C "$(sim_addr big 9999)" .1.3.6.1.4.1.2636.3.1.3.0 2>&1)
	tap_like "$out" "STRING: \"$(sim_field big 9999 5)\"" "device 9999 serves the serial of its manifest line"
	sim_stop big
else
	tap_fail "10,000 devices in one process"
fi

# --- faults ------------------------------------------------------------------
# A share of the fleet: exactly that many devices, the same ones each run.
sim_start share --seed 9 --fault silent=25% --fault malformed=10% "$PROF/srx345-cluster.snmprec:20" &&
    a=$(cut -f6 "$SIM_MAN" | tr '\n' ' ') && sim_stop share &&
    sim_start share --seed 9 --fault silent=25% --fault malformed=10% "$PROF/srx345-cluster.snmprec:20"
tap_is "$(grep -c silent "$SIM_MAN")" 5 "silent=25% of 20 devices: exactly 5"
tap_is "$(grep -c malformed "$SIM_MAN")" 2 "malformed=10% of 20 devices: exactly 2"
tap_is "$(cut -f6 "$SIM_MAN" | tr '\n' ' ')" "$a" "the same devices with the same seed"
sim_stop share
M=$PROF/mx480.snmprec
sim_start faults --seed 3 --fault silent@0 --fault loss=50%@1 \
    --fault slow=400ms@2 --fault truncate@3 --fault malformed@4 \
    --fault oversized=3000@5 --fault rma@6 --fault upgrade@7 "$M:12" || { tap_fail "faulty fleet starts"; tap_done; exit 1; }
tap_is "$(cut -f6 "$SIM_MAN" | head -8 | tr '\n' ' ')" \
    "silent loss=50.00% slow=400ms truncate malformed oversized=3000 rma upgrade " \
    "the manifest names each device's faults"
SYS=.1.3.6.1.2.1.1.5.0
out=$(snmpget $C "$(sim_addr faults 0)" $SYS 2>&1)
tap_like "$out" Timeout "silent: no answer"
ok=0
i=0
while [ $i -lt 40 ]; do
	snmpget $C -t 0.2 "$(sim_addr faults 1)" $SYS >/dev/null 2>&1 && ok=$((ok + 1))
	i=$((i + 1))
done
[ $ok -ge 8 ] && [ $ok -le 32 ]
tap_check $? "loss=50%: $ok of 40 single tries answered (8..32 expected)"
t0=$(date +%s%N)
out=$(snmpget $C -t 2 "$(sim_addr faults 2)" $SYS 2>&1)
ms=$((($(date +%s%N) - t0) / 1000000))
tap_like "$out" STRING "slow: answers"
tap_ge "$ms" 400 "slow=400ms: took $ms ms"
# Both answer (snmpget -d shows the packet), but net-snmp cannot use it.
full=$(snmpget -d $C "$(sim_addr faults 9)" $SYS 2>&1 | sed -n 's/^Received \([0-9]*\) byte.*/\1/p' | tail -1)
out=$(snmpget -d $C "$(sim_addr faults 3)" $SYS 2>&1)
tap_like "$out" Timeout "truncate: net-snmp cannot use the answer"
tap_like "$out" "Received $((full / 2)) byte packet" "truncate: half of the $full bytes arrive"
out=$(snmpget -d $C "$(sim_addr faults 4)" $SYS 2>&1)
tap_like "$out" Timeout "malformed: net-snmp cannot use the answer"
tap_like "$out" "Received $full byte packet" "malformed: an answer of the right size arrives"
out=$(snmpget $C -Ov "$(sim_addr faults 5)" $SYS 2>&1)
tap_is "$(printf '%s' "$out" | sed 's/^STRING: //; s/"//g' | tr -d '\n' | wc -c | tr -d ' ')" 3000 \
    "oversized=3000: sysName of 3000 bytes"
rma0=$(sim_field faults 6 5)
other0=$(sim_field faults 9 5)
up0=$(snmpget $C -Ov "$(sim_addr faults 7)" .1.3.6.1.2.1.1.1.0 2>&1)
ser0=$(snmpget $C -Ov "$(sim_addr faults 6)" .1.3.6.1.4.1.2636.3.1.3.0 2>&1)
sim_epoch faults
rma1=$(sim_field faults 6 5)
ser1=$(snmpget $C -Ov "$(sim_addr faults 6)" .1.3.6.1.4.1.2636.3.1.3.0 2>&1)
up1=$(snmpget $C -Ov "$(sim_addr faults 7)" .1.3.6.1.2.1.1.1.0 2>&1)
[ "$rma0" != "$rma1" ] && [ "$ser1" = "STRING: \"$rma1\"" ] && [ "$ser0" = "STRING: \"$rma0\"" ]
tap_check $? "rma: after SIGUSR1 another chassis serial ($rma0 -> $rma1), manifest and device agree"
tap_like "$up0" 'JUNOS 21\.4R3-S5\.4,' "upgrade: the version before"
tap_like "$up1" 'JUNOS 22\.4R3-S5\.4,' "upgrade: a newer version after SIGUSR1"
tap_is "$(sim_field faults 9 5)" "$other0" "an unfaulted device keeps its serial across epochs"
sim_stop faults
tap_done
