#!/bin/sh
# daemon.sh: `ibagent run` end to end on loopback.  Real snmpd agents
# serve the test devices in two sites; the daemon scans them every 10 s,
# writes a coverage report after each cycle and delivers alerts to a hook.
# Between two cycles the branch MX is served with another chassis serial
# (REPLACED) and a SIGHUP moves the as-of date past a contract's end
# (an item gets worse); a SIGHUP with a bad file first must change nothing.
# Also: check-config, a second instance refused, one log line per device
# state change, SIGTERM mid-scan leaves a consistent database with the
# finished devices saved, and `make install DESTDIR=...`.
IB_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$IB_ROOT/tests/lib/tap.sh"
. "$IB_ROOT/tests/lib/agents.sh"

why=$(ib_have_tools) || tap_skip_all "$why"
command -v sqlite3 >/dev/null 2>&1 || tap_skip_all "sqlite3 CLI absent"
command -v python3 >/dev/null 2>&1 || tap_skip_all "python3 absent"
tap_need_built "$IBAGENT"
ib_init
cd "$IB_ROOT" || exit 1
W=$IB_WORK
DB=$W/ib.sqlite
EX=examples/entitlement
DPID=

stop_daemon() {
	[ -n "$DPID" ] && kill "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null
	DPID=
}
trap 'stop_daemon; ib_cleanup' EXIT

# wait_log PATTERN COUNT SECONDS: until the log has COUNT lines matching.
wait_log() {
	_i=0
	while [ "$(grep -c -- "$1" "$W/run.log" 2>/dev/null)" -lt "$2" ]; do
		_i=$((_i + 1))
		[ $_i -gt $(($3 * 10)) ] && return 1
		sleep 0.1
	done
	return 0
}

mx() {	# SERIAL: a one-chassis MX480 walk
	cat <<EOF
1.3.6.1.2.1.1.1.0|4|Juniper Networks, Inc. mx480 internet router, kernel JUNOS 23.4R2-S3.9, Build date: 2024-10-10 10:00:00 UTC Copyright (c) 1996-2024 Juniper Networks, Inc.
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.2636.1.1.1.2.25
1.3.6.1.2.1.1.5.0|4|edge-mx-01
1.3.6.1.2.1.1.6.0|4|Branch 7
1.3.6.1.4.1.2636.3.1.2.0|4|Juniper MX480 Internet Backbone Router
1.3.6.1.4.1.2636.3.1.3.0|4|$1
EOF
}
mx JN11EXAMPLEA >"$W/mx-a.snmprec"
mx JN11EXAMPLEB >"$W/mx-b.snmprec"

IB_NOWAIT=1 ib_start_snmprec vc tests/data/snmprec/ex4300-vc8.snmprec
IB_NOWAIT=1 ib_start_snmprec srx tests/data/snmprec/srx345-cluster.snmprec
IB_NOWAIT=1 ib_start_snmprec mx "$W/mx-a.snmprec"
ib_wait_all || { tap_fail "agents did not start"; tap_done; exit 1; }
VC=$(ib_port vc) SRX=$(ib_port srx) MX=$(ib_port mx)

mkdir -p "$W/reports" "$W/hooks"
printf 'public\n' >"$W/community"
chmod 600 "$W/community"
cat >"$W/hook.sh" <<EOF
#!/bin/sh
# An alert hook: keep the JSON of each call.
cat >"$W/hooks/\$1-\$(date +%s%N).json"
EOF
chmod 755 "$W/hook.sh"

conf() {	# AS_OF [EXTRA]: the two-site configuration
	cat <<EOF
# two sites, a report, two alerts
[ibagent]
db = ib.sqlite
schedule = every 10s
log_level = info
as_of = $1

[credentials lab]
community_file = community

[site dc1]
targets = 127.0.0.1:$VC 127.0.0.1:$SRX
credentials = lab
timeout = 500ms
retries = 1

[site branch]
targets = 127.0.0.1:$MX
credentials = lab
timeout = 500ms
retries = 1

[report coverage]
report = coverage
format = csv
output_dir = reports
retention = 1h

[alert lapse]
rule = worse
hook = $W/hook.sh lapse

[alert swap]
rule = replaced
hook = $W/hook.sh swap
$2
EOF
}
conf 2026-12-01 >"$W/ibagent.conf"
chmod 644 "$W/ibagent.conf"
RUN="$IBAGENT run -c $W/ibagent.conf --stderr"

# --- check-config -------------------------------------------------------
out=$("$IBAGENT" check-config -c "$W/ibagent.conf" 2>&1)
tap_check $? "check-config: the example is valid"
out=$("$IBAGENT" check-config -v -c "$W/ibagent.conf" 2>&1)
tap_like "$out" "schedule = every 10s" "check-config -v prints the effective configuration"
tap_like "$out" "max_in_flight = 256	# default" "check-config -v shows defaults"
case $out in *public*) tap_fail "check-config -v shows no secret";;
*) tap_ok "check-config -v shows no secret";; esac
chmod 640 "$W/community"
out=$("$IBAGENT" check-config -c "$W/ibagent.conf" 2>&1)
tap_is $? 1 "check-config: a group-readable community file is refused"
tap_like "$out" "ibagent.conf:9: community_file: .*community: secret file is accessible by group or others \\(mode 640\\)" \
    "check-config: FILE:LINE: message"
chmod 600 "$W/community"
"$IBAGENT" check-config -c "$W/nonexistent.conf" >/dev/null 2>&1
tap_is $? 1 "check-config: a missing file is an error"

# --- entitlement data, then the daemon ----------------------------------
for k in contracts hw-lifecycle sw-lifecycle cpo warranty registrations; do
	"$IBAGENT" -q --db "$DB" import "$k" "$EX/$k.csv" >/dev/null 2>&1 ||
	    tap_fail "import $k"
done
$RUN >"$W/run.log" 2>&1 &
DPID=$!
wait_log "report coverage: wrote" 1 30
tap_check $? "first cycle: scans of both sites and the report"
tap_is "$(sqlite3 "$DB" "SELECT count(*) FROM scans WHERE finished IS NOT NULL")" 2 \
    "one scan per site"
tap_like "$(sqlite3 "$DB" "SELECT group_concat(argv, ';') FROM scans")" \
    "run site=dc1 .*;run site=branch " "the scans name their sites"
n=$(ls "$W/reports" | grep -c '^coverage-[0-9]\{8\}-[0-9]\{6\}\.csv$')
tap_is "$n" 1 "a report file appeared"
f=$(ls "$W/reports"/coverage-*.csv | head -1)
tap_like "$(head -1 "$f")" "serial" "the report is the coverage CSV"
tap_like "$(cat "$f")" "PE3714AA0013" "the report lists the devices' items"
tap_is "$(ls "$W/hooks" | wc -l)" 0 "no alert on the first cycle (the baseline)"

# --- a second instance on the same database -----------------------------
out=$($RUN --once 2>&1)
tap_is $? 1 "a second instance is refused"
tap_like "$out" "another ibagent \\(pid $DPID\\) is running on this database" \
    "it says which process holds the database"

# --- SIGHUP with a bad file keeps the running configuration -------------
conf 2027-06-01 "colour = blue" >"$W/ibagent.conf"
kill -HUP "$DPID"
wait_log "keeping the running configuration" 1 10
tap_check $? "SIGHUP with an invalid file: kept the old configuration"
tap_like "$(cat "$W/run.log")" "ibagent.conf:36: unknown key 'colour' in \[alert\]" \
    "the reload error says FILE:LINE"

# --- the MX is swapped, the srx dies, the as-of date moves --------------
ib_stop mx
ib_stop srx
_ib_next=$MX
ib_start_snmprec mx2 "$W/mx-b.snmprec" ||
    { tap_fail "MX agent did not restart"; tap_done; exit 1; }
tap_is "$(ib_port mx2)" "$MX" "second MX walk served on the same port"
conf 2027-06-01 >"$W/ibagent.conf"
kill -HUP "$DPID"
wait_log "reload: configuration applied" 1 10
tap_check $? "SIGHUP with a valid file: applied"
wait_log "report coverage: wrote" 3 40
tap_check $? "two more cycles on schedule" || tail -20 "$W/run.log" | sed 's/^/# /'

tap_ge "$(ls "$W/reports" | grep -c '^coverage-')" 2 "report files of later cycles"

swap=$(cat "$W"/hooks/swap-*.json 2>/dev/null)
tap_is "$(ls "$W/hooks" | grep -c '^swap-')" 1 "the replaced alert reached its hook once"
tap_like "$swap" '"rule":"replaced"' "hook JSON: the rule"
tap_like "$swap" '"old_serial":"JN11EXAMPLEA","new_serial":"JN11EXAMPLEB"' "hook JSON: old and new serial"
printf '%s' "$swap" | python3 -m json.tool >/dev/null 2>&1
tap_check $? "hook JSON (replaced) parses"
lapse=$(cat "$W"/hooks/lapse-*.json 2>/dev/null)
tap_is "$(ls "$W/hooks" | grep -c '^lapse-')" 1 "the worse alert reached its hook once"
tap_like "$lapse" '"serial":"CV1718AF0456"[^}]*"old":"COVERED","new":"LAPSED"' \
    "hook JSON: the item whose contract ended went COVERED -> LAPSED"
printf '%s' "$lapse" | python3 -m json.tool >/dev/null 2>&1
tap_check $? "hook JSON (worse) parses"
tap_like "$(cat "$W/run.log")" "alert lapse: 127.0.0.1:$SRX node1 CV1718AF0456: COVERED -> LAPSED" \
    "the alert is logged"
tap_is "$(grep -c "127.0.0.1:$SRX: ok -> refused" "$W/run.log")" 1 \
    "one log line for a device going from ok to refused, not one per cycle"
tap_is "$(grep -c "site dc1: 127.0.0.1:$SRX" "$W/run.log")" 1 "and no other line about it"

kill -TERM "$DPID"
wait "$DPID"
tap_is $? 0 "SIGTERM between scans: exit 0"
DPID=
tap_like "$(tail -1 "$W/run.log")" "stopped|signal 15: stopping" "and says so"

# --- SIGTERM in the middle of a scan ------------------------------------
for i in 1 2 3 4 5 6; do
	IB_NOWAIT=1 ib_start_silent "s$i"
done
ib_wait_all
silent=
for i in 1 2 3 4 5 6; do silent="$silent 127.0.0.1:$(ib_port s$i)"; done
cat >"$W/slow.conf" <<EOF
[ibagent]
db = ib.sqlite
[credentials lab]
community_file = community
[site slow]
targets = 127.0.0.1:$VC $silent
credentials = lab
max_in_flight = 2
timeout = 3s
retries = 1
EOF
before=$(sqlite3 "$DB" "SELECT count(*) FROM scan_results")
"$IBAGENT" run -c "$W/slow.conf" --stderr --once >"$W/slow.log" 2>&1 &
SPID=$!
sleep 2
kill -TERM "$SPID"
t0=$(date +%s)
wait "$SPID"
rc=$?
t1=$(date +%s)
tap_is "$rc" 1 "SIGTERM mid-scan: --once exits 1 (interrupted)"
tap_ge 3 $((t1 - t0)) "it stops within 3 s, not after the silent devices' timeouts"
tap_is "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok "the database is consistent"
tap_is "$(sqlite3 "$DB" "SELECT finished IS NOT NULL FROM scans ORDER BY id DESC LIMIT 1")" 1 \
    "the interrupted scan is closed"
tap_is "$(sqlite3 "$DB" "SELECT count(*) FROM scan_results r JOIN devices d ON d.id = r.device_id WHERE r.scan_id = (SELECT max(id) FROM scans) AND d.address = '127.0.0.1:$VC' AND r.status = 'ok'")" 1 \
    "the device finished before SIGTERM is saved"
tap_ge $(($(sqlite3 "$DB" "SELECT count(*) FROM scan_results") - before)) 1 \
    "results of the interrupted scan are kept"
tap_like "$(cat "$W/slow.log")" "interrupted: the devices done are saved" "the log says so"

# --- make install -------------------------------------------------------
if [ -n "${BUILD:-}" ] && command -v make >/dev/null 2>&1; then
	make -s BUILD="$BUILD" BIN="$IBAGENT" install DESTDIR="$W/root" PREFIX=/usr \
	    >"$W/install.log" 2>&1
	tap_check $? "make install DESTDIR"
	for f in usr/bin/ibagent usr/share/man/man8/ibagent.8 \
	    usr/share/man/man5/ibagent.conf.5 \
	    usr/lib/systemd/system/ibagent.service \
	    usr/lib/systemd/system/ibagent.timer \
	    usr/lib/systemd/system/ibagent-scan.service \
	    usr/share/doc/ibagent/examples/ibagent.conf; do
		[ -f "$W/root/$f" ] && tap_ok "installed $f" || tap_fail "installed $f"
	done
	make -s BUILD="$BUILD" BIN="$IBAGENT" uninstall DESTDIR="$W/root" PREFIX=/usr \
	    >/dev/null 2>&1
	tap_is "$(find "$W/root" -type f | wc -l)" 0 "make uninstall removes them"
else
	tap_skip "make install" "BUILD not set"
fi
tap_done
