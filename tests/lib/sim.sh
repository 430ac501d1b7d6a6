# tests/lib/sim.sh: start and query ibsim, the SNMP fleet simulator, from
# tests.  POSIX sh, sourced after agents.sh (ib_init must have run).
#
#   sim_have                    0 if $IBSIM is executable, else says why
#   sim_start NAME ARGS...      ibsim --manifest $IB_WORK/NAME.tsv ARGS &;
#                               waits for the manifest; SIM_PID, SIM_MAN
#   sim_addr NAME INDEX         address:port of device INDEX
#   sim_field NAME INDEX COL    manifest column (5 = chassis serial, 6 = faults)
#   sim_epoch NAME              SIGUSR1, then waits for the new manifest
#   sim_stop NAME               SIGTERM and wait; its stderr stays in NAME.err

IBSIM=${IBSIM:-$IB_ROOT/${BUILD:-build}/ibsim}

sim_have() {
	[ -x "$IBSIM" ] && return 0
	echo "ibsim not found at $IBSIM (run make, or set IBSIM or BUILD)"
	return 1
}

sim_start() {
	_sn=$1
	shift
	SIM_MAN=$IB_WORK/$_sn.tsv
	rm -f "$SIM_MAN"
	"$IBSIM" --manifest "$SIM_MAN" --pidfile "$IB_WORK/$_sn.pid" "$@" \
	    2>"$IB_WORK/$_sn.err" &
	SIM_PID=$!
	echo "$SIM_PID ibsim-$_sn" >>"$IB_WORK/pids"
	_si=0
	while [ ! -s "$IB_WORK/$_sn.pid" ]; do
		_si=$((_si + 1))
		if [ $_si -gt 300 ] || ! kill -0 "$SIM_PID" 2>/dev/null; then
			diag "ibsim $_sn did not start:"
			sed 's/^/#   /' "$IB_WORK/$_sn.err"
			return 1
		fi
		sleep 0.1
	done
	return 0
}

sim_addr() {
	awk -F'\t' -v i="$2" '$1 == i { print $2 }' "$IB_WORK/$1.tsv"
}

sim_field() {
	awk -F'\t' -v i="$2" -v c="$3" '$1 == i { print $c }' "$IB_WORK/$1.tsv"
}

sim_epoch() {
	_sp=$(cat "$IB_WORK/$1.pid")
	_sb=$(grep -c '^ibsim: epoch' "$IB_WORK/$1.err")
	kill -USR1 "$_sp"
	_si=0
	while [ "$(grep -c '^ibsim: epoch' "$IB_WORK/$1.err")" -le "$_sb" ]; do
		_si=$((_si + 1))
		[ $_si -gt 50 ] && return 1
		sleep 0.1
	done
	return 0
}

sim_stop() {
	_sp=$(cat "$IB_WORK/$1.pid" 2>/dev/null) || return 0
	kill -TERM "$_sp" 2>/dev/null
	wait "$_sp" 2>/dev/null
	return 0
}
