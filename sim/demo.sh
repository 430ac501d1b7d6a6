#!/bin/sh
# sim/demo.sh: the README's first command (`make demo`).  Starts a small
# fleet of real net-snmp agents on 127.0.0.1, each serving one Juniper
# walk (the project's own hand-written profiles in tests/data/snmprec and,
# when ../shared/corpus is present, every real walk in it), plus a device
# that never answers and a port with no agent.  Scans them all in one run,
# prints the install base, and stops every agent it started.
#
# Environment: IBAGENT (binary, default ./ibagent), DEMO_DB (database,
# default ./demo.sqlite, replaced on each run), IB_CORPUS.
set -u
IB_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$IB_ROOT/tests/lib/agents.sh"

DEMO_DB=${DEMO_DB:-$PWD/demo.sqlite}
if ! ib_have_tools >/dev/null; then
	echo "demo: $(ib_have_tools); run 'make deps' first" >&2
	exit 1
fi
[ -x "$IBAGENT" ] || { echo "demo: $IBAGENT not built; run 'make'" >&2; exit 1; }
ib_init
targets=$IB_WORK/targets.txt
: >"$targets"
n=0
for f in "$IB_ROOT"/tests/data/snmprec/*.snmprec; do
	name=$(basename "$f" .snmprec)
	ib_start_snmprec "$name" "$f" && echo "127.0.0.1:$IB_PORT   # $name" >>"$targets" &&
	    n=$((n + 1))
done
if ib_have_corpus >/dev/null; then
	for f in "$IB_CORPUS"/snmprec/*.snmprec; do
		name=$(basename "$f" .snmprec)
		ib_start_snmprec "$name" "$f" &&
		    echo "127.0.0.1:$IB_PORT   # $name (corpus)" >>"$targets" &&
		    n=$((n + 1))
	done
else
	echo "demo: $(ib_have_corpus); serving only the project's own profiles" >&2
fi
ib_start_silent dead && echo "127.0.0.1:$IB_PORT   # never answers" >>"$targets"
ib_closed_port closed && echo "127.0.0.1:$IB_PORT   # no agent" >>"$targets"
ib_wait_all || { echo "demo: agents did not come up" >&2; exit 1; }

echo "== $n simulated devices on 127.0.0.1, plus a silent one and a closed port"
cat "$targets"
rm -f "$DEMO_DB" "$DEMO_DB-wal" "$DEMO_DB-shm"
echo "== ibagent --db $DEMO_DB scan --community public --timeout 500 @targets.txt"
"$IBAGENT" --db "$DEMO_DB" scan --community public --timeout 500 --retries 1 \
    @"$targets" || exit 1
echo "== ibagent --db $DEMO_DB inventory"
"$IBAGENT" --db "$DEMO_DB" inventory || exit 1
echo "== done: the database stays in $DEMO_DB (try: ibagent --db $DEMO_DB inventory --format json)"
