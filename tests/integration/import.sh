#!/bin/sh
# import.sh: `ibagent import KIND FILE` end to end on a file database.
# Every example of tests/data/import imports; the bad contracts file is
# refused with exactly its .expect error list and leaves the database
# byte-for-byte as it was (sqlite3 .dump before and after); --dry-run
# writes nothing; re-importing is a no-op; a newer export replaces its
# source's rows only; the corpus EOL tables import as they are.
IB_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$IB_ROOT/tests/lib/tap.sh"
IB_CORPUS=${IB_CORPUS:-$IB_ROOT/../shared/corpus}
IBAGENT=${IBAGENT:-$IB_ROOT/ibagent}
DATA=tests/data/import
tap_need_built "$IBAGENT"
command -v sqlite3 >/dev/null 2>&1 || tap_skip_all "sqlite3 CLI absent"
cd "$IB_ROOT" || exit 1
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
DB=$W/ib.sqlite
ib() { "$IBAGENT" --db "$DB" "$@"; }
dump() { sqlite3 "$DB" .dump; }

# Usage errors exit 2.
ib import >/dev/null 2>&1
tap_is $? 2 "import without KIND FILE: exit 2"
ib import nosuchkind "$DATA/example-cpo.csv" >/dev/null 2>"$W/err"
tap_is $? 2 "unknown KIND: exit 2"
ib import --date-format xx cpo "$DATA/example-cpo.csv" >/dev/null 2>&1
tap_is $? 2 "bad --date-format: exit 2"
ib import --map 'Foo=nosuchfield' cpo "$DATA/example-cpo.csv" >/dev/null 2>&1
tap_is $? 2 "bad --map: exit 2"
out=$(ib help import)
tap_like "$out" '^usage: ibagent \[--db PATH\] import' "help import"
out=$(ib import --help)
tap_like "$out" 'hw-lifecycle' "import --help"

# Every example file, each kind.
for k in contracts hw-lifecycle sw-lifecycle cpo warranty registrations; do
	f=$DATA/example-$k.csv
	out=$(ib import "$k" "$f" 2>"$W/err")
	rc=$?
	if [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q "^imported [0-9]* $k rows from $f (replaced 0 from the same source)$"; then
		tap_ok "import $k $f"
	else
		tap_fail "import $k $f (exit $rc)"
		diag "$out"; diag "$(cat "$W/err")"
	fi
done
tap_is "$(sqlite3 "$DB" 'SELECT count(*) FROM imports')" 6 "six imports recorded"
tap_is "$(sqlite3 "$DB" "SELECT price_cents FROM contracts WHERE serial = 'ZZ0000000001'")" 123450 "contract price stored in cents"
tap_is "$(sqlite3 "$DB" "SELECT first_release_date FROM sw_lifecycle WHERE train = '99.4'")" 2023-12-26 "DD/MM date stored as ISO"
ib import registrations "$DATA/example-registrations.csv" >/dev/null 2>"$W/err"
tap_like "$(cat "$W/err")" 'example-registrations\.csv:1: warning: column not imported: "Sales Order"' "unused column mentioned"

# Re-import: nothing changes, and it says so.
before=$(dump)
out=$(ib import contracts "$DATA/example-contracts.csv" 2>&1)
tap_check $? "re-import exits 0"
tap_like "$out" '^unchanged: 3 contracts rows from' "re-import says unchanged"
tap_is "$(dump)" "$before" "re-import: database byte-for-byte the same"

# The bad file: every error, exactly, and nothing written.
before=$(dump)
ib import contracts "$DATA/example-contracts-bad.csv" >"$W/out" 2>"$W/err"
tap_is $? 1 "bad contracts file: exit 1"
grep -E '^[^ ]+:[0-9]+: ' "$W/err" >"$W/errlines"
if cmp -s "$W/errlines" "$DATA/example-contracts-bad.expect"; then
	tap_ok "bad contracts file: exactly the expected error list"
else
	tap_fail "bad contracts file: exactly the expected error list"
	diag "$(diff "$DATA/example-contracts-bad.expect" "$W/errlines")"
fi
tap_like "$(tail -1 "$W/err")" 'example-contracts-bad\.csv: 6 errors, nothing imported$' "bad file: summary line"
tap_is "$(cat "$W/out")" "" "bad file: nothing on stdout"
tap_is "$(dump)" "$before" "bad file: database byte-for-byte unchanged"

# A newer export of one source replaces its rows, and only those.
cp "$DATA/example-warranty.csv" "$W/warranty.csv"
ib import warranty "$W/warranty.csv" >/dev/null 2>&1
printf 'Product Pattern,Warranty Months\nEXAMPLE-NEW-*,36\n' >"$W/warranty2.csv"
before=$(dump)
out=$(ib import --dry-run warranty "$W/warranty2.csv" 2>&1)
tap_check $? "--dry-run exits 0"
tap_like "$out" '^dry run: would import 1 warranty rows from .*\(replacing 0 from the same source\); nothing written$' "--dry-run reports what would change"
tap_is "$(dump)" "$before" "--dry-run: database byte-for-byte unchanged"
cp "$W/warranty2.csv" "$W/warranty.csv"
out=$(cd "$W" && "$IBAGENT" --db "$DB" import warranty ./warranty.csv 2>&1)
tap_is "$out" "imported 1 warranty rows from ./warranty.csv (replaced 3 from the same source)" "newer export replaces its source's rows (same file, other name)"
tap_is "$(sqlite3 "$DB" "SELECT count(*) FROM warranty_terms WHERE source = '$W/warranty.csv'")" 1 "the source now has the new rows only"
tap_is "$(sqlite3 "$DB" "SELECT count(*) FROM warranty_terms WHERE source LIKE '%/tests/data/import/example-warranty.csv'")" 3 "other sources' rows kept"

# A dry run validates like a real import.
ib import --dry-run contracts "$DATA/example-contracts-bad.csv" >/dev/null 2>&1
tap_is $? 1 "--dry-run of the bad file: exit 1"

# The corpus, read in place.
if [ -d "$IB_CORPUS/eol" ]; then
	for spec in sw-lifecycle:juniper_eol.csv:100 \
	    hw-lifecycle:junoscriptorium_eol-scanner_parts.csv:290; do
		k=${spec%%:*}; rest=${spec#*:}; f=${rest%%:*}; n=${rest#*:}
		out=$(ib import "$k" "$IB_CORPUS/eol/$f" 2>"$W/err")
		rc=$?
		tap_like "$rc $out" "^0 imported $n $k rows from " "corpus $f imports as $k ($n rows)"
		[ $rc -eq 0 ] || diag "$(cat "$W/err")"
	done
	tap_is "$(grep -c ': warning: ' "$W/err")" 3 "corpus parts file: three warnings"
	before=$(dump)
	ib import hw-lifecycle "$IB_CORPUS/eol/junoscriptorium_eol-scanner_parts.csv" >/dev/null 2>&1
	tap_is "$(dump)" "$before" "corpus re-import: unchanged"
	ib import --strict hw-lifecycle "$IB_CORPUS/eol/junoscriptorium_eol-scanner_parts.csv" >/dev/null 2>"$W/err"
	tap_is "$? $(grep -cE ':[0-9]+: ' "$W/err")" "1 3" "corpus parts file with --strict: refused, three errors"
	tap_is "$(dump)" "$before" "--strict refusal: database unchanged"
else
	tap_skip "corpus juniper_eol.csv as sw-lifecycle" "corpus absent"
	tap_skip "corpus junoscriptorium_eol-scanner_parts.csv as hw-lifecycle" "corpus absent"
fi
tap_done
