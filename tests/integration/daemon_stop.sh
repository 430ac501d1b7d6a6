#!/bin/sh
# daemon_stop.sh: SIGTERM while finished devices are still in the open
# group-commit batch.  daemon.sh stops a scan too, but its finished
# device has been committed by the 100 ms flush before SIGTERM arrives;
# here IBAGENT_BATCH_MS (a test knob of agent/scan.c) keeps the batch open
# for 10 minutes, so the two devices that answered are saved only if the
# batch is committed when the scan is stopped.  Silent devices keep the
# scan running.
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
SPID=
trap '[ -n "$SPID" ] && kill "$SPID" 2>/dev/null; ib_cleanup' EXIT

IB_NOWAIT=1 ib_start_snmprec vc tests/data/snmprec/ex4300-vc8.snmprec
IB_NOWAIT=1 ib_start_snmprec srx tests/data/snmprec/srx345-cluster.snmprec
for i in 1 2 3 4; do
	IB_NOWAIT=1 ib_start_silent "s$i"
done
ib_wait_all || { tap_fail "agents did not start"; tap_done; exit 1; }
VC=127.0.0.1:$(ib_port vc) SRX=127.0.0.1:$(ib_port srx)
silent=
for i in 1 2 3 4; do silent="$silent 127.0.0.1:$(ib_port s$i)"; done

printf 'public\n' >"$W/community"
chmod 600 "$W/community"
cat >"$W/ibagent.conf" <<EOF
[ibagent]
db = ib.sqlite
log_level = debug
[credentials lab]
community_file = community
[site slow]
targets = $VC $SRX $silent
credentials = lab
max_in_flight = 2
timeout = 5s
retries = 1
EOF

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
results() {	# the committed results of the last scan
	sqlite3 "$DB" "SELECT count(*) FROM scan_results WHERE scan_id = (SELECT max(id) FROM scans)"
}

IBAGENT_BATCH_MS=600000 "$IBAGENT" run -c "$W/ibagent.conf" --stderr --once \
    >"$W/run.log" 2>&1 &
SPID=$!
wait_log "new device: ok" 2 10
tap_check $? "the two answering devices finished" || sed 's/^/# /' "$W/run.log"
sleep 0.5
tap_is "$(results)" 0 \
    "their results are still in the open batch (nothing committed yet)"
kill -TERM "$SPID"
wait "$SPID"
rc=$?
SPID=
tap_is "$rc" 1 "SIGTERM mid-scan: --once exits 1 (interrupted)"
tap_is "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok "the database is consistent"
tap_is "$(sqlite3 "$DB" "SELECT finished IS NOT NULL FROM scans ORDER BY id DESC LIMIT 1")" 1 \
    "the interrupted scan is closed"
saved=$(sqlite3 "$DB" "SELECT d.address || '=' || r.status FROM scan_results r JOIN devices d ON d.id = r.device_id WHERE r.scan_id = (SELECT max(id) FROM scans) AND r.status = 'ok'" | sort)
tap_is "$saved" "$(printf '%s=ok\n' "$VC" "$SRX" | sort)" \
    "the open batch was committed at the stop: both finished devices saved"
tap_ge "$(sqlite3 "$DB" "SELECT count(*) FROM items")" 10 "with their items"
tap_like "$(cat "$W/run.log")" "interrupted: the devices done are saved" "the log says so"
tap_done
