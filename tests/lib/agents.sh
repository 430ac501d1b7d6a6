# tests/lib/agents.sh: real SNMP agents on 127.0.0.1 for integration tests.
# POSIX sh (tests/run starts tests with "sh"); source it, then call ib_init.
#
#   ib_init                      work dir (mktemp -d), EXIT trap, client env
#   ib_start_snmprec NAME FILE   snmpd serving exactly FILE's walk (v1/v2c,
#                                community "public"); sets IB_PORT
#   ib_start_v3 NAME FILE USER AUTHPASS PRIVPASS
#                                same, SNMPv3 only: USER, SHA + AES, authPriv
#   ib_start_silent NAME [PORT]  UDP port that reads and drops everything
#   ib_start_filter NAME BACKEND_PORT HEX...
#                                relay to BACKEND_PORT that passes GETs but
#                                drops GETNEXT/GETBULK (table walks) that
#                                contain one of the byte strings HEX
#   ib_start_garbage NAME [PORT] UDP port that answers every request with junk
#   ib_start_truncate NAME BACKEND_PORT
#                                relay to BACKEND_PORT cutting answers in half
#   ib_closed_port NAME          a port nothing listens on (ICMP unreachable)
#   ib_port NAME                 print the port of NAME
#   ib_stop NAME                 stop NAME's process now (e.g. to rescan it)
#   ib_cleanup                   (the EXIT trap) stop everything, rm work dir
#
# How the agents are made (measured with net-snmp 5.9.3 on Debian 12):
# * Each agent is "snmpd -f -Lo -C -c CONF -p PIDFILE -I override,vacm_conf,
#   usmConf": -C reads no system config, and -I initialises ONLY the override
#   directive, the community/rouser access control and createUser.  snmpd's
#   own system group, hrSWInstalledTable, ifTable, snmpEngine... are not
#   registered at all, so a walk of the agent returns exactly the overrides:
#   a walk without jnxContentsTable or sysDescr shows none.
# * CONF = agentaddress udp:127.0.0.1:PORT, serverRecvBuf 8388608, access,
#   then tests/lib/snmprec2snmpd's override lines.  IpAddress (64) and
#   Counter64 (70) cannot be served by override and are left out.
# * snmpd gets MIBS/MIBDIRS pointing at nothing (it needs no MIB files: all
#   OIDs are numeric) and its own SNMP_PERSISTENT_DIR, so nothing under
#   /var/lib/snmp or ~/.snmp is read or written.  Clients started by the
#   test (snmpget, ibagent) get SNMPCONFPATH and SNMP_PERSISTENT_DIR in the
#   work dir too, so a user's ~/.snmp/snmp.conf cannot change their defaults.
# * Ports: from 20000 + ($$ % 600) * 20 upwards (below the ephemeral range,
#   so client sockets never take them), skipping ports found bound; a
#   start that still loses a race is retried on the next port.
# * Every process runs under "timeout $IB_AGENT_LIFETIME" (default 1800 s)
#   so even a test killed with SIGKILL leaves nothing running for long.
# Only 127.0.0.1 is ever bound or addressed.

IB_ROOT=${IB_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
IB_LIB=$IB_ROOT/tests/lib
IB_CORPUS=${IB_CORPUS:-$IB_ROOT/../shared/corpus}
IBAGENT=${IBAGENT:-$IB_ROOT/ibagent}
IB_AGENT_LIFETIME=${IB_AGENT_LIFETIME:-1800}
IB_WAIT_TRIES=${IB_WAIT_TRIES:-100}	# x 0.1 s + snmpget timeouts
IB_WORK=
IB_PORT=

# ib_have_tools: 0 if everything the agents need is installed, else prints
# what is missing and returns 1.
ib_have_tools() {
	_m=
	for _t in snmpd snmpget snmpgetnext snmpbulkwalk python3 timeout; do
		command -v "$_t" >/dev/null 2>&1 || _m="$_m $_t"
	done
	[ -z "$_m" ] && return 0
	echo "missing:$_m"
	return 1
}

# ib_have_corpus: 0 if the corpus is readable, else prints why and returns 1.
ib_have_corpus() {
	if [ -d "$IB_CORPUS/snmprec" ] && [ -r "$IB_CORPUS/expected/DERIVED_librenms_snmprec_identity_summary.tsv" ]; then
		return 0
	fi
	echo "corpus absent: nothing at $IB_CORPUS (expected ../shared/corpus beside the repo; set IB_CORPUS to override)"
	return 1
}

ib_init() {
	IB_WORK=$(mktemp -d "${TMPDIR:-/tmp}/ibtest.XXXXXX") || exit 1
	trap 'ib_cleanup' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	trap 'exit 141' PIPE
	mkdir -p "$IB_WORK/agents" "$IB_WORK/nomibs" "$IB_WORK/client/conf" \
	    "$IB_WORK/client/persist"
	: >"$IB_WORK/pids"
	: >"$IB_WORK/ports"
	# as Debian's /etc/snmp/snmp.conf: no MIB files are loaded
	echo "mibs :" >"$IB_WORK/client/conf/snmp.conf"
	SNMPCONFPATH=$IB_WORK/client/conf
	SNMP_PERSISTENT_DIR=$IB_WORK/client/persist
	export SNMPCONFPATH SNMP_PERSISTENT_DIR
	_ib_next=$((20000 + ($$ % 600) * 20))
}

ib_cleanup() {
	[ -n "$IB_WORK" ] && [ -d "$IB_WORK" ] || return 0
	while read -r _pid _name; do
		kill -TERM "$_pid" 2>/dev/null
	done <"$IB_WORK/pids"
	_i=0
	while [ $_i -lt 30 ]; do
		_alive=0
		while read -r _pid _name; do
			kill -0 "$_pid" 2>/dev/null && _alive=1
		done <"$IB_WORK/pids"
		[ $_alive -eq 0 ] && break
		sleep 0.1
		_i=$((_i + 1))
	done
	while read -r _pid _name; do
		if kill -0 "$_pid" 2>/dev/null; then
			echo "# cleanup: $_name (pid $_pid) ignored TERM, killing" >&2
			kill -KILL "$_pid" 2>/dev/null
		fi
		wait "$_pid" 2>/dev/null
	done <"$IB_WORK/pids"
	if [ -n "${IB_KEEP_WORK:-}" ]; then
		echo "# work dir kept: $IB_WORK" >&2
	else
		rm -rf "$IB_WORK"
	fi
	IB_WORK=
}

# _ib_port_free PORT: 0 if no UDP socket (IPv4 or IPv6) is bound to PORT.
_ib_port_free() {
	if [ -r /proc/net/udp ]; then
		# local_address is ADDR:PORT in hex; any address counts
		cat /proc/net/udp /proc/net/udp6 2>/dev/null | awk -v p="$1" '
		    BEGIN { h = sprintf("%04X", p); busy = 0 }
		    NR > 1 { n = split($2, a, ":"); if (a[n] == h) busy = 1 }
		    END { exit busy }'
		return
	fi
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
' "$1"
}

# _ib_pick_port: next free port into IB_PORT.
_ib_pick_port() {
	while :; do
		IB_PORT=$_ib_next
		_ib_next=$((_ib_next + 1))
		[ $IB_PORT -lt 32000 ] || _ib_next=20000
		_ib_port_free $IB_PORT && return 0
	done
}

_ib_register() {	# NAME PORT PID
	echo "$3 $1" >>"$IB_WORK/pids"
	echo "$1 $2 $3" >>"$IB_WORK/ports"
}

ib_port() {
	awk -v n="$1" '$1 == n { p = $2 } END { if (p == "") exit 1; print p }' \
	    "$IB_WORK/ports"
}

_ib_pid() {
	awk -v n="$1" '$1 == n { p = $3 } END { if (p == "") exit 1; print p }' \
	    "$IB_WORK/ports"
}

ib_stop() {
	_s_pid=$(_ib_pid "$1") || return 1
	[ "$_s_pid" = - ] && return 0
	kill -TERM "$_s_pid" 2>/dev/null
	_s_i=0
	while kill -0 "$_s_pid" 2>/dev/null && [ $_s_i -lt 30 ]; do
		sleep 0.1
		_s_i=$((_s_i + 1))
	done
	kill -KILL "$_s_pid" 2>/dev/null
	wait "$_s_pid" 2>/dev/null
	# forget the pid: cleanup must never signal a recycled pid
	awk -v p="$_s_pid" '$1 != p' "$IB_WORK/pids" >"$IB_WORK/pids.new"
	mv "$IB_WORK/pids.new" "$IB_WORK/pids"
	return 0
}

# ib_snmp_answers PORT [snmp auth args]: 0 if the agent answers a GETNEXT
# (any varbind, even endOfMibView) within about half a second.
ib_snmp_answers() {
	_p=$1
	shift
	[ $# -gt 0 ] || set -- -v2c -c public
	_out=$(snmpgetnext "$@" -r0 -t0.3 -On "127.0.0.1:$_p" .1.3 2>&1) || return 1
	case $_out in
	*" = "*) return 0 ;;
	esac
	return 1
}

# _ib_launch NAME: start snmpd for agents/NAME/body.conf on a free port.
_ib_launch() {
	_dir=$IB_WORK/agents/$1
	mkdir -p "$_dir/persist"
	_ib_pick_port
	{
		echo "# $1: generated by tests/lib/agents.sh"
		echo "agentaddress udp:127.0.0.1:$IB_PORT"
		echo "serverRecvBuf 8388608"
		cat "$_dir/body.conf"
	} >"$_dir/snmpd.conf"
	chmod 600 "$_dir/snmpd.conf"
	: >"$_dir/log"
	MIBS='' MIBDIRS=$IB_WORK/nomibs SNMP_PERSISTENT_DIR=$_dir/persist \
	    timeout "$IB_AGENT_LIFETIME" snmpd -f -Lo -C \
	    -c "$_dir/snmpd.conf" -p "$_dir/snmpd.pid" \
	    -I override,vacm_conf,usmConf >"$_dir/log" 2>&1 &
	_ib_register "$1" "$IB_PORT" $!
	echo "$1" >>"$IB_WORK/pending"
}

# _ib_wait NAME: 0 once NAME's snmpd answers; relaunches it on another port
# if it lost a race for its port.  The probe's auth args are in agents/NAME/probe.
_ib_wait() {
	_w_dir=$IB_WORK/agents/$1
	_w_try=0
	while :; do
		_w_pid=$(_ib_pid "$1")
		_w_port=$(ib_port "$1")
		_w_i=0
		while [ $_w_i -lt "$IB_WAIT_TRIES" ]; do
			if ! kill -0 "$_w_pid" 2>/dev/null ||
			    grep -q 'Error opening specified endpoint' "$_w_dir/log"; then
				break
			fi
			# shellcheck disable=SC2046
			if ib_snmp_answers "$_w_port" $(cat "$_w_dir/probe"); then
				if grep -q 'Error:' "$_w_dir/log"; then
					echo "# $1: snmpd config errors:" >&2
					grep 'Error:' "$_w_dir/log" | head -5 |
					    sed 's/^/#   /' >&2
				fi
				IB_PORT=$_w_port
				return 0
			fi
			sleep 0.1
			_w_i=$((_w_i + 1))
		done
		ib_stop "$1"
		_w_try=$((_w_try + 1))
		if [ $_w_try -lt 5 ] &&
		    grep -q 'Error opening specified endpoint' "$_w_dir/log"; then
			_ib_launch "$1"		# lost a race for the port
			continue
		fi
		echo "# $1: snmpd did not answer on 127.0.0.1:$_w_port; log:" >&2
		tail -5 "$_w_dir/log" | sed 's/^/#   /' >&2
		return 1
	done
}

# ib_wait_all: wait for every agent launched with IB_NOWAIT=1; 1 if any
# did not come up.
ib_wait_all() {
	[ -f "$IB_WORK/pending" ] || return 0
	_wa_rc=0
	for _wa in $(cat "$IB_WORK/pending"); do
		_ib_wait "$_wa" || _wa_rc=1
	done
	rm -f "$IB_WORK/pending"
	return $_wa_rc
}

# _ib_start NAME PROBE_ARGS...: launch, then wait unless IB_NOWAIT is set.
_ib_start() {
	_n=$1
	shift
	echo "$*" >"$IB_WORK/agents/$_n/probe"
	_ib_launch "$_n"
	[ -n "${IB_NOWAIT:-}" ] && return 0
	rm -f "$IB_WORK/pending"
	_ib_wait "$_n"
}

# ib_start_snmprec NAME FILE [COMMUNITY]: snmpd answering exactly FILE's
# walk to SNMPv1/v2c with COMMUNITY (default public).  Sets IB_PORT (when
# IB_NOWAIT is set, call ib_wait_all, then use ib_port NAME).
ib_start_snmprec() {
	_c=${3:-public}
	mkdir -p "$IB_WORK/agents/$1"
	{
		echo "rocommunity $_c 127.0.0.1"
		"$IB_LIB/snmprec2snmpd" "$2"
	} >"$IB_WORK/agents/$1/body.conf" || return 1
	_ib_start "$1" -v2c -c "$_c"
}

# ib_start_v3 NAME FILE USER AUTHPASS PRIVPASS: SNMPv3 only (no community),
# user USER with SHA-1 authentication and AES-128 privacy, authPriv required.
# The passphrases must not contain blanks or double quotes.
ib_start_v3() {
	mkdir -p "$IB_WORK/agents/$1"
	: >"$IB_WORK/agents/$1/body.conf"
	chmod 600 "$IB_WORK/agents/$1/body.conf"
	{
		printf 'createUser %s SHA "%s" AES "%s"\n' "$3" "$4" "$5"
		echo "rouser $3 authpriv"
		"$IB_LIB/snmprec2snmpd" "$2"
	} >"$IB_WORK/agents/$1/body.conf" || return 1
	_ib_start "$1" -v3 -l authPriv -u "$3" -a SHA -A "$4" -x AES -X "$5"
}

# _ib_udpdrop NAME PORT ARGS...: start tests/lib/udpdrop.py on PORT, or
# on a free port if PORT is "".
_ib_udpdrop() {
	_name=$1
	_fixed=$2
	shift 2
	_dir=$IB_WORK/agents/$_name
	mkdir -p "$_dir"
	_try=0
	while [ $_try -lt 5 ]; do
		_try=$((_try + 1))
		if [ -n "$_fixed" ]; then
			IB_PORT=$_fixed
			_try=5
		else
			_ib_pick_port
		fi
		rm -f "$_dir/ready"
		timeout "$IB_AGENT_LIFETIME" python3 "$IB_LIB/udpdrop.py" \
		    --port "$IB_PORT" --ready "$_dir/ready" "$@" >"$_dir/log" 2>&1 &
		_pid=$!
		_ib_register "$_name" "$IB_PORT" "$_pid"
		_i=0
		while [ $_i -lt "$IB_WAIT_TRIES" ]; do
			[ -f "$_dir/ready" ] && return 0
			kill -0 "$_pid" 2>/dev/null || break
			grep -q 'bind' "$_dir/log" && break
			sleep 0.1
			_i=$((_i + 1))
		done
		ib_stop "$_name"
		grep -q 'bind' "$_dir/log" && continue
		break
	done
	echo "# $_name: udpdrop.py did not start; log:" >&2
	tail -5 "$_dir/log" | sed 's/^/#   /' >&2
	return 1
}

ib_start_silent() {
	_ib_udpdrop "$1" "${2:-}"
}

# ib_start_filter NAME BACKEND_PORT HEX...
ib_start_filter() {
	_n=$1
	_b=$2
	shift 2
	_args="--forward $_b"
	for _h; do
		_args="$_args --drop $_h"
	done
	# shellcheck disable=SC2086
	_ib_udpdrop "$_n" "" $_args
}

# ib_start_garbage NAME [PORT]: a UDP port that answers every request
# with junk.
ib_start_garbage() {
	_ib_udpdrop "$1" "${2:-}" --garbage
}

# ib_start_truncate NAME BACKEND_PORT: relay to BACKEND_PORT that cuts
# every answer in half.
ib_start_truncate() {
	_ib_udpdrop "$1" "" --forward "$2" --truncate
}

# ib_closed_port NAME: a free port, registered under NAME, with nothing
# bound to it.
ib_closed_port() {
	_ib_pick_port
	echo "$1 $IB_PORT -" >>"$IB_WORK/ports"
}

# BER encodings of OID prefixes, for ib_start_filter.
# shellcheck disable=SC2034
IB_BER_JUNIPER=2b06010401944c		# 1.3.6.1.4.1.2636
# shellcheck disable=SC2034
IB_BER_HOSTRES=2b0601020119		# 1.3.6.1.2.1.25
# shellcheck disable=SC2034
IB_BER_ENTITY=2b060102012f		# 1.3.6.1.2.1.47
