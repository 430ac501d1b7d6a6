#!/bin/sh
# bench/snmp_cpu.sh [N]: SNMP collection cost, from one run on one
# simulated fleet.  One ibsim serves N distinct devices (default 1000) on
# 127.0.0.1, one UDP port each: copies of the junos_qfx5100 walk from
# ../shared/corpus (else of sim/profiles/*), every copy with its own
# serial numbers.  On that fleet, in turn:
#   - ibagent scan at 16, 256 and 1024 devices in flight;
#   - the net-snmp command-line tools: snmpget of the system group and
#     snmpbulkwalk of jnxContentsEntry and jnxVirtualChassisMemberEntry per
#     device, under xargs -P32;
#   - bench/easysnmp_scan.py: the same GET and GETBULK walks per device,
#     sequentially, with Debian's python3-easysnmp.
# CPU = user+sys of the process and its children / devices.  ibsim's own
# CPU per device in each phase is printed too: it must stay small next to
# the client's, or the figures measure the simulator.  Each figure is
# printed with its target and MET or MISSED.  Installs what it needs;
# stops every process it started.  Not part of `make check`.
# Environment: IBAGENT, IBSIM (default $BUILD/ibsim), BUILD.
set -u
IB_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$IB_ROOT/tests/lib/agents.sh"
. "$IB_ROOT/bench/lib.sh"
N=${1:-1000}
BENCH_EXEC=

bench_need_bins || exit 1
ib_init
bench_install snmp python3-easysnmp sqlite3 || exit 1

walk=$IB_CORPUS/snmprec/junos_qfx5100.snmprec
if [ -r "$walk" ]; then
	set -- "$walk:$N"
	what="junos_qfx5100 x $N"
else
	# No corpus: the simulator's own profiles, N devices in all.
	set -- "$IB_ROOT"/sim/profiles/*.snmprec
	k=$#
	per=$(( (N + k - 1) / k ))
	what="$k sim/profiles x $per"
	for p in "$@"; do
		shift
		set -- "$@" "$p:$per"
	done
fi
bench_sim_start fleet "$@" || exit 1
cut -f2 "$IB_WORK/fleet.tsv" | head -n "$N" >"$IB_WORK/targets.txt"
N=$(wc -l <"$IB_WORK/targets.txt")
echo "bench: $N devices ($what) served by one ibsim, pid $BENCH_SIM_PID"

res=$IB_WORK/res
: >"$res"
# phase NAME CMD...: run CMD, record "NAME cpu wall rc simcpu".
phase() {
	_name=$1
	shift
	_s0=$(bench_proc_cpu "$BENCH_SIM_PID")
	set -- $(bench_cpu_of "$@")
	_s1=$(bench_proc_cpu "$BENCH_SIM_PID")
	echo "$_name $1 $2 $3 $(awk -v a="$_s0" -v b="$_s1" 'BEGIN { print b - a }')" \
	    >>"$res"
}

for inflight in 16 256 1024; do
	db=$IB_WORK/b$inflight.sqlite
	phase "ibagent$inflight" "$IBAGENT" --db "$db" -q scan --community \
	    public --no-progress --max-inflight $inflight @"$IB_WORK/targets.txt"
	ok=$(sqlite3 "$db" "select count(*) from devices where last_status='ok'" \
	    2>/dev/null)
	echo "ok$inflight ${ok:-0}" >>"$res"
done

cli=$IB_WORK/cli.sh
cat >"$cli" <<'SH'
#!/bin/sh
a=$1
snmpget -v2c -c public -OQn "$a" 1.3.6.1.2.1.1.1.0 1.3.6.1.2.1.1.2.0 \
    1.3.6.1.2.1.1.3.0 1.3.6.1.2.1.1.5.0 1.3.6.1.2.1.1.6.0 \
    1.3.6.1.4.1.2636.3.1.2.0 1.3.6.1.4.1.2636.3.1.3.0 >/dev/null
snmpbulkwalk -v2c -c public -OQn "$a" 1.3.6.1.4.1.2636.3.1.8.1 >/dev/null
snmpbulkwalk -v2c -c public -OQn "$a" 1.3.6.1.4.1.2636.3.40.1.4.1.1.1 >/dev/null
SH
chmod +x "$cli"
phase cli sh -c "xargs -P32 -n1 '$cli' <'$IB_WORK/targets.txt'"
phase easysnmp /usr/bin/python3 "$IB_ROOT/bench/easysnmp_scan.py" \
    "$IB_WORK/targets.txt"

awk -v n="$N" '
	{ cpu[$1] = $2; wall[$1] = $3; rc[$1] = $4; sim[$1] = $5 }
	/^ok/ { ok[substr($1, 3)] = $2 }
	function line(name, k, extra) {
		printf "%-28s %7.3f ms CPU/device  %7.0f devices/s%s  (ibsim %.3f ms CPU/device%s)\n",
		    name, cpu[k] * 1000 / n, n / wall[k], extra, sim[k] * 1000 / n,
		    rc[k] != 0 ? "; exit status " rc[k] : ""
	}
	END {
		split("16 256 1024", fl, " ")
		for (i = 1; i <= 3; i++) {
			f = fl[i]
			line(sprintf("ibagent, %d in flight", f), "ibagent" f,
			    sprintf("  %d/%d ok", ok[f], n))
		}
		line("net-snmp CLI, xargs -P32", "cli", "")
		line("easysnmp, sequential", "easysnmp", "")
	}' "$res"
get() { awk -v k="$1" -v c="$2" '$1 == k { print $c }' "$res"; }
c16=$(get ibagent16 2)
c1024=$(get ibagent1024 2)
echo
bench_target "ibagent CPU per device, 16 in flight" \
    "$(awk -v c="$c16" -v n="$N" 'BEGIN { print c * 1000 / n }')" "<=" 0.2 " ms"
bench_target "ibagent CPU at 1024 / at 16 in flight" \
    "$(awk -v a="$c1024" -v b="$c16" 'BEGIN { print a / b }')" "<=" 1.25 "x"
bench_target "net-snmp CLI CPU / ibagent CPU (16 in flight)" \
    "$(awk -v a="$(get cli 2)" -v b="$c16" 'BEGIN { print a / b }')" ">=" 50 "x"
bench_target "easysnmp CPU / ibagent CPU (16 in flight)" \
    "$(awk -v a="$(get easysnmp 2)" -v b="$c16" 'BEGIN { print a / b }')" ">=" 5 "x"
for f in 16 256 1024; do
	bench_target "ibagent devices ok, $f in flight" "$(get ok$f 2)" ">=" "$N" ""
done
if [ "$BENCH_MISSED" -gt 0 ]; then
	echo "bench: $BENCH_MISSED figure(s) missed their target:${BENCH_MISSES#;}"
else
	echo "bench: every figure met its target"
fi
exit 0
