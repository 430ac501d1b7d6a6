#!/bin/sh
# netconf.sh: the NETCONF client (collector/cnetconf.c, driven by
# build/tools/ncprobe) against real OpenSSH sshd "devices" on 127.0.0.1
# (tests/lib/sshbed.sh) whose netconf subsystem is
# tests/lib/netconf-responder answering from ../shared/corpus/xml.
#   (a) key login, multi-RE Virtual Chassis replies -> ok with facts (an
#       MX240 VC from the corpus, our 8-member EX4300 VC)
#   (b) host keys: unknown -> auth; changed (same and other key type)
#       -> auth even with tofu, known_hosts untouched; tofu records the
#       key, then a plain run accepts it
#   (c) password login from a 0600 file and from IBAGENT_SSH_PASSWORD;
#       wrong password -> auth; the password is never printed; a key
#       from ssh-agent; no credential or an open key file: run refused
#   (d) a silent device times out while another one in the same run is
#       polled at full speed
#   (e) a reply cut in the middle -> badreply (first RPC) / partial (later)
#   (f) base:1.1 chunked framing gives the same facts as ]]>]]> framing
#   (g) rpc-error on get-virtual-chassis-information -> still ok
#   (h) a 100 MB reply -> badreply, memory bounded; no netconf subsystem
#       -> badreply; closed port -> refused; not SSH -> badreply; TCP
#       port that never speaks -> timeout; unauthorized key -> auth
#   (i) valgrind: no errors, no definite leaks, no descriptor left open
#   (j) cost: client CPU per session over 50 sequential sessions, wall
#       time of one session (printed as "# ..." lines)
# Env: NCPROBE (default $BUILD/tools/ncprobe), IB_CORPUS, IB_KEEP_WORK=1
# keeps the work dir, NC_SESSIONS (default 50) for (j).
IB_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$IB_ROOT/tests/lib/tap.sh"
. "$IB_ROOT/tests/lib/sshbed.sh"

why=$(sb_have_tools) || tap_skip_all "$why"
if [ ! -d "$SB_CORPUS/xml" ]; then
	tap_skip_all "corpus not found at $SB_CORPUS (set IB_CORPUS)"
fi
NCPROBE=${NCPROBE:-$IB_ROOT/${BUILD:-build}/tools/ncprobe}
if [ ! -x "$NCPROBE" ]; then
	tap_fail "ncprobe not built: make build/tools/ncprobe"
	tap_done
	exit 1
fi
# Sanitizer builds: memory and CPU figures mean nothing, valgrind cannot
# run them.
asan=0
ldd "$NCPROBE" 2>/dev/null | grep -qE 'lib(asan|tsan)' && asan=1
unset SSH_AUTH_SOCK IBAGENT_SSH_PASSWORD
sb_init
W=$SB_WORK
X=xml/py-junos-eznc/facts/rpc-reply
NC_SESSIONS=${NC_SESSIONS:-50}

# field FILE KEY [N]: value of KEY in the Nth device block (default 1)
field() {
	awk -v k="$2" -v want="${3:-1}" '
	    /^device=/ { n++ }
	    n == want && index($0, k "=") == 1 { print substr($0, length(k) + 2); exit }' "$1"
}

# probe OUT ARGS...: ncprobe with the bed's user and known_hosts
probe() {
	_o=$1
	shift
	"$NCPROBE" -u "$SB_USER" -K "${KH:-$SB_KNOWN_HOSTS}" -c 10000 -t 10000 \
	    "$@" >"$_o" 2>"$_o.err"
}

# device block of ADDRESS in FILE, facts only (no device/status/err/t_ms)
facts_of() {
	awk -v a="device=$2" '
	    $0 == a { on = 1; next }
	    on && /^end$/ { exit }
	    on && !/^(status|err|t_ms)=/' "$1"
}

# --- devices -----------------------------------------------------------------
vc_rpcs() {
	echo "get-software-information $X/sw_info_vc_command.xml"
	echo "get-chassis-inventory $X/chassis_serialnumber_get-chassis-inventory.xml"
	echo "get-virtual-chassis-information $X/sw_info_vc_get-virtual-chassis-information.xml"
}
{ echo "hello base10"; vc_rpcs; } >"$W/vc.profile"
# Our own consistent fixture: an 8-member EX4300 VC (tests/data/xml).
T=$IB_ROOT/tests/data/xml
{
	echo "get-software-information $T/ex4300-vc8_get-software-information.xml"
	echo "get-chassis-inventory $T/ex4300-vc8_get-chassis-inventory.xml"
	echo "get-virtual-chassis-information $T/ex4300-vc8_get-virtual-chassis-information.xml"
} >"$W/ex.profile"
{ echo "hello base11"; vc_rpcs; } >"$W/vc11.profile"
{
	echo "get-software-information $X/sw_info_simple_get-software-information.xml"
	echo "get-chassis-inventory xml/py-junos-eznc/rpc-reply/get-chassis-inventory.xml"
	echo "get-virtual-chassis-information error"
} >"$W/novc.profile"
echo "hello silent" >"$W/silent.profile"
{
	echo "get-software-information cut:$X/sw_info_vc_command.xml"
	vc_rpcs | sed 1d
} >"$W/cutsw.profile"
{
	vc_rpcs | sed -n 1p
	echo "get-chassis-inventory cut:$X/chassis_serialnumber_get-chassis-inventory.xml"
} >"$W/cutch.profile"
{ echo "get-software-information big:100M"; vc_rpcs | sed 1d; } >"$W/big.profile"

ok=1
for d in vc ex vc11 novc silent cutsw cutch big; do
	sb_start "$d" "$W/$d.profile" || ok=0
done
sb_start pw "$W/vc.profile" password || ok=0
sb_start nosub - || ok=0
sb_start_tcp http garbage || ok=0
sb_start_tcp mute mute || ok=0
if [ $ok -eq 0 ]; then
	tap_fail "start sshd devices"
	tap_done
	exit 1
fi
for d in vc ex vc11 novc silent cutsw cutch big pw nosub; do
	sb_trust "$d"
done
addr() { echo "127.0.0.1:$(sb_port "$1")"; }

# --- (a) success --------------------------------------------------------------
probe "$W/a.out" -k "$SB_KEY" "$(addr vc)"
tap_is "$(field "$W/a.out" status)" ok "key login, multi-RE VC: status ok"
tap_is "$(field "$W/a.out" err)" "" "key login: no error text"
tap_like "$(field "$W/a.out" hostname)" . "software RPC: hostname parsed"
tap_like "$(field "$W/a.out" version)" '^15\.1' "software RPC: Junos version parsed"
tap_like "$(field "$W/a.out" serial)" JN1249018AFB "chassis RPC: chassis serial parsed"
tap_like "$(grep -c '^item\.[0-9]*\.kind=member$' "$W/a.out")" '^[1-9]' \
    "VC RPC: members parsed"
probe "$W/a2.out" -k "$SB_KEY" "$(addr ex)"
tap_is "$(field "$W/a2.out" status) $(field "$W/a2.out" err)" "ok " \
    "8-member EX4300 VC (tests/data/xml): status ok"
tap_is "$(grep -c '^item\.[0-9]*\.kind=member$' "$W/a2.out")" 8 \
    "8-member EX4300 VC: 8 members"

# --- (b) host keys ------------------------------------------------------------
: >"$W/kh-empty"
KH=$W/kh-empty probe "$W/b1.out" -k "$SB_KEY" "$(addr vc)"
tap_is "$(field "$W/b1.out" status)" auth "unknown host key: status auth"
tap_like "$(field "$W/b1.out" err)" \
    "^host key unknown \(not in $W/kh-empty\); use --ssh-tofu to accept it" \
    "unknown host key: says so and names --ssh-tofu"
tap_is "$(wc -c <"$W/kh-empty" | tr -d ' ')" 0 "unknown host key: known_hosts untouched"

ssh-keygen -q -t ed25519 -N '' -C other -f "$W/other_ed25519"
printf '[127.0.0.1]:%s %s\n' "$(sb_port vc)" \
    "$(cut -d' ' -f1,2 "$W/other_ed25519.pub")" >"$W/kh-changed"
cp "$W/kh-changed" "$W/kh-changed.orig"
KH=$W/kh-changed probe "$W/b2.out" -k "$SB_KEY" "$(addr vc)"
tap_is "$(field "$W/b2.out" status)" auth "changed host key: status auth"
tap_like "$(field "$W/b2.out" err)" \
    "^HOST KEY CHANGED for 127\.0\.0\.1:$(sb_port vc): possible man-in-the-middle" \
    "changed host key: HOST KEY CHANGED"
KH=$W/kh-changed probe "$W/b3.out" -T -k "$SB_KEY" "$(addr vc)"
tap_is "$(field "$W/b3.out" status)" auth "changed host key with tofu: still auth"
cmp -s "$W/kh-changed" "$W/kh-changed.orig"
tap_check $? "changed host key with tofu: known_hosts not overwritten"

ssh-keygen -q -t ecdsa -b 256 -N '' -C other -f "$W/other_ecdsa"
printf '[127.0.0.1]:%s %s\n' "$(sb_port vc)" \
    "$(cut -d' ' -f1,2 "$W/other_ecdsa.pub")" >"$W/kh-other"
KH=$W/kh-other probe "$W/b4.out" -T -k "$SB_KEY" "$(addr vc)"
tap_like "$(field "$W/b4.out" status) $(field "$W/b4.out" err)" \
    "^auth HOST KEY CHANGED" "host key of another type with tofu: auth, HOST KEY CHANGED"

rm -f "$W/kh-tofu"
KH=$W/kh-tofu probe "$W/b5.out" -T -k "$SB_KEY" "$(addr vc)" "$(addr novc)"
tap_is "$(field "$W/b5.out" status 1) $(field "$W/b5.out" status 2)" "ok ok" \
    "tofu, no known_hosts file yet: both devices ok"
tap_like "$(field "$W/b5.out" err)" "new host key recorded in $W/kh-tofu \(ssh-ed25519 SHA256:" \
    "tofu: says it recorded the key"
tap_is "$(grep -c "^\[127\.0\.0\.1\]:$(sb_port vc) ssh-ed25519 " "$W/kh-tofu" 2>/dev/null)" 1 \
    "tofu: key recorded once in OpenSSH format"
KH=$W/kh-tofu probe "$W/b6.out" -k "$SB_KEY" "$(addr vc)"
tap_is "$(field "$W/b6.out" status) $(field "$W/b6.out" err)" "ok " \
    "tofu: the recorded key is then accepted without tofu"

# --- (c) passwords ------------------------------------------------------------
if [ -n "$SB_PASSWORD_FILE" ]; then
	probe "$W/c1.out" -P "$SB_PASSWORD_FILE" "$(addr pw)"
	tap_is "$(field "$W/c1.out" status)" ok "password login from a 0600 file"
	IBAGENT_SSH_PASSWORD=$(cat "$SB_PASSWORD_FILE") probe "$W/c2.out" "$(addr pw)"
	tap_is "$(field "$W/c2.out" status)" ok "password login from IBAGENT_SSH_PASSWORD"
	IBAGENT_SSH_PASSWORD=not-the-password probe "$W/c3.out" "$(addr pw)"
	tap_like "$(field "$W/c3.out" status) $(field "$W/c3.out" err)" \
	    "^auth login as $SB_USER refused \(tried: password\)" "wrong password: auth"
	probe "$W/c4.out" -P "$SB_PASSWORD_FILE" "$(addr vc)"
	tap_like "$(field "$W/c4.out" status)" auth \
	    "password to a device that allows only keys: auth"
	cp "$SB_PASSWORD_FILE" "$W/pw-open"
	chmod 644 "$W/pw-open"
	probe "$W/c5.out" -P "$W/pw-open" "$(addr pw)"
	tap_like "$(cat "$W/c5.out.err")" "accessible by group or others" \
	    "password file readable by others: refused"
	pw=$(cat "$SB_PASSWORD_FILE")
	! grep -qF -- "$pw" "$W"/c?.out "$W"/c?.out.err
	tap_check $? "the password appears in no output"
else
	tap_skip "password login" "not root: sshd cannot check passwords"
fi

# --- (c2) ssh-agent, and no credential at all ----------------------------------
if command -v ssh-agent >/dev/null 2>&1 && sb_start_agent; then
	SSH_AUTH_SOCK=$SB_AGENT_SOCK probe "$W/c6.out" "$(addr vc)"
	tap_is "$(field "$W/c6.out" status)" ok "key from ssh-agent (no key file given)"
else
	tap_skip "key from ssh-agent" "ssh-agent did not start"
fi
probe "$W/c7.out" "$(addr vc)"
tap_is "$? $(cat "$W/c7.out.err")" \
    "1 ncprobe: no SSH credential: give a private key, a password, or run ssh-agent (SSH_AUTH_SOCK)" \
    "no key, no agent, no password: the run is refused"
chmod 644 "$SB_KEY"
probe "$W/c8.out" -k "$SB_KEY" "$(addr vc)"
tap_like "$? $(cat "$W/c8.out.err")" "^1 ncprobe: .*private key is accessible by group or others" \
    "private key readable by others: the run is refused"
chmod 600 "$SB_KEY"

# --- (d) silent device and a good one in the same run -------------------------
t0=$(date +%s%N)
probe "$W/d.out" -w 2 -t 4000 -k "$SB_KEY" "$(addr silent)" "$(addr vc)"
t1=$(date +%s%N)
tap_is "$(awk -F= '/^status=/ { s = s $2 " " } END { print s }' "$W/d.out")" \
    "ok timeout " "silent device: the good one reported first, the silent one times out"
tap_like "$(field "$W/d.out" err 2)" "^hello: no complete reply after 4000 ms" \
    "silent device: timeout while waiting for <hello>"
good=$(field "$W/d.out" t_ms 1)
silent=$(field "$W/d.out" t_ms 2)
tap_check "$([ "${good:-99999}" -lt 4000 ] && [ "${silent:-0}" -ge 4000 ] && echo 0 || echo 1)" \
    "silent device: the good device was not held up ($good ms; silent: $silent ms)"
ms=$(( (t1 - t0) / 1000000 ))
tap_check "$([ $ms -lt 7000 ] && echo 0 || echo 1)" \
    "silent device: the run took $ms ms (timeout 4000 ms)"

# SIGINT while sessions hang: reported "interrupted" at once, not after
# the 20 s timeout; the device not yet started is not reported.
t0=$(date +%s%N)
"$NCPROBE" -u "$SB_USER" -K "$SB_KNOWN_HOSTS" -k "$SB_KEY" -w 2 -t 20000 \
    "$(addr silent)" "$(addr silent)" "$(addr vc)" >"$W/d2.out" 2>&1 &
pid=$!
sleep 1
kill -INT $pid
wait $pid
rc=$?
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
tap_is "$rc $(awk -F= '/^(status|err)=/ { s = s $2 " " } END { print s }' "$W/d2.out")" \
    "0 error interrupted error interrupted " \
    "SIGINT: the two hung sessions are interrupted, the third never starts"
tap_check "$([ $ms -lt 3000 ] && echo 0 || echo 1)" "SIGINT: the run ended after $ms ms"

# --- (e) cut replies ----------------------------------------------------------
probe "$W/e1.out" -k "$SB_KEY" "$(addr cutsw)"
tap_like "$(field "$W/e1.out" status) $(field "$W/e1.out" err)" \
    "^badreply get-software-information: session closed by the device in the middle of the reply" \
    "reply cut in the middle (first RPC): badreply"
probe "$W/e2.out" -k "$SB_KEY" "$(addr cutch)"
tap_like "$(field "$W/e2.out" status) $(field "$W/e2.out" err)" \
    "^partial get-chassis-inventory: session closed by the device in the middle" \
    "reply cut in the middle (second RPC): partial, software facts kept"
tap_like "$(field "$W/e2.out" version)" '^15\.1' "cut second RPC: the first reply's facts are kept"

# --- (f) chunked framing ------------------------------------------------------
probe "$W/f.out" -k "$SB_KEY" "$(addr vc11)" "$(addr vc)"
tap_is "$(field "$W/f.out" status 1) $(field "$W/f.out" status 2)" "ok ok" \
    "base:1.1 chunked framing: ok"
facts_of "$W/f.out" "$(addr vc11)" >"$W/f.11"
facts_of "$W/f.out" "$(addr vc)" >"$W/f.10"
cmp -s "$W/f.11" "$W/f.10" && [ -s "$W/f.10" ]
tap_check $? "chunked and end-of-message framing give the same facts"

# --- (g) rpc-error on the VC RPC ----------------------------------------------
probe "$W/g.out" -k "$SB_KEY" "$(addr novc)"
tap_is "$(field "$W/g.out" status)" ok "rpc-error on get-virtual-chassis-information: ok"
tap_like "$(field "$W/g.out" err)" "^get-virtual-chassis-information: rpc-error" \
    "rpc-error on VC: noted in err"

# --- (h) size cap, no subsystem, refused, unauthorized key --------------------
probe "$W/h1.out" -s -k "$SB_KEY" "$(addr big)"
tap_like "$(field "$W/h1.out" status) $(field "$W/h1.out" err)" \
    "^badreply get-software-information: reply larger than 16777216 bytes" \
    "100 MB reply with the default 16 MB cap: badreply"
rss=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' "$W/h1.out.err")
if [ $asan -eq 1 ]; then
	tap_skip "100 MB reply: client memory bounded" "sanitizer build"
else
	tap_check "$([ "${rss:-999999}" -lt 49152 ] && echo 0 || echo 1)" \
	    "100 MB reply: client max RSS ${rss:-?} kB (< 48 MB)"
fi
probe "$W/h2.out" -s -m 1048576 -k "$SB_KEY" "$(addr big)"
tap_like "$(field "$W/h2.out" status) $(field "$W/h2.out" err)" \
    "^badreply get-software-information: reply larger than 1048576 bytes" \
    "100 MB reply with a 1 MB cap: badreply"
rss=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' "$W/h2.out.err")
if [ $asan -eq 0 ]; then
	tap_check "$([ "${rss:-999999}" -lt 20480 ] && echo 0 || echo 1)" \
	    "100 MB reply with a 1 MB cap: client max RSS ${rss:-?} kB (< 20 MB)"
fi
probe "$W/h3.out" -k "$SB_KEY" "$(addr nosub)"
tap_like "$(field "$W/h3.out" status) $(field "$W/h3.out" err)" "^badreply netconf subsystem" \
    "no netconf subsystem: badreply"
closed=$(sb_port nosub)
sb_stop nosub
probe "$W/h4.out" -k "$SB_KEY" "127.0.0.1:$closed"
tap_is "$(field "$W/h4.out" status) $(field "$W/h4.out" err)" "refused connection refused" \
    "closed port: refused"
probe "$W/h6.out" -k "$SB_KEY" "$(addr http)"
tap_like "$(field "$W/h6.out" status) $(field "$W/h6.out" err)" "^badreply SSH handshake: " \
    "not an SSH server: badreply"
probe "$W/h7.out" -c 1000 -k "$SB_KEY" "$(addr mute)"	# after -c 10000
tap_is "$(field "$W/h7.out" status) $(field "$W/h7.out" err)" \
    "timeout SSH handshake: no answer after 1000 ms" "TCP port that never speaks: timeout"
ssh-keygen -q -t ed25519 -N '' -C stranger -f "$W/stranger"
probe "$W/h5.out" -k "$W/stranger" "$(addr vc)"
tap_like "$(field "$W/h5.out" status) $(field "$W/h5.out" err)" \
    "^auth login as $SB_USER refused \(tried: publickey\)" "key not authorized: auth"

# --- (i) valgrind ----------------------------------------------------------------
if [ $asan -eq 1 ]; then
	tap_skip "valgrind" "ncprobe is built with a sanitizer"
elif command -v valgrind >/dev/null 2>&1; then
	rm -f "$W/kh-vg"
	KH=$W/kh-vg valgrind -q --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite --track-fds=yes \
	    --log-file="$W/vg.log" "$NCPROBE" -u "$SB_USER" -K "$W/kh-vg" \
	    -T -w 3 -c 5000 -t 5000 -k "$SB_KEY" "$(addr vc)" "$(addr vc11)" \
	    "$(addr cutsw)" "$(addr novc)" "127.0.0.1:$closed" "$(addr http)" \
	    >"$W/i.out" 2>&1
	rc=$?
	tap_is "$rc $(grep -c '^status=' "$W/i.out")" "0 6" "valgrind: ncprobe exits 0, 6 devices"
	# valgrind lists the descriptors open at exit: every one must be
	# stdin/out/err or inherited from the shell.
	open=$(awk '/Open .*descriptor [0-9]+/ { d = $0; next }
	    d != "" { if ($0 !~ /inherited from parent/ &&
	        d !~ /descriptor [012][^0-9]/) n++; d = "" }
	    END { print n + 0 }' "$W/vg.log")
	errs=$(grep -cE '== (Invalid|Conditional|Syscall param|[0-9,]+ bytes in [0-9,]+ blocks are definitely)' "$W/vg.log")
	tap_is "$errs $open" "0 0" "valgrind: no errors, no definite leaks, no descriptors left open"
	[ "$errs $open" = "0 0" ] || sed 's/^/#   /' "$W/vg.log" | head -40
else
	tap_skip "valgrind" "valgrind not installed"
fi

# --- (j) cost -------------------------------------------------------------------
probe "$W/j1.out" -q -s -w 1 -k "$SB_KEY" "$(addr vc)"
probe "$W/j2.out" -q -s -w 1 -r "$NC_SESSIONS" -k "$SB_KEY" "$(addr vc)"
nok=$(grep -c '^status=ok$' "$W/j2.out")
tap_is "$nok" "$NC_SESSIONS" "$NC_SESSIONS sequential sessions: all ok"
one=$(sed -n 's/.*wall_ms=\([0-9]*\).*/\1/p' "$W/j1.out.err")
cpu1=$(sed -n 's/.*cpu_ms=\([0-9.]*\).*/\1/p' "$W/j1.out.err")
cpuN=$(sed -n 's/.*cpu_ms=\([0-9.]*\).*/\1/p' "$W/j2.out.err")
wallN=$(sed -n 's/.*wall_ms_per_session=\([0-9.]*\).*/\1/p' "$W/j2.out.err")
per=$(awk -v a="$cpuN" -v b="$cpu1" -v n="$NC_SESSIONS" \
    'BEGIN { printf "%.2f", (a - b) / (n - 1) }')
diag "one session: wall $one ms (client CPU $cpu1 ms with process start-up)"
diag "$NC_SESSIONS sequential sessions: client CPU $cpuN ms in all, $per ms per" \
    "extra session; wall $wallN ms per session (mostly sshd and the Python" \
    "responder starting)"
if [ $asan -eq 1 ]; then
	tap_skip "client CPU per session" "sanitizer build"
else
	tap_check "$(awk -v p="$per" 'BEGIN { exit !(p > 0 && p < 10) }' && echo 0 || echo 1)" \
	    "client CPU per session $per ms (< 10 ms)"
fi

tap_done
