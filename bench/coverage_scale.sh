#!/bin/sh
# bench/coverage_scale.sh [N]: `ibagent coverage` over a synthetic install
# base of N serialized items (default 1000000) and N contract lines, and
# over N/10 for comparison.  The database is built with the sqlite3 CLI
# (recursive CTEs) on a schema made by ibagent itself: devices of 10
# items (a chassis and 9 components, so inheritance runs), one contract
# line per item with dates spread over the as-of day (every status; the
# lines of every tenth item name a serial never seen, a ghost), 300
# hw-lifecycle rows with wildcards, 20 Junos trains, a registration for
# every third item.  Prints, for each size: elapsed seconds, items/s and
# peak RSS (/usr/bin/time -v), then the RSS ratio: flat memory means the
# peak at N is about the peak at N/10.  Not part of `make check`.
#   IBAGENT   the binary (default ./ibagent)
#   FORMAT    csv (default) or json
set -u
IB_ROOT=$(cd "$(dirname "$0")/.." && pwd)
IBAGENT=${IBAGENT:-$IB_ROOT/ibagent}
N=${1:-1000000}
FORMAT=${FORMAT:-csv}
for t in sqlite3 /usr/bin/time; do
	command -v "$t" >/dev/null 2>&1 || { echo "bench: $t absent" >&2; exit 1; }
done
[ -x "$IBAGENT" ] || { echo "bench: $IBAGENT not built" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/ibcov.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT
[ -n "${KEEP:-}" ] && trap - EXIT

# build DB N: the synthetic install base of N items.
build() {
	"$IBAGENT" --db "$1" coverage --as-of 2026-12-01 --format csv \
	    --output /dev/null 2>/dev/null || return 1
	sqlite3 "$1" >/dev/null <<EOF
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
INSERT INTO scans (id, started, finished, argv) VALUES
    (1, '2026-11-22T10:00:00Z', '2026-11-22T10:10:00Z', 'bench');
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i + 1 < $2 / 10)
INSERT INTO devices (id, address, sort_key, hostname, model, serial,
    version, os, location, first_seen, last_seen, last_scan, last_status)
SELECT i + 1, printf('10.%d.%d.%d:161', i / 65536, (i / 256) % 256, i % 256),
    CAST(printf('%010d', i) AS BLOB),
    printf('sw%07d', i), 'EX4300-48T', printf('C%08d', i * 10),
    printf('%d.%dR3-S1.1', 18 + i % 6, 1 + (i % 4)), 'junos',
    printf('site %d', i % 500), '2026-11-22T10:00:00Z',
    '2026-11-22T10:00:00Z', 1, 'ok'
FROM n;
INSERT INTO scan_results (id, scan_id, device_id, time, status)
    VALUES (1, 1, 1, '2026-11-22T10:00:00Z', 'ok');
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i + 1 < ($2 / 10) * 10)
INSERT INTO items (id, device_id, kind, name, serial, serialized,
    part_number, model, parent_id, sources, first_seen, last_seen,
    first_scan, last_scan, last_result)
SELECT i + 1, i / 10 + 1, CASE WHEN i % 10 = 0 THEN 'chassis'
    ELSE 'component' END,
    CASE WHEN i % 10 = 0 THEN 'Chassis' ELSE printf('FPC %d', i % 10) END,
    CASE WHEN i % 10 = 0 THEN printf('C%08d', i) ELSE printf('S%08d', i) END,
    1, printf('750-%06d', i % 997),
    CASE WHEN i % 10 = 0 THEN 'EX4300-48T' ELSE printf('MOD-%d', i % 300) END,
    CASE WHEN i % 10 = 0 THEN NULL ELSE i - i % 10 + 1 END,
    'snmp', '2026-11-22T10:00:00Z', '2026-11-22T10:00:00Z', 1, 1, 1
FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i + 1 < ($2 / 10) * 10)
INSERT INTO contracts (source, line, contract_id, serial, level,
    start_date, end_date, site, customer, price_cents, currency)
SELECT '/bench/contracts.csv', i + 2, printf('K%07d', i / 7),
    CASE WHEN i % 10 = 0 THEN printf('C%08d', i) WHEN i % 10 = 5 THEN
    printf('Z%08d', i) ELSE printf('S%08d', i) END,
    CASE i % 3 WHEN 0 THEN 'Core' WHEN 1 THEN 'Next Day' ELSE 'Same Day' END,
    date('2025-01-01', printf('+%d days', i % 700)),
    date('2025-01-01', printf('+%d days', i % 700 + 365)),
    printf('site %d', (i / 10) % 500), printf('customer %d', i % 97),
    10000 + i % 5000, 'EUR'
FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i + 1 < ($2 / 10) * 10)
INSERT INTO registrations (source, line, serial, ship_date, site)
SELECT '/bench/reg.csv', i / 3 + 2,
    CASE WHEN i % 10 = 0 THEN printf('C%08d', i) ELSE printf('S%08d', i) END,
    date('2024-01-01', printf('+%d days', i % 1000)),
    printf('site %d', (i / 10) % 500)
FROM n WHERE i % 3 = 0;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 299)
INSERT INTO hw_lifecycle (source, line, models, parts, announce_date,
    last_order_date, convert_by_date, eos_date)
SELECT '/bench/hw.csv', i + 2, printf('MOD-%d*;X%d', i, i),
    printf('740-%06d', i), '2024-01-01', '2026-06-30', '2026-12-31',
    date('2026-06-01', printf('+%d days', i * 3))
FROM n;
INSERT INTO hw_lifecycle (source, line, models, eos_date)
    VALUES ('/bench/hw.csv', 400, 'EX4300-*', '2028-01-31');
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 19)
INSERT INTO sw_lifecycle (source, line, train, eoe_date, eos_date)
SELECT '/bench/sw.csv', i + 2, printf('%d.%d', 18 + i / 4, 1 + i % 4),
    date('2024-01-01', printf('+%d days', i * 60)),
    date('2025-01-01', printf('+%d days', i * 60))
FROM n;
INSERT INTO warranty_terms (source, line, pattern, months)
    VALUES ('/bench/w.csv', 2, 'EX4300-*', 12), ('/bench/w.csv', 3,
    'MOD-*', 60);
COMMIT;
ANALYZE;
EOF
}

# run DB N: prints "seconds items/s rss_kb"
run() {
	/usr/bin/time -v "$IBAGENT" --db "$1" coverage --as-of 2026-12-01 \
	    --format "$FORMAT" --output /dev/null 2>"$W/time.txt" ||
	    { cat "$W/time.txt" >&2; return 1; }
	awk -v n="$2" '
	    /Elapsed \(wall clock\)/ { t = $NF; k = split(t, a, ":");
		s = 0; for (j = 1; j <= k; j++) s = s * 60 + a[j] }
	    /Maximum resident set size/ { rss = $NF }
	    END { printf "%.2f %.0f %d\n", s, (s > 0 ? n / s : 0), rss }' \
	    "$W/time.txt"
}

small=$((N / 10))
for size in $small $N; do
	db=$W/cov$size.sqlite
	t0=$(date +%s)
	build "$db" "$size" || { echo "bench: building $size failed" >&2; exit 1; }
	t1=$(date +%s)
	rows=$(sqlite3 "$db" "SELECT count(*) FROM items; SELECT count(*) FROM contracts" | tr '\n' ' ')
	set -- $(run "$db" "$size") || exit 1
	printf 'coverage %-8s items+lines %s(built in %ds): %6.2f s, %8s items/s, peak RSS %6d KiB\n' \
	    "$size" "$rows" $((t1 - t0)) "$1" "$2" "$3"
	eval "rss_$size=$3"
	[ -n "${KEEP:-}" ] || rm -f "$db"
done
eval "a=\$rss_$small b=\$rss_$N"
awk -v a="$a" -v b="$b" -v s="$small" -v n="$N" 'BEGIN {
    printf "peak RSS at %d / at %d: %.2f (flat memory: close to 1)\n", n, s, b / a }'
