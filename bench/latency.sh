#!/bin/sh
# bench/latency.sh [N] [INFLIGHT]: latency hiding.  N simulated devices
# (default 10000) behind 100 ms of round-trip time, scanned by ibagent
# with INFLIGHT devices in flight (default 2048); wall time against the
# latency-bound ideal, and ibagent's peak RSS.
#
# Everything runs in a network namespace this script creates (and
# deletes): ibsim serves the devices on the namespace's 127.0.0.1, ports
# 20000 up, and ibagent scans them from inside it, so no packet leaves
# the namespace.  The round trip is emulated by netem, 50 ms each way on
# the namespace's loopback; on a kernel without netem (sch_netem) by
# ibsim's own `--fault slow=100ms`, which holds every answer 100 ms.  The
# output says which.
#
# The ideal: R x RTT x ceil(N / INFLIGHT), where R is the number of
# sequential request rounds one device needs (measured first by scanning
# a few devices alone and counting the datagrams), i.e. N/INFLIGHT waves
# of devices each costing R round trips and no CPU.  Targets: wall <= 1.2
# x ideal, peak RSS <= 64 MB (/usr/bin/time's maximum resident set).
# Needs root (ip netns); installs iproute2, time, sqlite3; stops every
# process it started.  Not part of `make check`.
set -u
IB_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$IB_ROOT/tests/lib/agents.sh"
. "$IB_ROOT/bench/lib.sh"
N=${1:-10000}
INFLIGHT=${2:-2048}
RTT_MS=100
PROBE=8		# devices of the rounds probe

bench_need_bins || exit 1
if [ "$(id -u)" -ne 0 ]; then
	echo "bench: latency.sh needs root for ip netns" >&2
	exit 1
fi
ib_init
bench_install iproute2 time sqlite3 || exit 1
NS=ibbench$$
lat_cleanup() {
	ib_cleanup
	ip netns del "$NS" 2>/dev/null
}
trap 'lat_cleanup' EXIT
ip netns add "$NS" || exit 1
BENCH_EXEC="ip netns exec $NS"
$BENCH_EXEC ip link set lo up || exit 1
if $BENCH_EXEC tc qdisc add dev lo root netem delay $((RTT_MS / 2))ms \
    limit 1000000 2>/dev/null; then
	how="netem, $((RTT_MS / 2)) ms each way on the namespace's loopback"
	set --
else
	how="ibsim --fault slow=${RTT_MS}ms (this kernel has no netem)"
	set -- --fault "slow=${RTT_MS}ms"
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

walk=$IB_CORPUS/snmprec/junos_qfx5100.snmprec
[ -r "$walk" ] || walk=$(ls "$IB_ROOT"/sim/profiles/*.snmprec | head -1)
bench_sim_start lat --address 127.0.0.1 --port-base 20000 "$@" \
    "$walk:$N" || exit 1
cut -f2 "$IB_WORK/lat.tsv" >"$IB_WORK/targets.txt"
head -n $PROBE "$IB_WORK/targets.txt" >"$IB_WORK/probe.txt"
echo "bench: $N devices ($(basename "$walk")), RTT $RTT_MS ms: $how"

udp_in() {	# UDP datagrams received in the namespace so far
	$BENCH_EXEC cat /proc/net/snmp |
	    awk '$1 == "Udp:" && $2 ~ /^[0-9]/ { print $2; exit }'
}

# R: rounds per device, from a few devices scanned alone (every request
# and every answer is one datagram received in the namespace).
u0=$(udp_in)
$BENCH_EXEC "$IBAGENT" --db "$IB_WORK/probe.sqlite" -q scan --community public \
    --no-progress --max-inflight $PROBE @"$IB_WORK/probe.txt" 2>/dev/null
u1=$(udp_in)
R=$(awk -v a="$u0" -v b="$u1" -v n=$PROBE 'BEGIN { printf "%.0f", (b - a) / 2 / n }')
ideal=$(awk -v r="$R" -v n="$N" -v f="$INFLIGHT" -v rtt=$RTT_MS 'BEGIN {
	w = int((n + f - 1) / f); printf "%.3f", r * rtt / 1000 * w }')
echo "bench: one device takes R = $R request rounds; ideal = R x RTT x ceil(N / in-flight) = $R x 0.$RTT_MS s x $(( (N + INFLIGHT - 1) / INFLIGHT )) = $ideal s"

u0=$(udp_in)
$BENCH_EXEC /usr/bin/time -f "%e %M %U %S" -o "$IB_WORK/time.txt" \
    "$IBAGENT" --db "$IB_WORK/lat.sqlite" -q scan --community public \
    --no-progress --max-inflight "$INFLIGHT" @"$IB_WORK/targets.txt" \
    2>"$IB_WORK/scan.err"
rc=$?
u1=$(udp_in)
set -- $(tail -1 "$IB_WORK/time.txt")
wall=$1 rss_kb=$2 cpu=$(awk -v u="$3" -v s="$4" 'BEGIN { print u + s }')
ok=$(sqlite3 "$IB_WORK/lat.sqlite" \
    "select count(*) from devices where last_status='ok'" 2>/dev/null)
printf 'ibagent, %d in flight: %d/%d ok in %.2f s (exit %d), %.2f s CPU, %.1f datagrams/device, peak RSS %.1f MB\n' \
    "$INFLIGHT" "${ok:-0}" "$N" "$wall" "$rc" "$cpu" \
    "$(awk -v a="$u0" -v b="$u1" -v n="$N" 'BEGIN { print (b - a) / n }')" \
    "$(awk -v k="$rss_kb" 'BEGIN { print k / 1024 }')"
[ "$rc" -ne 0 ] && tail -5 "$IB_WORK/scan.err"
echo
bench_target "wall time / latency-bound ideal ($ideal s)" \
    "$(awk -v w="$wall" -v i="$ideal" 'BEGIN { print w / i }')" "<=" 1.2 "x"
bench_target "ibagent peak RSS" \
    "$(awk -v k="$rss_kb" 'BEGIN { print k / 1024 }')" "<=" 64 " MB"
bench_target "devices ok" "${ok:-0}" ">=" "$N" ""
if awk -v c="$cpu" -v i="$ideal" 'BEGIN { exit !(c > i) }'; then
	echo "bench: ibagent's CPU time ($cpu s) exceeds the ideal: this scan is CPU-bound, not latency-bound"
fi
if [ "$BENCH_MISSED" -gt 0 ]; then
	echo "bench: $BENCH_MISSED figure(s) missed their target:${BENCH_MISSES#;}"
else
	echo "bench: every figure met its target"
fi
exit 0
