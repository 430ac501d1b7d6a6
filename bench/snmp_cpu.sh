#!/bin/sh
# bench/snmp_cpu.sh [N]: ibagent's CPU per device (user+sys of the process
# / devices) at 16, 256 and 1024 devices in flight, against the net-snmp
# command-line tools doing the same work (snmpget of the system group +
# snmpbulkwalk of each table, under xargs -P32), measured in the same run
# on the same agents.  N distinct devices (default 1024) are served by
# snmpd processes on 127.0.0.1, one UDP port per device, each answering
# the junos_qfx5100 walk from ../shared/corpus (else our EX VC profile).
# Prints figures and ratios; not part of `make check`.
set -u
IB_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$IB_ROOT/tests/lib/agents.sh"
N=${1:-1024}
PER=100		# ports per snmpd (with more, snmpd answered only some)
walk=$IB_CORPUS/snmprec/junos_qfx5100.snmprec
[ -r "$walk" ] || walk=$IB_ROOT/tests/data/snmprec/ex4300-vc8.snmprec
ib_init
conf=$IB_WORK/body.conf
"$IB_LIB/snmprec2snmpd" "$walk" >"$conf"
targets=$IB_WORK/targets.txt
: >"$targets"
i=0 p=$((22000 + ($$ % 100) * 50)) k=0
while [ $i -lt "$N" ]; do
	d=$IB_WORK/sd$k; mkdir -p "$d"
	addrs=
	j=0
	while [ $j -lt $PER ] && [ $i -lt "$N" ]; do
		while ! _ib_port_free $p; do p=$((p + 1)); done
		addrs="$addrs${addrs:+,}udp:127.0.0.1:$p"
		echo "127.0.0.1:$p" >>"$targets"
		p=$((p + 1)); i=$((i + 1)); j=$((j + 1))
	done
	{ echo "agentaddress $addrs"; echo "serverRecvBuf 8388608";
	  echo "rocommunity public 127.0.0.1"; cat "$conf"; } >"$d/snmpd.conf"
	MIBS= MIBDIRS=$IB_WORK/nomibs SNMP_PERSISTENT_DIR=$d timeout 1800 \
	    snmpd -f -Lo -C -c "$d/snmpd.conf" -p "$d/pid" \
	    -I override,vacm_conf,usmConf >"$d/log" 2>&1 &
	echo "$! sd$k" >>"$IB_WORK/pids"
	k=$((k + 1))
done
last=$(tail -1 "$targets")
for t in $(seq 1 100); do
	snmpget -v2c -c public -t 0.2 -r 0 "$last" 1.3.6.1.2.1.1.1.0 >/dev/null 2>&1 && break
	sleep 0.1
done
echo "bench: $N devices (walk $(basename "$walk")) on $k snmpd processes"

cpu_of() {	# command...: prints "user+sys seconds" of the command's children
	_s=$(cat /proc/$$/stat 2>/dev/null)
	python3 - "$@" <<'PY'
import os, resource, subprocess, sys, time
t0 = time.monotonic()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.monotonic() - t0
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.4f %.4f %d" % (u.ru_utime + u.ru_stime, wall, r.returncode))
if r.returncode != 0:
    sys.stderr.write(r.stderr.decode(errors="replace")[-2000:])
PY
}

res=$IB_WORK/res
for inflight in 16 256 1024; do
	db=$IB_WORK/b$inflight.sqlite
	set -- $(cpu_of "$IBAGENT" --db "$db" -q scan --community public \
	    --no-progress --max-inflight $inflight @"$targets")
	ok=$(sqlite3 "$db" "select count(*) from devices where last_status='ok'" 2>/dev/null)
	echo "ibagent $inflight $1 $2 $ok" >>"$res"
	printf 'ibagent, %4d in flight: %6.3f ms CPU/device, %7.0f devices/s, %s/%s ok\n' \
	    "$inflight" "$(echo "$1 * 1000 / $N" | bc -l)" "$(echo "$N / $2" | bc -l)" "$ok" "$N"
done
# net-snmp CLI: the same requests (system GET + one bulkwalk per table)
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
set -- $(cpu_of sh -c "xargs -P32 -n1 '$cli' <'$targets'")
echo "cli $1 $2" >>"$res"
printf 'net-snmp CLI, xargs -P32: %6.3f ms CPU/device, %7.0f devices/s\n' \
    "$(echo "$1 * 1000 / $N" | bc -l)" "$(echo "$N / $2" | bc -l)"
awk -v n="$N" '
	$1 == "ibagent" { c[$2] = $3 }
	$1 == "cli" { cli = $2 }
	END {
		printf "ratio: CPU at 1024 / at 16 in flight = %.2f (target <= 1.25)\n", c[1024] / c[16]
		printf "ratio: net-snmp CLI / ibagent (16 in flight) = %.0fx less CPU (target >= 50x)\n", cli / c[16]
		printf "target: <= 0.2 ms CPU/device at 16 in flight: %s (%.3f ms)\n", \
		    (c[16] * 1000 / n <= 0.2) ? "met" : "MISSED", c[16] * 1000 / n
	}' "$res"
