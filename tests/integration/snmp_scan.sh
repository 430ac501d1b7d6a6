#!/bin/sh
# snmp_scan.sh: ibagent against real snmpd agents on 127.0.0.1.
#   (a) every corpus walk, one scan from an @targets file: status, identity
#       vs LibreNMS (tests/integration/expected_exceptions.tsv), VC members,
#       components with part numbers, ENTITY-MIB components, non-Junos os
#   (b) a silent endpoint -> timeout, the others still ok, bounded time
#   (c) a closed port -> refused (ICMP port unreachable is delivered on
#       loopback; see agents_selftest.sh)
#   (d) system-group-only agents: non-Juniper -> ok/other; Junos with empty
#       tables -> ok (like junos_1.snmprec); Junos whose table requests go
#       unanswered (filtering relay) -> partial
#   (e) rescan with one agent dead: its data stays, status timeout; the
#       rescanned devices do not grow duplicate items
#   (f) SNMPv3 authPriv (SHA/AES), wrong passphrases, no secret anywhere
#   plus exit codes for usage errors.
# Env: IBAGENT (default ./ibagent), IB_CORPUS, IB_SCAN_BOUND (seconds the
# big scan may take, default 60), IB_KEEP_WORK=1 keeps the work dir.
IB_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$IB_ROOT/tests/lib/tap.sh"
. "$IB_ROOT/tests/lib/agents.sh"
. "$IB_ROOT/tests/lib/inventory.sh"

why=$(ib_have_tools) || tap_skip_all "$why"
why=$(ib_have_corpus) || tap_skip_all "$why"
if ! why=$(ib_have_ibagent); then
	tap_fail "$why"
	tap_done
	exit 1
fi
ib_init

W=$IB_CORPUS/snmprec
IB_SCAN_BOUND=${IB_SCAN_BOUND:-60}
SCANOPTS="--community public --timeout 1000 --retries 1 --max-inflight 16"
DB=$IB_WORK/inventory.sqlite

addr() {
	echo "127.0.0.1:$(ib_port "$1")"
}

# --- agents -------------------------------------------------------------------
cat >"$IB_WORK/sysonly-other.snmprec" <<'EOF'
1.3.6.1.2.1.1.1.0|4|Linux ibtest-host 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 x86_64
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.8072.3.2.10
1.3.6.1.2.1.1.5.0|4|sysonly-other
EOF
cat >"$IB_WORK/sysonly-junos.snmprec" <<'EOF'
1.3.6.1.2.1.1.1.0|4|Juniper Networks, Inc. mx480 internet router, kernel JUNOS 21.4R3-S5.4, Build date: 2023-05-10 10:00:00 UTC Copyright (c) 1996-2023 Juniper Networks, Inc.
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.2636.1.1.1.2.25
1.3.6.1.2.1.1.5.0|4|sysonly-junos
EOF

walks=
for f in "$W"/*.snmprec; do
	n=$(basename "$f" .snmprec)
	walks="$walks $n"
	IB_NOWAIT=1 ib_start_snmprec "$n" "$f"
done
IB_NOWAIT=1 ib_start_snmprec sysonly-other "$IB_WORK/sysonly-other.snmprec"
IB_NOWAIT=1 ib_start_snmprec sysonly-junos "$IB_WORK/sysonly-junos.snmprec"
IB_NOWAIT=1 ib_start_snmprec partial-backend "$W/junos_mx.snmprec"
ib_wait_all
up=$?
ib_start_filter partial "$(ib_port partial-backend)" \
    $IB_BER_JUNIPER $IB_BER_HOSTRES $IB_BER_ENTITY || up=1
ib_start_silent silent || up=1
ib_closed_port closed
tap_check $up "agents: $(echo $walks | wc -w) corpus walks, 2 system-group-only, relay, silent, closed port"

: >"$IB_WORK/targets"
for n in $walks sysonly-other sysonly-junos partial silent closed; do
	addr "$n" >>"$IB_WORK/targets"
done
ntargets=$(wc -l <"$IB_WORK/targets")

# --- usage errors ----------------------------------------------------------
usage() {	# DESCRIPTION ARGS...: ibagent ARGS must fail (not crash, not hang)
	_d=$1
	shift
	timeout 60 "$IBAGENT" --db "$IB_WORK/usage.sqlite" "$@" >/dev/null 2>&1
	_rc=$?
	if [ $_rc -ne 0 ] && [ $_rc -ne 124 ] && [ $_rc -lt 128 ]; then
		tap_ok "usage: $_d exits non-zero ($_rc)"
	else
		tap_fail "usage: $_d exits non-zero ($_rc)"
	fi
}
usage "scan without a target" scan
usage "an unknown option" scan --no-such-option "$(addr junos_1)"
usage "an unreadable @file" scan "@$IB_WORK/no-such-targets-file"

# --- (a)-(d): one scan of everything ---------------------------------------
# shellcheck disable=SC2086
ib_scan scan1 "$DB" $SCANOPTS "@$IB_WORK/targets"
tap_is "$SCAN_RC" 0 "scan of $ntargets targets from an @file exits 0 although some devices fail"
tap_ge "$IB_SCAN_BOUND" "$SCAN_SECS" \
    "scan with a silent endpoint, a closed port and a stalling relay took ${SCAN_SECS}s (bound ${IB_SCAN_BOUND}s)"
ib_inventory inv1 "$DB"
tap_check $? "inventory --format json is an array of devices with the specified keys"
got=$(awk -F '\t' '$1 == "D" && $3 == "address"' "$INV" | wc -l)
tap_is "$got" "$ntargets" "inventory lists all $ntargets targets"

# (a) the corpus walks
for n in $walks; do
	a=$(addr "$n")
	tap_is "$(inv_dev "$a" status)" ok "$n: status ok"
	for field in model serial version os; do
		ib_expect_check "$a" "$n.snmprec" "$field" "$n"
	done
	# the chassis serial is one item: the chassis, or the VC member whose
	# serial it is (an item is identified by its serial)
	ib_expect "$n.snmprec" serial
	if [ -n "$EXP_VALUE" ] && ib_serialized "$EXP_VALUE"; then
		got=$(inv_count "$a" "" serial "$EXP_VALUE")
		kinds=$(inv_items "$a" | awk -F '\t' -v s="$EXP_VALUE" \
		    'toupper($3) == toupper(s) { printf "%s%s", c, $1; c = "," }')
		tap_is "$got" 1 "$n: chassis serial $EXP_VALUE is one item (${kinds:-none})"
		case $kinds in
		chassis | member) ;;
		*) tap_fail "$n: the item with the chassis serial is the chassis or a VC member, not '$kinds'" ;;
		esac
	fi
done

# (a) Virtual Chassis members, each with its own serial, version and role
for n in junos junos_qfx5100; do
	a=$(addr "$n")
	ib_walk_members "$W/$n.snmprec" >"$IB_WORK/$n.members"
	want=$(wc -l <"$IB_WORK/$n.members")
	tap_is "$(inv_count "$a" member)" "$want" "$n: $want VC member items"
	while IFS='	' read -r id serial version role; do
		tap_is "$(inv_count "$a" member serial "$serial")" 1 \
		    "$n: member $id is an item with serial $serial"
		got=$(inv_items "$a" member | awk -F '\t' -v s="$serial" \
		    'toupper($3) == toupper(s) { print $12 "|" $11; exit }')
		case $role in
		1) r=master ;; 2) r=backup ;; 3) r=linecard ;; *) r=. ;;
		esac
		tap_like "$got" "^$version\\|.*$r" \
		    "$n: member $id version $version, role $r (jnxVirtualChassisMemberRole $role)"
	done <"$IB_WORK/$n.members"
done

# (a) jnxContentsTable rows with part numbers.  A row whose serial is a VC
# member's (FPC n of a VC is member n) may be reported on the member item,
# and rows sharing a serial are one item (docs/database.md: a serialized item
# is identified by (device, serial)), so parts and serials are looked for on
# items of any kind, once per distinct value.
for n in junos_vmx junos_qfx5100; do
	a=$(addr "$n")
	ib_walk_contents "$W/$n.snmprec" >"$IB_WORK/$n.contents"
	parts=$(cut -f 3 "$IB_WORK/$n.contents" | while read -r part; do
		ib_serialized "$part" && echo "$part"
	done | sort -u)
	if [ -z "$parts" ]; then
		tap_skip "$n: components carry part numbers" \
		    "the walk has no real jnxContentsPartNo (only $(cut -f 3 "$IB_WORK/$n.contents" | sort -u | tr '\n' ' ' | sed 's/ $//')), nothing to find"
	fi
	for part in $parts; do
		got=$(inv_count "$a" "" part_number "$part")
		tap_ge "$got" 1 "$n: part number $part (jnxContentsPartNo) is on $got item(s)"
	done
	got=$(inv_items "$a" component | wc -l)
	tap_ge "$got" 1 "$n: $got component items from jnxContentsTable"
	cut -f 2 "$IB_WORK/$n.contents" | sort | uniq -c >"$IB_WORK/$n.serials"
	while read -r cnt serial; do
		ib_serialized "$serial" || continue
		got=$(inv_count "$a" "" serial "$serial")
		tap_is "$got" 1 "$n: serial $serial (jnxContentsSerialNo, $cnt row(s)) is one item"
	done <"$IB_WORK/$n.serials"
done

# (a) Junos Evolved: components from ENTITY-MIB
n=junos_qfx5130-32cd-evo
a=$(addr $n)
box=$(ib_walk_get "$W/$n.snmprec" 1.3.6.1.4.1.2636.3.1.3.0)
got=$(inv_items "$a" | awk -F '\t' '$10 ~ /47\.1\.1\.1|entPhysical/' | wc -l)
tap_ge "$got" 1 "$n: $got items come from entPhysicalTable (source_ref)"
ib_walk_entity "$W/$n.snmprec" >"$IB_WORK/$n.entity"
while IFS='	' read -r idx descr serial model; do
	ib_serialized "$serial" || continue
	[ "$serial" = "$box" ] && continue
	got=$(inv_count "$a" component serial "$serial")
	tap_ge "$got" 1 "$n: entPhysical.$idx '$descr' serial $serial is a component item"
	got=$(inv_items "$a" component | awk -F '\t' -v s="$serial" -v m="$model" \
	    'toupper($3) == toupper(s) && ($5 == m || $6 == m) { print "y"; exit }')
	tap_is "$got" y "$n: entPhysical.$idx model name $model kept (part_number or model)"
done <"$IB_WORK/$n.entity"

# (b) silent, (c) closed port
a=$(addr silent)
tap_is "$(inv_dev "$a" status)" timeout "silent endpoint: status"
tap_like "$(inv_dev "$a" error)" . "silent endpoint: error says why"
a=$(addr closed)
tap_is "$(inv_dev "$a" status)" refused "closed port: status (ICMP port unreachable is delivered on loopback)"
tap_like "$(inv_dev "$a" error)" . "closed port: error says why"

# (d) system group only
a=$(addr sysonly-other)
tap_is "$(inv_dev "$a" status)" ok "system-group-only, non-Juniper sysObjectID: status"
tap_is "$(inv_dev "$a" os)" other "system-group-only, non-Juniper sysObjectID: os"
tap_is "$(inv_dev "$a" hostname)" sysonly-other "system-group-only, non-Juniper sysObjectID: hostname = sysName"
a=$(addr sysonly-junos)
tap_is "$(inv_dev "$a" status)" ok "system-group-only Junos, tables empty (answered, no rows): status ok"
tap_is "$(inv_dev "$a" os)" junos "system-group-only Junos: os"
tap_is "$(inv_dev "$a" model)" MX480 "system-group-only Junos: model from sysDescr"
tap_is "$(inv_dev "$a" version)" 21.4R3-S5.4 "system-group-only Junos: version from sysDescr"
a=$(addr partial)
tap_is "$(inv_dev "$a" status)" partial "Junos whose table requests go unanswered: status partial"
tap_is "$(inv_dev "$a" version)" 16.2R2.8 "Junos whose table requests go unanswered: version from sysDescr kept"
tap_is "$(inv_dev "$a" model)" MX80 "Junos whose table requests go unanswered: model from sysDescr kept"

# --- (e) rescan with one agent dead -----------------------------------------
# Dead agent, port closed: ICMP port unreachable -> refused.  Then a silent
# process on its port (a host that is down) -> timeout.  Either way the data
# of the earlier scan stays.
dead=junos_qfx5100
ad=$(addr $dead)
before_items=$(inv_dev "$ad" items)
before_members=$(inv_count "$ad" member)
ib_expect "$dead.snmprec" serial
before_serial=$EXP_VALUE
before_vmx=$(inv_dev "$(addr junos_vmx)" items)
before_mx=$(inv_dev "$(addr junos_mx)" items)
printf '%s\n' "$ad" "$(addr junos_vmx)" "$(addr junos_mx)" >"$IB_WORK/targets2"
ib_stop $dead
for how in refused timeout; do
	if [ $how = timeout ]; then
		ib_start_silent dead-silent "${ad##*:}" ||
		    tap_fail "a silent endpoint takes over port ${ad##*:}"
	fi
	# shellcheck disable=SC2086
	ib_scan scan-$how "$DB" $SCANOPTS "@$IB_WORK/targets2"
	tap_is "$SCAN_RC" 0 "rescan with $dead down ($how) exits 0"
	ib_inventory inv-$how "$DB"
	tap_check $? "inventory after the rescan ($how) is valid"
	tap_is "$(inv_dev "$ad" status)" $how "$dead down ($how): status $how"
	tap_is "$(inv_dev "$ad" serial)" "$before_serial" "$dead down ($how): chassis serial kept"
	tap_is "$(inv_dev "$ad" items)" "$before_items" "$dead down ($how): all $before_items items kept"
	tap_is "$(inv_count "$ad" member)" "$before_members" "$dead down ($how): member items kept"
	tap_is "$(inv_dev "$(addr junos_vmx)" status)" ok "junos_vmx rescanned: status ok"
	tap_is "$(inv_dev "$(addr junos_vmx)" items)" "$before_vmx" "junos_vmx rescanned: still $before_vmx items, no duplicates"
	tap_is "$(inv_dev "$(addr junos_mx)" items)" "$before_mx" "junos_mx rescanned: still $before_mx items, no duplicates"
	got=$(awk -F '\t' '$1 == "D" && $3 == "address"' "$INV" | wc -l)
	tap_is "$got" "$ntargets" "devices not in the rescan are still listed"
done

# --- (f) SNMPv3 --------------------------------------------------------------
V3USER=ibv3user
AUTH=ibAuthPass-$$-Qz7
PRIV=ibPrivPass-$$-Kx3
BADAUTH=ibBadAuth-$$-Wm4
BADPRIV=ibBadPriv-$$-Jt9
V3DB=$IB_WORK/v3.sqlite
if ib_start_v3 v3 "$W/junos_mx.snmprec" "$V3USER" "$AUTH" "$PRIV"; then
	a=$(addr v3)
	V3OPTS="--snmp-version 3 --v3-user $V3USER --v3-auth-proto SHA --v3-priv-proto AES --timeout 1000 --retries 1"
	IBAGENT_V3_AUTH_PASS=$AUTH
	IBAGENT_V3_PRIV_PASS=$PRIV
	export IBAGENT_V3_AUTH_PASS IBAGENT_V3_PRIV_PASS
	# shellcheck disable=SC2086
	ib_scan v3ok "$V3DB" $V3OPTS "$a"
	tap_is "$SCAN_RC" 0 "v3: authPriv scan exits 0"
	ib_inventory v3inv1 "$V3DB"
	tap_is "$(inv_dev "$a" status)" ok "v3: SHA/AES authPriv: status"
	tap_is "$(inv_dev "$a" serial)" G0290 "v3: SHA/AES authPriv: serial read"

	IBAGENT_V3_AUTH_PASS=$BADAUTH
	# shellcheck disable=SC2086
	ib_scan v3badauth "$V3DB" $V3OPTS "$a"
	tap_is "$SCAN_RC" 0 "v3: scan with a wrong auth passphrase exits 0 (a device failure)"
	ib_inventory v3inv2 "$V3DB"
	tap_is "$(inv_dev "$a" status)" auth "v3: wrong auth passphrase (Report usmStatsWrongDigests): status auth"

	IBAGENT_V3_AUTH_PASS=$AUTH
	IBAGENT_V3_PRIV_PASS=$BADPRIV
	# shellcheck disable=SC2086
	ib_scan v3badpriv "$V3DB" $V3OPTS "$a"
	ib_inventory v3inv3 "$V3DB"
	# snmpd sends no Report for a request it cannot decrypt, it drops it:
	# only "discovery answered, authenticated request not" tells auth
	# from a dead agent.
	tap_is "$(inv_dev "$a" status)" auth \
	    "v3: wrong priv passphrase (agent answers discovery, then drops the undecryptable request): status auth"
	unset IBAGENT_V3_AUTH_PASS IBAGENT_V3_PRIV_PASS

	"$IBAGENT" --db "$V3DB" inventory >"$IB_WORK/v3inv.txt" 2>&1
	for s in "$AUTH" "$PRIV" "$BADAUTH" "$BADPRIV"; do
		c=0
		for f in "$V3DB" "$V3DB-wal" "$V3DB-journal" "$V3DB-shm"; do
			[ -f "$f" ] || continue
			c=$((c + $(grep -a -c -F -e "$s" "$f")))
		done
		tap_is "$c" 0 "v3: secret '$s' appears nowhere in the database files (grep -c)"
		if command -v sqlite3 >/dev/null 2>&1; then
			c=$(sqlite3 "$V3DB" .dump | grep -c -F -e "$s")
			tap_is "$c" 0 "v3: secret '$s' appears nowhere in sqlite3 .dump"
		else
			tap_skip "v3: secret not in sqlite3 .dump" "sqlite3 not installed"
		fi
		c=$(cat "$IB_WORK"/v3*.out "$IB_WORK"/v3*.err "$IB_WORK"/v3inv*.json \
		    "$IB_WORK"/v3inv*.inv.err "$IB_WORK/v3inv.txt" | grep -c -F -e "$s")
		tap_is "$c" 0 "v3: secret '$s' appears nowhere in ibagent's stdout/stderr"
	done
else
	tap_fail "v3: SNMPv3 agent starts"
fi

tap_done
