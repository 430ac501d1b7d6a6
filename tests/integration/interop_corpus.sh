#!/bin/sh
# interop_corpus.sh: serve EVERY walk in $IB_CORPUS/snmprec (one snmpd each),
# scan them all at once, and print per walk what ibagent extracted next to
# what LibreNMS expects (expected/DERIVED_librenms_snmprec_identity_summary.tsv
# and expected/*.json).  Fails on a model/serial/version mismatch unless
# tests/integration/expected_exceptions.tsv documents it; VC members are
# checked against the walk's own jnxVirtualChassisMemberTable, component
# serials against LibreNMS' entity-physical rows where the json has them.
# A walk added to the corpus is picked up automatically; it then needs a
# LibreNMS expectation or a row in expected_exceptions.tsv.
IB_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$IB_ROOT/tests/lib/tap.sh"
. "$IB_ROOT/tests/lib/agents.sh"
. "$IB_ROOT/tests/lib/inventory.sh"

why=$(ib_have_tools) || tap_skip_all "$why"
why=$(ib_have_corpus) || tap_skip_all "$why"
if ! why=$(ib_have_ibagent); then
	tap_fail "$why"
	tap_done
	exit 1
fi
ib_init
W=$IB_CORPUS/snmprec
DB=$IB_WORK/interop.sqlite

walks=
for f in "$W"/*.snmprec; do
	[ -f "$f" ] || continue
	n=$(basename "$f" .snmprec)
	walks="$walks $n"
	IB_NOWAIT=1 ib_start_snmprec "$n" "$f"
done
[ -n "$walks" ] || tap_skip_all "no .snmprec files in $W"
ib_wait_all
tap_check $? "$(echo $walks | wc -w) agents, one per walk in $W"

: >"$IB_WORK/targets"
for n in $walks; do
	echo "127.0.0.1:$(ib_port "$n")" >>"$IB_WORK/targets"
done
ib_scan scan "$DB" --community public --timeout 1000 --retries 1 \
    --max-inflight 16 "@$IB_WORK/targets"
tap_is "$SCAN_RC" 0 "one scan of every walk exits 0"
ib_inventory inv "$DB"
tap_check $? "inventory --format json is valid"

# show VALUE: '-' for empty
show() {
	if [ -n "$1" ]; then printf '%s' "$1"; else printf '%s' -; fi
}

for n in $walks; do
	a=127.0.0.1:$(ib_port "$n")
	diag ""
	diag "$n.snmprec ($a): status $(show "$(inv_dev "$a" status)"), os $(show "$(inv_dev "$a" os)")"
	for field in model serial version; do
		ib_expect "$n.snmprec" $field
		diag "  $(printf '%-8s' $field) ibagent $(show "$(inv_dev "$a" $field)")    LibreNMS $(show "$EXP_RAW")$([ "$EXP_SRC" = exception ] && echo "    exception: $EXP_WHY")"
	done
	tap_is "$(inv_dev "$a" status)" ok "$n: status ok"
	for field in model serial version; do
		ib_expect_check "$a" "$n.snmprec" $field "$n"
	done

	# VC members: ibagent's member items vs the walk's member table
	ib_walk_members "$W/$n.snmprec" >"$IB_WORK/$n.members"
	inv_items "$a" member >"$IB_WORK/$n.imembers"
	if [ -s "$IB_WORK/$n.members" ] || [ -s "$IB_WORK/$n.imembers" ]; then
		diag "  members  ibagent $(awk -F '\t' '{ printf "%s%s=%s(%s,%s)", c, $2, $3, $12, $11; c = " " }' "$IB_WORK/$n.imembers")"
		diag "           walk    $(awk -F '\t' '{ printf "%smember %s=%s(%s,role %s)", c, $1, $2, $3, $4; c = " " }' "$IB_WORK/$n.members")"
		tap_is "$(wc -l <"$IB_WORK/$n.imembers")" "$(wc -l <"$IB_WORK/$n.members")" \
		    "$n: one member item per jnxVirtualChassisMemberEntry"
		while IFS='	' read -r id serial version role; do
			tap_is "$(inv_count "$a" member serial "$serial")" 1 \
			    "$n: VC member $id serial $serial"
		done <"$IB_WORK/$n.members"
	fi

	# component serials LibreNMS found (entity-physical), where it says
	json=$IB_CORPUS/expected/$n.json
	[ -f "$json" ] || continue
	python3 "$IB_LIB/ibjson" librenms-entity "$json" >"$IB_WORK/$n.lnms" || continue
	[ -s "$IB_WORK/$n.lnms" ] || continue
	diag "  items    ibagent $(inv_dev "$a" items) ($(inv_items "$a" | cut -f 1 | sort | uniq -c | awk '{ printf "%s%s %s", c, $1, $2; c = ", " }')), LibreNMS entity-physical rows $(wc -l <"$IB_WORK/$n.lnms")"
	cut -f 5 "$IB_WORK/$n.lnms" | sort -u >"$IB_WORK/$n.lserials"
	while read -r serial; do
		ib_serialized "$serial" || continue
		tap_is "$(inv_count "$a" "" serial "$serial")" 1 \
		    "$n: serial $serial from LibreNMS entity-physical is an item"
	done <"$IB_WORK/$n.lserials"
done
diag ""
tap_done
