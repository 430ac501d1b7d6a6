# tests/lib/sshbed.sh: real OpenSSH sshd "devices" on 127.0.0.1 that
# speak NETCONF (tests/lib/netconf-responder).  POSIX sh; source it, then
# call sb_init.
#
#   sb_have_tools           0 if sshd, ssh-keygen, python3, timeout are
#                           here, else prints what is missing, returns 1
#   sb_init [DIR]           work dir (mktemp -d, or DIR/sshbed without an
#                           EXIT trap: the caller then runs sb_cleanup),
#                           test user, client key, empty known_hosts
#   sb_start NAME PROFILE [password]
#                           one sshd for one device: its own ed25519 host
#                           key, port, log; "Subsystem netconf" runs the
#                           responder with PROFILE (see netconf-responder;
#                           PROFILE "-": no netconf subsystem at all).
#                           "password" also allows password logins.
#                           Sets SB_PORT.
#   sb_start_tcp NAME garbage|mute
#                           a TCP port that is not SSH: an HTTP error and
#                           close, or silence.  Sets SB_PORT.
#   sb_start_agent          an ssh-agent (foreground, own socket) holding
#                           SB_KEY; sets SB_AGENT_SOCK
#   sb_port NAME            print NAME's port
#   sb_known_line NAME      print NAME's known_hosts line
#   sb_trust NAME [FILE]    append that line to FILE (SB_KNOWN_HOSTS)
#   sb_stop NAME            stop NAME's sshd (or TCP server) now
#   sb_cleanup              (the EXIT trap) stop every sshd, remove the
#                           work dir, delete the test user if we made it
#
# After sb_init: SB_WORK, SB_USER, SB_KEY (client ed25519 private key,
# mode 0600, authorized for SB_USER), SB_KNOWN_HOSTS (empty file),
# SB_PASSWORD_FILE (mode 0600; "" when password logins cannot be tested).
#
# The test user.  As root (CI): sshd runs as root, with privilege
# separation, and logs in a dedicated account made for this run,
# "ibnc<pid>" (SB_USER_PREFIX), with useradd (shell /bin/sh, no home
# directory, GECOS "ibagent NETCONF test bed, pid <pid>") and deleted by
# sb_cleanup; accounts of runs that died without cleaning up are deleted
# by the next sb_init.  One account per run because suites run in
# parallel on one machine: a shared account's password or existence
# would change under the other runs.  Root itself is not used: its
# account is locked on Debian images and "UsePAM no" refuses locked
# accounts even for key logins (testbed.md), and a password login needs
# a password we know: each account gets a random one (chpasswd reads it
# on stdin: it is never in argv), which also unlocks it.  sshd needs
# /run/sshd as root; it is created if missing and left in place.
# Not root (a developer): sshd runs as you and can only log you in, by
# key; SB_PASSWORD_FILE stays "" and password tests should SKIP.
#
# Each sshd: "sshd -D -e -f CONF" under "timeout $SB_LIFETIME" (default
# 1800 s) so even a SIGKILLed test leaves nothing for long; CONF has
# ListenAddress 127.0.0.1 on a free port (24000-31999, below the
# ephemeral range), UsePAM no, StrictModes no (the temp dir), PidFile and
# AuthorizedKeysFile in the work dir, no forwarding, no tty, AllowUsers
# SB_USER.  The work dir is mode 0755 so the test user can read the
# responder's profile and authorized_keys; private keys stay 0600.
# Only 127.0.0.1 is ever bound or addressed.

SB_ROOT=${SB_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
SB_CORPUS=${SB_CORPUS:-${IB_CORPUS:-$SB_ROOT/../shared/corpus}}
SB_RESPONDER=${SB_RESPONDER:-$SB_ROOT/tests/lib/netconf-responder}
SB_SSHD=${SB_SSHD:-/usr/sbin/sshd}
SB_LIFETIME=${SB_LIFETIME:-1800}
SB_USER_PREFIX=${SB_USER_PREFIX:-ibnc}
SB_WORK=
SB_OWN_TRAP=0
SB_MADE_USER=0
SB_PORT=

sb_have_tools() {
	_m=
	[ -x "$SB_SSHD" ] || _m=" $SB_SSHD"
	for _t in ssh-keygen python3 timeout; do
		command -v "$_t" >/dev/null 2>&1 || _m="$_m $_t"
	done
	[ -z "$_m" ] && return 0
	echo "missing:$_m"
	return 1
}

# _sb_reap_users: delete test users left by runs that died (SIGKILL):
# the GECOS field names the pid of the shell that made the user.
_sb_reap_users() {
	getent passwd | awk -F: -v p="$SB_USER_PREFIX" '
	    index($1, p) == 1 && $5 ~ /^ibagent NETCONF test bed, pid [0-9]+$/ {
		n = split($5, a, " "); print $1, a[n] }' |
	while read -r _u _p; do
		kill -0 "$_p" 2>/dev/null || userdel "$_u" 2>/dev/null
	done
}

_sb_user() {
	if [ "$(id -u)" -ne 0 ]; then
		SB_USER=$(id -un)
		SB_PASSWORD_FILE=
		return 0
	fi
	_sb_reap_users
	# One user per run: runs in parallel never share an account.
	SB_USER=$SB_USER_PREFIX$$
	useradd -M -d /nonexistent -s /bin/sh \
	    -c "ibagent NETCONF test bed, pid $$" "$SB_USER" || return 1
	SB_MADE_USER=1
	SB_PASSWORD_FILE=$SB_WORK/client/password
	(umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=\n' \
	    >"$SB_PASSWORD_FILE") || return 1
	# chpasswd reads "user:password" on stdin; printf is a builtin.
	printf '%s:%s\n' "$SB_USER" "$(cat "$SB_PASSWORD_FILE")" | chpasswd ||
	    return 1
	# sshd's privilege separation directory (systemd makes it at boot
	# when sshd is enabled).  Left in place: other runs may be using it.
	[ -d /run/sshd ] || { mkdir -p /run/sshd && chmod 755 /run/sshd; }
	return 0
}

sb_init() {
	if [ -n "${1:-}" ]; then
		SB_WORK=$1/sshbed
		mkdir -p "$SB_WORK" || exit 1
	else
		SB_WORK=$(mktemp -d "${TMPDIR:-/tmp}/sshbed.XXXXXX") || exit 1
		SB_OWN_TRAP=1
		trap 'sb_cleanup' EXIT
		trap 'exit 130' INT
		trap 'exit 143' TERM
		trap 'exit 129' HUP
	fi
	chmod 755 "$SB_WORK"
	mkdir -p "$SB_WORK/client" "$SB_WORK/dev"
	chmod 700 "$SB_WORK/client"
	: >"$SB_WORK/pids"
	: >"$SB_WORK/ports"
	_sb_user || { echo "# sshbed: cannot set up the test user" >&2; exit 1; }
	SB_KEY=$SB_WORK/client/id_ed25519
	ssh-keygen -q -t ed25519 -N '' -C ibtest-client -f "$SB_KEY" || exit 1
	cp "$SB_KEY.pub" "$SB_WORK/authorized_keys"
	chmod 644 "$SB_WORK/authorized_keys"
	SB_KNOWN_HOSTS=$SB_WORK/client/known_hosts
	: >"$SB_KNOWN_HOSTS"
	_sb_next=$((24000 + ($$ % 400) * 20))
}

sb_cleanup() {
	[ -n "$SB_WORK" ] && [ -d "$SB_WORK" ] || return 0
	while read -r _pid _name; do
		kill -TERM "$_pid" 2>/dev/null
	done <"$SB_WORK/pids"
	for _pf in "$SB_WORK"/dev/*/sshd.pid; do
		[ -f "$_pf" ] && kill -TERM "$(cat "$_pf" 2>/dev/null)" 2>/dev/null
	done
	_i=0
	while [ $_i -lt 30 ]; do
		_alive=0
		while read -r _pid _name; do
			kill -0 "$_pid" 2>/dev/null && _alive=1
		done <"$SB_WORK/pids"
		[ $_alive -eq 0 ] && break
		sleep 0.1
		_i=$((_i + 1))
	done
	while read -r _pid _name; do
		if kill -0 "$_pid" 2>/dev/null; then
			echo "# sshbed cleanup: $_name (pid $_pid) ignored TERM, killing" >&2
			kill -KILL "$_pid" 2>/dev/null
		fi
		wait "$_pid" 2>/dev/null
	done <"$SB_WORK/pids"
	if [ "$SB_MADE_USER" -eq 1 ]; then
		userdel "$SB_USER" 2>/dev/null
		SB_MADE_USER=0
	fi
	if [ -n "${SB_KEEP_WORK:-${IB_KEEP_WORK:-}}" ]; then
		echo "# sshbed work dir kept: $SB_WORK" >&2
	else
		rm -rf "$SB_WORK"
	fi
	SB_WORK=
}

# _sb_port_free PORT: 0 if no TCP socket (IPv4 or IPv6) uses PORT locally.
_sb_port_free() {
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v p="$1" '
	    BEGIN { h = sprintf("%04X", p); busy = 0 }
	    NR > 1 { n = split($2, a, ":"); if (a[n] == h) busy = 1 }
	    END { exit busy }'
}

_sb_pick_port() {
	while :; do
		SB_PORT=$_sb_next
		_sb_next=$((_sb_next + 1))
		[ $SB_PORT -lt 32000 ] || _sb_next=24000
		_sb_port_free $SB_PORT && return 0
	done
}

sb_port() {
	awk -v n="$1" '$1 == n { p = $2 } END { if (p == "") exit 1; print p }' \
	    "$SB_WORK/ports"
}

sb_known_line() {
	_kp=$(sb_port "$1") || return 1
	printf '[127.0.0.1]:%s %s\n' "$_kp" \
	    "$(cut -d' ' -f1,2 "$SB_WORK/dev/$1/host_ed25519.pub")"
}

sb_trust() {
	sb_known_line "$1" >>"${2:-$SB_KNOWN_HOSTS}"
}

sb_start() {
	_n=$1
	_prof=$2
	_pw=${3:-}
	_d=$SB_WORK/dev/$_n
	mkdir -p "$_d"
	chmod 755 "$_d"
	if [ "$_prof" != - ]; then
		cp "$_prof" "$_d/profile" && chmod 644 "$_d/profile" || return 1
		: >"$_d/responder.log"
		chmod 666 "$_d/responder.log"	# written as the test user
	fi
	ssh-keygen -q -t ed25519 -N '' -C "$_n" -f "$_d/host_ed25519" || return 1
	_try=0
	while [ $_try -lt 5 ]; do
		_try=$((_try + 1))
		_sb_pick_port
		{
			echo "# $_n: generated by tests/lib/sshbed.sh"
			echo "ListenAddress 127.0.0.1:$SB_PORT"
			echo "HostKey $_d/host_ed25519"
			echo "PidFile $_d/sshd.pid"
			echo "AuthorizedKeysFile $SB_WORK/authorized_keys"
			echo "StrictModes no"
			echo "UsePAM no"
			echo "PubkeyAuthentication yes"
			if [ "$_pw" = password ]; then
				echo "PasswordAuthentication yes"
			else
				echo "PasswordAuthentication no"
			fi
			echo "KbdInteractiveAuthentication no"
			echo "PermitRootLogin no"
			echo "AllowUsers $SB_USER"
			echo "AllowTcpForwarding no"
			echo "AllowAgentForwarding no"
			echo "X11Forwarding no"
			echo "PermitTTY no"
			echo "PrintMotd no"
			echo "PrintLastLog no"
			echo "UseDNS no"
			echo "MaxStartups 100:30:200"
			echo "LoginGraceTime 30"
			echo "LogLevel INFO"
			if [ "$_prof" != - ]; then
				echo "Subsystem netconf /usr/bin/python3 $SB_RESPONDER --root $SB_CORPUS --log $_d/responder.log $_d/profile"
			fi
		} >"$_d/sshd_config"
		rm -f "$_d/sshd.pid"
		: >"$_d/log"
		timeout "$SB_LIFETIME" "$SB_SSHD" -D -e -f "$_d/sshd_config" \
		    >"$_d/log" 2>&1 &
		_pid=$!
		echo "$_pid sshd-$_n" >>"$SB_WORK/pids"
		_i=0
		while [ $_i -lt 100 ]; do
			if grep -q "Server listening on 127.0.0.1 port $SB_PORT" "$_d/log"; then
				echo "$_n $SB_PORT $_pid" >>"$SB_WORK/ports"
				return 0
			fi
			kill -0 "$_pid" 2>/dev/null || break
			sleep 0.05
			_i=$((_i + 1))
		done
		kill -TERM "$_pid" 2>/dev/null
		wait "$_pid" 2>/dev/null
		grep -q 'Address already in use' "$_d/log" && continue
		break
	done
	echo "# $_n: sshd did not start; log:" >&2
	tail -5 "$_d/log" | sed 's/^/#   /' >&2
	return 1
}

# sb_start_tcp NAME garbage|mute: a TCP port that is not SSH.  garbage
# answers every connection with an HTTP error and closes it; mute accepts
# and never sends a byte (until the client leaves).  Sets SB_PORT.
sb_start_tcp() {
	_n=$1
	_d=$SB_WORK/dev/$_n
	mkdir -p "$_d"
	_try=0
	while [ $_try -lt 5 ]; do
		_try=$((_try + 1))
		_sb_pick_port
		rm -f "$_d/ready"
		timeout "$SB_LIFETIME" python3 -c '
import socket, sys, threading
mode, port, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket()
s.bind(("127.0.0.1", port))
s.listen(64)
open(ready, "w").close()
def hold(c):
    try:
        while c.recv(4096):
            pass
    finally:
        c.close()
while True:
    c, _ = s.accept()
    if mode == "garbage":
        c.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n")
        c.close()
    else:
        threading.Thread(target=hold, args=(c,), daemon=True).start()
' "$2" "$SB_PORT" "$_d/ready" >"$_d/log" 2>&1 &
		_pid=$!
		echo "$_pid tcp-$_n" >>"$SB_WORK/pids"
		_i=0
		while [ $_i -lt 100 ]; do
			if [ -f "$_d/ready" ]; then
				echo "$_n $SB_PORT $_pid" >>"$SB_WORK/ports"
				return 0
			fi
			kill -0 "$_pid" 2>/dev/null || break
			sleep 0.05
			_i=$((_i + 1))
		done
		kill -TERM "$_pid" 2>/dev/null
		wait "$_pid" 2>/dev/null
		grep -q 'Address already in use' "$_d/log" && continue
		break
	done
	echo "# $_n: TCP server did not start; log:" >&2
	tail -5 "$_d/log" | sed 's/^/#   /' >&2
	return 1
}

sb_start_agent() {
	SB_AGENT_SOCK=$SB_WORK/client/agent.sock
	rm -f "$SB_AGENT_SOCK"
	timeout "$SB_LIFETIME" ssh-agent -D -a "$SB_AGENT_SOCK" \
	    >"$SB_WORK/client/agent.log" 2>&1 &
	echo "$! ssh-agent" >>"$SB_WORK/pids"
	_i=0
	while [ ! -S "$SB_AGENT_SOCK" ] && [ $_i -lt 100 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	SSH_AUTH_SOCK=$SB_AGENT_SOCK ssh-add -q "$SB_KEY" 2>/dev/null
}

sb_stop() {
	_sp=$(awk -v n="$1" '$1 == n { p = $3 } END { print p }' "$SB_WORK/ports")
	[ -n "$_sp" ] || return 1
	kill -TERM "$_sp" 2>/dev/null
	wait "$_sp" 2>/dev/null
	awk -v p="$_sp" '$1 != p' "$SB_WORK/pids" >"$SB_WORK/pids.new"
	mv "$SB_WORK/pids.new" "$SB_WORK/pids"
	return 0
}
