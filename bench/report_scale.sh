#!/bin/sh
# bench/report_scale.sh [N]: `ibagent report coverage --format csv` over
# the synthetic install base of bench/coverage_scale.sh (N serialized
# items and N contract lines, default 1000000, and N/10 for the RSS
# ratio).  It reuses that script whole: ibagent is called through a
# wrapper that turns `coverage ARGS` into `report coverage ARGS`, so both
# benchmarks measure the same databases.  Prints seconds, items/s and
# peak RSS for each size and the RSS ratio (flat memory: close to 1).
#   IBAGENT   the binary (default ./ibagent)
#   FORMAT    csv (default), json, text or html
set -u
IB_ROOT=$(cd "$(dirname "$0")/.." && pwd)
IBAGENT=${IBAGENT:-$IB_ROOT/ibagent}
[ -x "$IBAGENT" ] || { echo "bench: $IBAGENT not built" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/ibrep.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT
cat >"$W/ibagent" <<WRAP
#!/bin/sh
# --db DB coverage ARGS -> --db DB report coverage ARGS
if [ "\$1" = --db ] && [ "\$3" = coverage ]; then
	db=\$2; shift 3
	exec "$IBAGENT" --db "\$db" report coverage "\$@"
fi
exec "$IBAGENT" "\$@"
WRAP
chmod 755 "$W/ibagent"
IBAGENT=$W/ibagent sh "$IB_ROOT/bench/coverage_scale.sh" "$@" |
    sed 's/^coverage /report coverage /'
