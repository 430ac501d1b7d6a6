#!/bin/sh
# sim_v3.sh: the simulator's SNMPv3 (sim/usm.c in ibsim) against real
# clients: net-snmp's snmpget/snmpbulkwalk and `ibagent scan --snmp-version
# 3`, authPriv with AES and every SHA protocol; then a wrong auth or privacy
# passphrase, an unknown user and a lower security level each fail with
# the status and reason they should (ibsim answers with the usmStats
# Report RFC 3414 names), and a passphrase file readable by others is
# refused.  Passphrases are in 0600 files; only 127.0.0.1 is used.
IB_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$IB_ROOT/tests/lib/tap.sh"
. "$IB_ROOT/tests/lib/agents.sh"
. "$IB_ROOT/tests/lib/inventory.sh"
BUILD=${BUILD:-build}
case $BUILD in /*) B=$BUILD ;; *) B=$IB_ROOT/$BUILD ;; esac
IBSIM=${IBSIM:-$B/ibsim}

why=$(ib_have_tools) || tap_skip_all "$why"
command -v sqlite3 >/dev/null 2>&1 || tap_skip_all "missing: sqlite3"
if ! why=$(ib_have_ibagent); then
	tap_fail "$why"
	tap_done
	exit 1
fi
if [ ! -x "$IBSIM" ]; then
	tap_fail "no $IBSIM (make BUILD=$BUILD)"
	tap_done
	exit 1
fi
ib_init
W=$IB_WORK
PROFILE=$IB_ROOT/tests/data/snmprec/ex4300-vc8.snmprec
umask 077
printf 'maplesyrup-auth\n' >"$W/auth.pw"
printf 'maplesyrup-priv\n' >"$W/priv.pw"
printf 'not-the-passphrase\n' >"$W/wrong.pw"
chmod 600 "$W/auth.pw" "$W/priv.pw" "$W/wrong.pw"

# sim_start NAME PROTO COUNT: ibsim with user netops (authPriv, PROTO +
# AES) serving COUNT copies of PROFILE on free ports; waits for its
# manifest ($W/NAME.tsv).  1 if it did not come up.
sim_start() {
	timeout "$IB_AGENT_LIFETIME" "$IBSIM" --manifest "$W/$1.tsv" \
	    --v3-user netops --v3-auth-proto "$2" \
	    --v3-auth-pass-file "$W/auth.pw" --v3-priv-pass-file "$W/priv.pw" \
	    "$PROFILE:$3" >"$W/$1.log" 2>&1 &
	echo "$! $1" >>"$W/pids"
	_i=0
	while [ $_i -lt 100 ]; do
		[ -s "$W/$1.tsv" ] && [ "$(wc -l <"$W/$1.tsv")" -eq "$3" ] &&
		    return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	diag "ibsim $1 did not start: $(cat "$W/$1.log")"
	return 1
}

# v3get PROTO AUTHPASS PRIVPASS LEVEL TARGET OID...: snmpget -v3 as user
# netops with AES, values only.
v3get() {
	_p=$1 _a=$2 _x=$3 _l=$4
	shift 4
	snmpget -v3 -l "$_l" -u netops -a "$_p" -A "$_a" -x AES -X "$_x" \
	    -t 1 -r 1 -On -Oqv "$@"
}

# scan DB TARGET PROTO AUTHFILE PRIVFILE [USER]: ibagent v3 scan; its
# stderr in DB.err.
scan() {
	"$IBAGENT" --db "$1" scan --snmp-version 3 --v3-user "${6:-netops}" \
	    --v3-auth-proto "$3" --v3-auth-pass-file "$4" \
	    --v3-priv-pass-file "$5" --no-progress --timeout 500 --retries 1 \
	    "$2" >/dev/null 2>"$1.err"
}

status_of() {	# DB ADDRESS
	sqlite3 "$1" "select last_status from devices where address = '$2'" \
	    2>/dev/null
}

if ! sim_start sha SHA 2; then
	tap_fail "ibsim starts with an SNMPv3 user"
	tap_done
	exit 1
fi
t0=$(cut -f2 "$W/sha.tsv" | sed -n 1p)
t1=$(cut -f2 "$W/sha.tsv" | sed -n 2p)
serial0=$(cut -f5 "$W/sha.tsv" | sed -n 1p)
serial1=$(cut -f5 "$W/sha.tsv" | sed -n 2p)
descr=$(grep '^1\.3\.6\.1\.2\.1\.1\.1\.0|' "$PROFILE" | cut -d'|' -f3-)

# net-snmp's own client, authPriv SHA + AES.
got=$(v3get SHA maplesyrup-auth maplesyrup-priv authPriv "$t0" \
    1.3.6.1.2.1.1.1.0 2>>"$W/snmpget.err")
tap_is "$got" "\"$descr\"" "snmpget -v3 authPriv SHA/AES reads sysDescr.0"
got=$(v3get SHA maplesyrup-auth maplesyrup-priv authPriv "$t1" \
    1.3.6.1.4.1.2636.3.1.3.0 2>>"$W/snmpget.err")
tap_is "$got" "\"$serial1\"" "snmpget -v3 reads copy 1's derived chassis serial"
n=$(snmpbulkwalk -v3 -l authPriv -u netops -a SHA -A maplesyrup-auth -x AES \
    -X maplesyrup-priv -t 1 -r 1 -On "$t0" 1.3.6.1.4.1.2636.3.1.8.1.7 \
    2>/dev/null | wc -l)
want=$(grep -c '^1\.3\.6\.1\.4\.1\.2636\.3\.1\.8\.1\.7\.' "$PROFILE")
tap_is "$n" "$want" "snmpbulkwalk -v3 walks jnxContentsSerialNo ($want rows)"

# ibagent, both devices.
db=$W/ok.sqlite
scan "$db" "$t0" SHA "$W/auth.pw" "$W/priv.pw"
scan "$db" "$t1" SHA "$W/auth.pw" "$W/priv.pw"
tap_is "$(status_of "$db" "$t0")/$(status_of "$db" "$t1")" "ok/ok" \
    "ibagent scan --snmp-version 3 (SHA/AES): both devices ok"
got=$(sqlite3 "$db" "select serial from devices order by address" 2>/dev/null |
    tr '\n' ' ')
tap_like "$got" "$serial0" "ibagent stored copy 0's chassis serial"
tap_like "$got" "$serial1" "ibagent stored copy 1's chassis serial"

# Every SHA-2 protocol of RFC 7860, with both clients.
for p in SHA-224 SHA-256 SHA-384 SHA-512; do
	name=$(echo "$p" | tr -d -)
	if ! sim_start "$name" "$p" 1; then
		tap_fail "ibsim starts with --v3-auth-proto $p"
		continue
	fi
	t=$(cut -f2 "$W/$name.tsv")
	got=$(v3get "$p" maplesyrup-auth maplesyrup-priv authPriv "$t" \
	    1.3.6.1.2.1.1.1.0 2>>"$W/snmpget.err")
	tap_is "$got" "\"$descr\"" "snmpget -v3 -a $p -x AES"
	scan "$W/$name.sqlite" "$t" "$p" "$W/auth.pw" "$W/priv.pw"
	tap_is "$(status_of "$W/$name.sqlite" "$t")" ok \
	    "ibagent --v3-auth-proto $p"
	# The wrong protocol is a wrong digest, not a timeout.
	scan "$W/$name-x.sqlite" "$t" SHA "$W/auth.pw" "$W/priv.pw"
	tap_is "$(status_of "$W/$name-x.sqlite" "$t")" auth \
	    "ibagent with SHA against a $p user: auth"
done

# Failures, each with its reason.
db=$W/bad.sqlite
scan "$db" "$t0" SHA "$W/wrong.pw" "$W/priv.pw"
tap_is "$(status_of "$db" "$t0")" auth "wrong auth passphrase: status auth"
tap_like "$(cat "$db.err")" "authentication failed" \
    "wrong auth passphrase: says authentication failed"
out=$(v3get SHA not-the-passphrase maplesyrup-priv authPriv "$t0" \
    1.3.6.1.2.1.1.1.0 2>&1)
tap_like "$out" "Authentication failure" \
    "snmpget with a wrong auth passphrase: Authentication failure (usmStatsWrongDigests)"

scan "$db" "$t1" SHA "$W/auth.pw" "$W/wrong.pw"
tap_is "$(status_of "$db" "$t1")" auth "wrong privacy passphrase: status auth"
tap_like "$(cat "$db.err")" "decryption failed" \
    "wrong privacy passphrase: says decryption failed"
out=$(v3get SHA maplesyrup-auth not-the-passphrase authPriv "$t1" \
    1.3.6.1.2.1.1.1.0 2>&1)
tap_like "$out" "Decryption error" \
    "snmpget with a wrong privacy passphrase: Decryption error (usmStatsDecryptionErrors)"

db=$W/user.sqlite
scan "$db" "$t0" SHA "$W/auth.pw" "$W/priv.pw" operator
tap_is "$(status_of "$db" "$t0")" auth "unknown user: status auth"
tap_like "$(cat "$db.err")" "unknown SNMPv3 user" "unknown user: says so"

out=$(v3get SHA maplesyrup-auth maplesyrup-priv authNoPriv "$t0" \
    1.3.6.1.2.1.1.1.0 2>&1)
tap_like "$out" "Unsupported security level" \
    "authNoPriv for an authPriv user: Unsupported security level"

# Secrets stay out of the database and the messages.
if grep -q maplesyrup "$W"/*.sqlite "$W"/*.err "$W"/*.log 2>/dev/null; then
	tap_fail "no passphrase in any database, scan message or ibsim log"
else
	tap_ok "no passphrase in any database, scan message or ibsim log"
fi

# A passphrase file others can read is refused.
chmod 644 "$W/auth.pw"
if timeout 10 "$IBSIM" --v3-user netops --v3-auth-pass-file "$W/auth.pw" \
    --v3-priv-pass-file "$W/priv.pw" "$PROFILE" >"$W/perm.log" 2>&1; then
	tap_fail "ibsim refuses a passphrase file of mode 0644"
else
	tap_ok "ibsim refuses a passphrase file of mode 0644"
fi
tap_done
