#!/bin/sh
# bench/netconf.sh [N]: NETCONF collection cost, ibagent against its peers,
# measured in one run on one simulated fleet (make bench-netconf).
#
# N devices (default 200) are served on 127.0.0.1 by ibsim-netconf
# (sim/ncfleet.sh): BENCH_SERVER=libssh (default), its own listener on
# libssh's server API, or BENCH_SERVER=openssh, real OpenSSH sshds with
# ibsim-netconf as the netconf subsystem (sshd's 40-50 ms of CPU per
# session then bounds sessions/s and the sequential time).  Profiles of
# sim/profiles (else tests/data/snmprec), copies 0, 1, ... so serials
# differ.  Figures, all from getrusage (user + sys):
#   ibagent     `ibagent scan --protocols netconf` of the N devices
#               (16 workers); CPU per session = (CPU(N) - CPU(1)) / (N-1),
#               the one-device scan being the process's fixed cost;
#               sessions/s = N / wall.
#   ncprobe     the same sessions through build/tools/ncprobe (the
#               collector's engine without the database), same baseline.
#   sequential  one session at a time (ncprobe -w 1): median wall of
#               BENCH_SEQ (20) sessions, from ncprobe's per-session stamps.
#   openssh     `ssh -s netconf` per device under xargs -P32, hello + the
#               same three RPCs + close-session on stdin; CPU = all the
#               children's (ssh and the /bin/sh that feeds it); curve25519
#               as ibagent uses (OpenSSH's default sntrup761 costs more).
#   pyez        python3-junos-eznc, sequentially: Device(...).open(),
#               every fact of dev.facts (dict(dev.facts): PyEZ loads facts
#               lazily, print(dev.facts) loads them all), dev.close() on the first
#               BENCH_PYEZ (20) devices; CPU of the python process during
#               the loop (imports excluded) / sessions.  PyEZ never checks
#               host keys (it passes hostkey_verify=False to ncclient).
# Targets: <= 1.5 ms CPU per ibagent session, >= 20x less CPU per session
# than PyEZ, sequential session <= 30 ms.  Every missed target is named
# at the end ("MISSED: ..."); exit status 0 either way (1: could not run).
#
# Installs what it needs when missing and it can (root): openssh-server,
# openssh-client, python3-junos-eznc.  Stops every process it started
# (sshd, through ncfleet's cleanup, on exit or signal) and deletes the
# test user.  Not part of `make check`.
set -u
IB_ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-200}
BUILD=${BUILD:-build}
case $BUILD in /*) B=$BUILD ;; *) B=$IB_ROOT/$BUILD ;; esac
IBAGENT=${IBAGENT:-$IB_ROOT/ibagent}
NCPROBE=${NCPROBE:-$B/tools/ncprobe}
BENCH_SEQ=${BENCH_SEQ:-20}
BENCH_PYEZ=${BENCH_PYEZ:-20}
NCF_ROOT=$IB_ROOT
NCF_SERVER=${BENCH_SERVER:-libssh}
NCF_NETCONF=${IBSIM_NETCONF:-$B/ibsim-netconf}
# Debian's python: it has python3-junos-eznc, and a wrapper such as a
# pyenv shim would add the CPU of its own children to RUSAGE_CHILDREN.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

need=
[ -x /usr/sbin/sshd ] || need="$need openssh-server"
command -v ssh >/dev/null 2>&1 || need="$need openssh-client"
"$PY" -c 'import jnpr.junos' 2>/dev/null || need="$need python3-junos-eznc"
if [ -n "$need" ]; then
	echo "bench: installing$need"
	if [ "$(id -u)" -ne 0 ] || ! DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -q $need >/dev/null 2>&1; then
		echo "bench: cannot install$need (needs root and apt)" >&2
		"$PY" -c 'import jnpr.junos' 2>/dev/null || NOPYEZ=1
	fi
fi
for f in "$IBAGENT" "$NCPROBE" "$NCF_NETCONF"; do
	[ -x "$f" ] || { echo "bench: no $f (make BUILD=$BUILD)" >&2; exit 1; }
done
. "$IB_ROOT/sim/ncfleet.sh"

W=$(mktemp -d "${TMPDIR:-/tmp}/ncbench.XXXXXX") || exit 1
chmod 755 "$W"
trap 'ncf_cleanup; rm -rf "$W"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
ncf_init "$W"

set -- "$IB_ROOT"/sim/profiles/*.snmprec
[ -f "$1" ] || set -- "$IB_ROOT"/tests/data/snmprec/*.snmprec
for p in "$@"; do
	cp "$p" "$W/" && chmod 644 "$W/$(basename "$p")"
done
set -- "$W"/*.snmprec
ncf_manifest "$N" "$W/manifest" "$@" || exit 1
awk -F '\t' '{ print $2 }' "$W/manifest" >"$W/targets"
ncf_start "$W/manifest" || { echo "bench: the fleet did not start" >&2; exit 1; }
echo "bench: $N NETCONF devices, server $NCF_SERVER ($NCF_NSSHD sshd processes) ($(basename "$NCF_NETCONF"), profiles: $(for p; do basename "$p" .snmprec; done | tr '\n' ' '))"

# cpu_of COMMAND...: "cpu_s wall_s rc" of the command and its descendants.
cpu_of() {
	"$PY" - "$@" <<'PY'
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
calc() { "$PY" -c "print($1)"; }
first=$(head -1 "$W/targets")
NC="--ssh-user $NCF_USER --ssh-key $NCF_KEY --known-hosts $NCF_KNOWN_HOSTS"
res=$W/res

# ibagent: 1 device (fixed cost), then all N.
set -- $(cpu_of "$IBAGENT" --db "$W/one.sqlite" -q scan --no-progress \
    --protocols netconf $NC "$first")
ib1=$1
set -- $(cpu_of "$IBAGENT" --db "$W/all.sqlite" -q scan --no-progress \
    --protocols netconf $NC @"$W/targets")
ibn=$1 ibw=$2
ibok=$(sqlite3 "$W/all.sqlite" "select count(*) from devices where last_status='ok'" 2>/dev/null ||
    "$PY" -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select count(*) from devices where last_status='ok'\").fetchone()[0])" "$W/all.sqlite")
ibms=$(calc "($ibn - $ib1) * 1000 / ($N - 1)")
ibrate=$(calc "$N / $ibw")

# ncprobe: the engine alone.
set -- $(cpu_of "$NCPROBE" -q -u "$NCF_USER" -k "$NCF_KEY" -K "$NCF_KNOWN_HOSTS" "$first")
np1=$1
set -- $(cpu_of "$NCPROBE" -q -u "$NCF_USER" -k "$NCF_KEY" -K "$NCF_KNOWN_HOSTS" \
    $(cat "$W/targets"))
npn=$1 npw=$2
npms=$(calc "($npn - $np1) * 1000 / ($N - 1)")
nprate=$(calc "$N / $npw")

# Sequential: one worker, BENCH_SEQ sessions on one device; the median gap
# between completions is one session's wall time.
"$NCPROBE" -q -w 1 -r "$BENCH_SEQ" -u "$NCF_USER" -k "$NCF_KEY" \
    -K "$NCF_KNOWN_HOSTS" "$first" >"$W/seq.out" 2>&1
seqms=$(awk -F= '/^status=/ { ok += ($2 == "ok") } /^t_ms=/ { t[n++] = $2 }
    END { if (n < 2 || ok < n) { print "nan"; exit }
	  prev = 0; for (i = 0; i < n; i++) { d[i] = t[i] - prev; prev = t[i] }
	  # the first gap includes the process start; drop it
	  m = 0; for (i = 1; i < n; i++) g[m++] = d[i]
	  for (i = 0; i < m; i++) for (j = i + 1; j < m; j++)
		if (g[j] < g[i]) { x = g[i]; g[i] = g[j]; g[j] = x }
	  print (m % 2) ? g[int(m / 2)] : (g[m / 2 - 1] + g[m / 2]) / 2 }' "$W/seq.out")

# OpenSSH: the same session from ssh -s netconf, 32 at once (a wrapper
# sh per ssh, counted in its CPU, as "fixed costs" shows for one).
H='<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>]]>]]>'
{ printf '%s\n' "$H"
  i=1
  for r in get-software-information get-chassis-inventory \
      get-virtual-chassis-information close-session; do
	printf '<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="%d"><%s/></rpc>]]>]]>\n' $i $r
	i=$((i + 1))
  done; } >"$W/session.in"
cat >"$W/one-ssh.sh" <<SH
#!/bin/sh
a=\$1
ssh -F /dev/null -T -x -s -o BatchMode=yes -o StrictHostKeyChecking=yes \
    -o UserKnownHostsFile=$NCF_KNOWN_HOSTS -o IdentitiesOnly=yes \
    -o KexAlgorithms=curve25519-sha256 -i $NCF_KEY -p "\${a##*:}" \
    -l $NCF_USER "\${a%:*}" netconf <$W/session.in >$W/ssh.out.\$\$ 2>&1
# xargs gives up on everything at the first 255; a failure is counted.
[ \$? -eq 0 ]
SH
chmod 755 "$W/one-ssh.sh"
set -- $(cpu_of sh -c "xargs -P32 -n1 sh $W/one-ssh.sh <$W/targets")
ssn=$1 ssw=$2
sshok=$(grep -l '</chassis-inventory>' "$W"/ssh.out.* 2>/dev/null | wc -l)
rm -f "$W"/ssh.out.*
set -- $(cpu_of sh -c "sh $W/one-ssh.sh $first")
ss1=$1
ssms=$(calc "$ssn * 1000 / $N")
ssrate=$(calc "$N / $ssw")

# PyEZ: open (facts) + facts + close, sequentially.
pyms=nan pyrate=nan pyok=0
if [ -z "${NOPYEZ:-}" ]; then
	head -n "$BENCH_PYEZ" "$W/targets" >"$W/pyez.targets"
	"$PY" - "$W/pyez.targets" "$NCF_USER" "$NCF_KEY" >"$W/pyez.out" 2>"$W/pyez.err" <<'PY'
import resource, sys, time, logging
logging.disable(logging.CRITICAL)
from jnpr.junos import Device
targets = [l.strip() for l in open(sys.argv[1]) if l.strip()]
user, key = sys.argv[2], sys.argv[3]
def cpu():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime
c0, t0, ok = cpu(), time.monotonic(), 0
for t in targets:
    host, port = t.rsplit(":", 1)
    try:
        dev = Device(host=host, port=int(port), user=user,
                     ssh_private_key_file=key, ssh_config="/dev/null")
        dev.open()
        # New-style facts load lazily: every fact, as print(dev.facts) does.
        f = dict(dev.facts)
        if f.get("serialnumber") and f.get("version") != "0.0I0.0":
            ok += 1
        dev.close()
    except Exception as e:
        sys.stderr.write("%s: %r\n" % (t, e))
print("%.4f %.4f %d" % (cpu() - c0, time.monotonic() - t0, ok))
PY
	if set -- $(cat "$W/pyez.out") && [ $# -eq 3 ]; then
		pyms=$(calc "$1 * 1000 / $BENCH_PYEZ")
		pyrate=$(calc "$BENCH_PYEZ / $2")
		pyok=$3
	else
		head -3 "$W/pyez.err" | sed 's/^/bench: pyez: /' >&2
	fi
fi

echo
printf '%-44s %12s %12s %10s %8s\n' "client" "CPU/session" "sessions/s" "vs ibagent" "ok"
row() {	# name ms rate ok
	printf '%-44s %9.3f ms %12.1f %9.1fx %8s\n' "$1" "$2" "$3" \
	    "$(calc "$2 / $ibms if $ibms > 0 else 0")" "$4"
}
row "ibagent scan --protocols netconf (16 workers)" "$ibms" "$ibrate" "$ibok/$N"
row "ncprobe (engine alone, 16 workers)" "$npms" "$nprate" "-"
row "OpenSSH ssh -s netconf, xargs -P32" "$ssms" "$ssrate" "$sshok/$N"
if [ "$pyms" != nan ]; then
	row "PyEZ open+facts, sequential ($BENCH_PYEZ)" "$pyms" "$pyrate" "$pyok/$BENCH_PYEZ"
else
	echo "PyEZ: not measured (python3-junos-eznc missing or failed)"
fi
printf 'sequential ibagent session (ncprobe -w 1), median of %d: %s ms\n' \
    "$((BENCH_SEQ - 1))" "$seqms"
printf 'fixed costs: ibagent 1-device scan %.1f ms CPU, ncprobe %.1f ms, one ssh %.1f ms\n' \
    "$(calc "$ib1 * 1000")" "$(calc "$np1 * 1000")" "$(calc "$ss1 * 1000")"

echo
missed=0
verdict() {	# ok? text
	if [ "$1" = 1 ]; then echo "met:    $2"; else echo "MISSED: $2"; missed=$((missed + 1)); fi
}
verdict "$(calc "int($ibms <= 1.5)")" "ibagent CPU per session $(printf '%.3f' "$ibms") ms (target <= 1.5 ms)"
if [ "$pyms" != nan ]; then
	verdict "$(calc "int($pyms / $ibms >= 20)")" "PyEZ / ibagent CPU $(printf '%.1f' "$(calc "$pyms / $ibms")")x (target >= 20x)"
else
	echo "MISSED: PyEZ ratio not measured"
	missed=$((missed + 1))
fi
if [ "$seqms" != nan ]; then
	verdict "$(calc "int($seqms <= 30)")" "sequential session $seqms ms on loopback (target <= 30 ms)"
else
	echo "MISSED: sequential session failed (see ncprobe output)"
	missed=$((missed + 1))
fi
[ "$ibok" = "$N" ] || echo "note: only $ibok of $N ibagent sessions were ok"
echo "bench: $missed target(s) missed"
exit 0
