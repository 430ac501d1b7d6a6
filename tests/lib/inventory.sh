# tests/lib/inventory.sh: run ibagent, read its JSON inventory, read walks
# and expectations.  POSIX sh, sourced after agents.sh and tap.sh.
#
#   ib_scan NAME DB ARGS...      ibagent --db DB scan ARGS; sets SCAN_RC,
#                                SCAN_SECS; output in $IB_WORK/NAME.{out,err}
#   ib_inventory NAME DB         inventory --format json -> $IB_WORK/NAME.json,
#                                flattened (tests/lib/ibjson) into INV
#   inv_dev ADDR FIELD           a device field from INV
#   inv_items ADDR [KIND]        item lines: kind name serial serialized
#                                part_number model description parent_serial
#                                sources source_ref role version (tab-sep.)
#   inv_count ADDR KIND [FIELD VALUE]  number of such items
#   ib_walk_* FILE               facts read straight from a .snmprec
#   ib_expect SNMPREC FIELD      what ibagent must report (EXP_VALUE...)

IB_SCAN_TIMEOUT=${IB_SCAN_TIMEOUT:-300}
IB_EXCEPTIONS=$IB_ROOT/tests/integration/expected_exceptions.tsv
IB_IDENTITY=$IB_CORPUS/expected/DERIVED_librenms_snmprec_identity_summary.tsv
INV=

# ib_have_ibagent: 0 if $IBAGENT is executable, else says so.
ib_have_ibagent() {
	[ -x "$IBAGENT" ] && return 0
	echo "ibagent not found at $IBAGENT (run make, or set IBAGENT)"
	return 1
}

ib_scan() {
	_sn=$1
	_sdb=$2
	shift 2
	_t0=$(date +%s)
	timeout "$IB_SCAN_TIMEOUT" "$IBAGENT" --db "$_sdb" scan "$@" \
	    >"$IB_WORK/$_sn.out" 2>"$IB_WORK/$_sn.err"
	SCAN_RC=$?
	SCAN_SECS=$(($(date +%s) - _t0))
	[ $SCAN_RC -eq 124 ] && diag "$_sn: ibagent killed after ${IB_SCAN_TIMEOUT}s"
	if [ $SCAN_RC -ne 0 ] && [ -s "$IB_WORK/$_sn.err" ]; then
		diag "$_sn: exit $SCAN_RC, stderr:"
		tail -5 "$IB_WORK/$_sn.err" | sed 's/^/#   /'
	fi
	return 0
}

ib_inventory() {
	INV=$IB_WORK/$1.flat
	: >"$INV"
	timeout "$IB_SCAN_TIMEOUT" "$IBAGENT" --db "$2" inventory --format json \
	    >"$IB_WORK/$1.json" 2>"$IB_WORK/$1.inv.err"
	_irc=$?
	if [ $_irc -ne 0 ]; then
		diag "$1: inventory exit $_irc, stderr:"
		tail -5 "$IB_WORK/$1.inv.err" | sed 's/^/#   /'
		return 1
	fi
	python3 "$IB_LIB/ibjson" flat "$IB_WORK/$1.json" >"$INV"
	_irc=$?
	grep '^E' "$INV" | head -5 | sed 's/^E./#   /'
	return $_irc
}

inv_dev() {
	awk -F '\t' -v a="$1" -v f="$2" '
	    $1 == "D" && $2 == a && $3 == f { print $4; found = 1; exit }
	    END { exit !found }' "$INV"
}

inv_items() {
	awk -F '\t' -v a="$1" -v k="${2:-}" '
	    BEGIN { OFS = "\t" }
	    $1 == "I" && $2 == a && (k == "" || $4 == k) {
		$1 = $2 = $3 = ""; sub(/^\t\t\t/, ""); print }' "$INV"
}

# inv_count ADDR KIND [FIELD VALUE]: FIELD is an item key; serials and part
# numbers compare case-insensitively, the rest exactly.
inv_count() {
	awk -F '\t' -v a="$1" -v k="$2" -v f="${3:-}" -v v="${4:-}" '
	    BEGIN {
		split("kind name serial serialized part_number model description parent_serial sources source_ref role version", n, " ")
		for (i in n) col[n[i]] = i + 3
		if (f != "" && !(f in col)) { print "inv_count: no field " f > "/dev/stderr"; exit 2 }
		ci = (f == "serial" || f == "part_number" || f == "parent_serial")
	    }
	    $1 == "I" && $2 == a && (k == "" || $4 == k) {
		if (f == "") { c++; next }
		x = $col[f]; y = v
		if (ci) { x = toupper(x); y = toupper(y) }
		if (x == y) c++
	    }
	    END { print c + 0 }' "$INV"
}

# --- facts read straight from a walk ------------------------------------

# ib_walk_get FILE OID: the value column of OID.
ib_walk_get() {
	awk -F '|' -v o="$2" '{ sub(/^\./, "", $1) } $1 == o {
	    sub(/^[^|]*\|[^|]*\|/, ""); print; exit }' "$1"
}

# ib_walk_members FILE: "id serial version role" per jnxVirtualChassisMemberEntry.
ib_walk_members() {
	awk -F '|' '
	    { oid = $1; sub(/^\./, "", oid) }
	    index(oid, "1.3.6.1.4.1.2636.3.40.1.4.1.1.1.") == 1 {
		n = split(oid, a, ".")
		if (n != 16) next
		c = a[15]; id = a[16]
		v = $0; sub(/^[^|]*\|[^|]*\|/, "", v)
		if (!(id in seen)) { seen[id] = 1; ids[++m] = id }
		val[id, c] = v
	    }
	    END { for (i = 1; i <= m; i++) { id = ids[i]
		printf "%s\t%s\t%s\t%s\n", id, val[id, 2], val[id, 5], val[id, 3] } }' "$1"
}

# ib_walk_contents FILE: "descr serial part" per jnxContentsEntry with a part number.
ib_walk_contents() {
	awk -F '|' '
	    { oid = $1; sub(/^\./, "", oid) }
	    index(oid, "1.3.6.1.4.1.2636.3.1.8.1.") == 1 {
		n = split(oid, a, ".")
		c = a[12]; idx = a[13] "." a[14] "." a[15] "." a[16]
		v = $0; sub(/^[^|]*\|[^|]*\|/, "", v)
		if (!(idx in seen)) { seen[idx] = 1; ids[++m] = idx }
		val[idx, c] = v
	    }
	    END { for (i = 1; i <= m; i++) { x = ids[i]
		if (val[x, 10] != "")
			printf "%s\t%s\t%s\n", val[x, 6], val[x, 7], val[x, 10] } }' "$1"
}

# ib_walk_entity FILE: "index descr serial model" per entPhysicalEntry.
ib_walk_entity() {
	awk -F '|' '
	    { oid = $1; sub(/^\./, "", oid) }
	    index(oid, "1.3.6.1.2.1.47.1.1.1.1.") == 1 {
		n = split(oid, a, ".")
		if (n != 13) next
		c = a[12]; idx = a[13]
		v = $0; sub(/^[^|]*\|[^|]*\|/, "", v)
		if (!(idx in seen)) { seen[idx] = 1; ids[++m] = idx }
		val[idx, c] = v
	    }
	    END { for (i = 1; i <= m; i++) { x = ids[i]
		printf "%s\t%s\t%s\t%s\n", x, val[x, 2], val[x, 11], val[x, 13] } }' "$1"
}

# ib_serialized SERIAL: 0 if SERIAL identifies an item (not empty or a
# placeholder such as BUILTIN, Default, N/A, NONE, all zeros).
ib_serialized() {
	case $(printf '%s' "$1" | tr '[:lower:]' '[:upper:]' | sed 's/^ *//; s/ *$//') in
	"" | BUILTIN | DEFAULT | N/A | NA | NONE | NULL | "<PRIVATE>") return 1 ;;
	*[!0]*) return 0 ;;
	*) return 1 ;;
	esac
}

# --- expectations -----------------------------------------------------------

# ib_expect SNMPREC FIELD (model|serial|version|os): sets
#   EXP_VALUE  what ibagent must report ("" = nothing)
#   EXP_SRC    librenms | exception | derived | missing
#   EXP_RAW    LibreNMS' own value ("" when it has none)
#   EXP_WHY    the reason of an exception, or why none is usable
ib_expect() {
	EXP_VALUE=
	EXP_SRC=missing
	EXP_RAW=
	EXP_WHY=
	_ex=$(awk -F '\t' -v s="$1" -v f="$2" '
	    /^#/ { next } $1 == s && $2 == f { print $3 "\t" $4; exit }' \
	    "$IB_EXCEPTIONS")
	_row=$(awk -F '\t' -v s="$1" '$1 == s { print; exit }' "$IB_IDENTITY")
	case $2 in
	version) EXP_RAW=$(printf '%s' "$_row" | cut -f 9) ;;
	model) EXP_RAW=$(printf '%s' "$_row" | cut -f 10) ;;
	serial) EXP_RAW=$(printf '%s' "$_row" | cut -f 11) ;;
	os)
		_d=$(printf '%s' "$_row" | cut -f 2)
		EXP_SRC=derived
		EXP_WHY="from the walk's sysDescr"
		case $_d in
		*JUNOS*-EVO* | *junos*-evo*) EXP_VALUE=evo ;;
		*JUNOS* | *Junos* | *junos*) EXP_VALUE=junos ;;
		*) EXP_VALUE=other ;;
		esac
		;;
	esac
	if [ -n "$_ex" ]; then
		EXP_VALUE=$(printf '%s' "$_ex" | cut -f 1)
		[ "$EXP_VALUE" = - ] && EXP_VALUE=
		EXP_WHY=$(printf '%s' "$_ex" | cut -f 2)
		EXP_SRC=exception
		return 0
	fi
	[ "$2" = os ] && return 0
	if [ -z "$EXP_RAW" ]; then
		EXP_WHY="no LibreNMS expectation and no row in expected_exceptions.tsv"
		return 0
	fi
	EXP_SRC=librenms
	[ "$EXP_RAW" = None ] && return 0
	EXP_VALUE=$EXP_RAW
	if [ "$2" = model ]; then
		EXP_VALUE=${EXP_VALUE#Juniper }
		case $EXP_VALUE in
		*" "*)
			EXP_SRC=missing
			EXP_WHY="LibreNMS hardware '$EXP_RAW' is not a model word; document it in expected_exceptions.tsv"
			EXP_VALUE=
			;;
		esac
	fi
	return 0
}

# ib_os_matches OS CLASS: does ibagent's os string OS mean CLASS (junos,
# evo, other)?
ib_os_matches() {
	case $2 in
	junos) printf '%s' "$1" | grep -Eqx 'junos' ;;
	evo) printf '%s' "$1" | grep -Eqix 'junos[-_ ]?evo(lved)?|evo' ;;
	other) printf '%s' "$1" | grep -Eqx 'other' ;;
	*) return 1 ;;
	esac
}

# ib_expect_check ADDR SNMPREC FIELD LABEL: compare one identity field with
# ib_expect and print the TAP line.
ib_expect_check() {
	ib_expect "$2" "$3"
	_got=$(inv_dev "$1" "$3")
	case $EXP_SRC in
	missing)
		tap_fail "$4: $3 has no usable expectation ($EXP_WHY); ibagent says '$_got'"
		return
		;;
	esac
	if [ "$3" = os ]; then
		if ib_os_matches "$_got" "$EXP_VALUE"; then
			tap_ok "$4: os '$_got' is $EXP_VALUE"
		else
			tap_fail "$4: os '$_got' is $EXP_VALUE"
		fi
		return
	fi
	_g=$_got
	_e=$EXP_VALUE
	if [ "$3" = serial ]; then
		_g=$(printf '%s' "$_g" | tr '[:lower:]' '[:upper:]')
		_e=$(printf '%s' "$_e" | tr '[:lower:]' '[:upper:]')
	fi
	_note="LibreNMS"
	if [ "$EXP_SRC" = exception ]; then
		if [ -n "$EXP_RAW" ]; then
			_note="documented exception, LibreNMS '$EXP_RAW'"
		else
			_note="documented: no LibreNMS expectation"
		fi
	fi
	if [ "x$_g" = "x$_e" ]; then
		tap_ok "$4: $3 '$_got' ($_note)"
	else
		tap_fail "$4: $3 '$_got', expected '$EXP_VALUE' ($_note)"
		[ "$EXP_SRC" = exception ] && diag "  exception: $EXP_WHY"
	fi
}
