# bench/lib.sh: what the benchmarks share (POSIX sh, sourced).
#   bench_need_bins        IBSIM from $BUILD; fails if a binary is missing
#   bench_install PKG...   apt-get install what is missing (Debian), or fail
#   bench_cpu_of CMD...    run CMD; prints "CPU_S WALL_S RC" (CPU = user+sys
#                          of CMD and all its children)
#   bench_proc_cpu PID     user+sys seconds of a running process so far
#   bench_target NAME VALUE OP LIMIT UNIT
#                          prints one figure, its target and MET/MISSED;
#                          counts misses in BENCH_MISSED
#   bench_sim_start NAME ARGS...
#                          $BENCH_EXEC ibsim ARGS with --manifest and
#                          --pidfile in $IB_WORK, registered for cleanup;
#                          waits until it is ready; BENCH_SIM_PID = its pid
BENCH_MISSED=0
BENCH_MISSES=

# bench_need_bins: IBSIM defaults to $BUILD/ibsim; 1 (and says so) when
# ibagent or ibsim is not built.
bench_need_bins() {
	BUILD=${BUILD:-build}
	case $BUILD in /*) _b=$BUILD ;; *) _b=$IB_ROOT/$BUILD ;; esac
	IBSIM=${IBSIM:-$_b/ibsim}
	for _x in "$IBAGENT" "$IBSIM"; do
		[ -x "$_x" ] || { echo "bench: no $_x (make first)" >&2; return 1; }
	done
}

bench_install() {
	_m=
	for _p in "$@"; do
		_st=$(dpkg-query -W -f='${db:Status-Status}' "$_p" 2>/dev/null)
		[ "$_st" = installed ] || _m="$_m $_p"
	done
	[ -z "$_m" ] && return 0
	echo "bench: installing:$_m"
	_sudo=
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null 2>&1 || {
			echo "bench: not root: apt-get install$_m" >&2
			return 1
		}
		_sudo=sudo
	fi
	# shellcheck disable=SC2086
	$_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y \
	    --no-install-recommends $_m >"${IB_WORK:-/tmp}/apt.log" 2>&1 ||
	    { $_sudo apt-get update >/dev/null 2>&1 &&
	    $_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y \
	    --no-install-recommends $_m >"${IB_WORK:-/tmp}/apt.log" 2>&1; } ||
	    { echo "bench: apt-get install$_m failed" >&2; return 1; }
}

bench_cpu_of() {
	/usr/bin/python3 - "$@" <<'PY'
import resource, subprocess, sys, time
t0 = time.monotonic()
r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.monotonic() - t0
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.4f %.4f %d" % (u.ru_utime + u.ru_stime, wall, r.returncode))
out = r.stdout.decode(errors="replace").strip().splitlines()
if out:
    sys.stderr.write("bench: %s\n" % out[-1])
if r.returncode != 0:
    sys.stderr.write(r.stderr.decode(errors="replace")[-2000:])
PY
}

bench_proc_cpu() {
	# schedstat: nanoseconds on a CPU (user+sys); stat: clock ticks.
	if [ -r "/proc/$1/schedstat" ]; then
		awk '{ printf "%.6f\n", $1 / 1e9 }' "/proc/$1/schedstat"
	else
		awk -v hz="$(getconf CLK_TCK)" '{ printf "%.4f\n", ($14 + $15) / hz }' \
		    "/proc/$1/stat" 2>/dev/null || echo 0
	fi
}

bench_target() {	# NAME VALUE OP LIMIT UNIT
	awk -v n="$1" -v v="$2" -v op="$3" -v l="$4" -v u="$5" 'BEGIN {
		ok = (op == "<=") ? (v <= l) : (v >= l)
		printf "%-58s %10.3f%s  target %s %s%s  %s\n", n, v, u, op, l, u,
		    ok ? "MET" : "MISSED"
		exit ok ? 0 : 1
	}' || {
		BENCH_MISSED=$((BENCH_MISSED + 1))
		BENCH_MISSES="$BENCH_MISSES; $1"
	}
}

bench_sim_start() {	# NAME ARGS...
	_n=$1
	shift
	rm -f "$IB_WORK/$_n.tsv" "$IB_WORK/$_n.pid"
	# shellcheck disable=SC2086
	$BENCH_EXEC timeout "${IB_AGENT_LIFETIME:-1800}" "$IBSIM" \
	    --manifest "$IB_WORK/$_n.tsv" --pidfile "$IB_WORK/$_n.pid" "$@" \
	    >"$IB_WORK/$_n.log" 2>&1 &
	echo "$! $_n" >>"$IB_WORK/pids"	# timeout passes TERM on to ibsim
	_w=$!
	_i=0
	while [ $_i -lt 1200 ]; do
		if [ -s "$IB_WORK/$_n.pid" ]; then
			BENCH_SIM_PID=$(cat "$IB_WORK/$_n.pid")
			return 0
		fi
		kill -0 "$_w" 2>/dev/null || break
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "bench: ibsim did not start: $(tail -3 "$IB_WORK/$_n.log")" >&2
	return 1
}
