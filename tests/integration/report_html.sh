#!/bin/sh
# report_html.sh: the HTML reports as a browser shows them.  Headless
# Chromium (Debian `chromium`) renders `report coverage` and `report
# lifecycle` of the scanned test fleet with the example entitlement files:
# the screenshot is a real PNG of the page with the status colours of the
# charts in it, and the DOM Chromium built (--dump-dom, after the page's
# script ran) carries every table and every chart bar of the JSON of the
# same report.  The page fetches nothing: its Content-Security-Policy is
# default-src 'none'.
IB_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$IB_ROOT/tests/lib/tap.sh"
. "$IB_ROOT/tests/lib/agents.sh"
CHECK="python3 $IB_ROOT/tests/lib/report_check.py"
EX=$IB_ROOT/examples/entitlement
tap_need_built "$IBAGENT"
if ! why=$(ib_have_tools); then tap_skip_all "$why"; fi
CHROME=$(command -v chromium || command -v chromium-browser)
[ -n "$CHROME" ] || tap_skip_all "chromium absent (apt-get install chromium)"
ib_init
W=$IB_WORK
DB=$W/ib.sqlite
ib() { "$IBAGENT" --db "$DB" "$@"; }
chrome() {
	timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic \
	    --no-first-run --disable-background-networking --disable-component-update \
	    --disable-sync --user-data-dir="$(mktemp -d "$W/chrome.XXXXXX")" "$@" 2>>"$W/chrome.err"
}

ib_start_snmprec ex "$IB_ROOT/tests/data/snmprec/ex4300-vc8.snmprec"; P1=$IB_PORT
ib_start_snmprec srx "$IB_ROOT/tests/data/snmprec/srx345-cluster.snmprec"; P2=$IB_PORT
ib scan --community public 127.0.0.1:$P1 127.0.0.1:$P2 >/dev/null 2>&1 || tap_fail "scan"
for k in hw-lifecycle sw-lifecycle cpo warranty registrations contracts; do
	ib import "$k" "$EX/$k.csv" >/dev/null 2>&1 || tap_fail "import $k"
done

for k in coverage lifecycle; do
	ib report $k --as-of 2026-12-01 --format html >"$W/$k.html" &&
	    ib report $k --as-of 2026-12-01 --format json >"$W/$k.json"
	tap_check $? "report $k html and json"
	if grep -Eq '(src|href)="(https?:)?//' "$W/$k.html"; then
		tap_fail "$k.html: no network fetch"
	else
		tap_ok "$k.html: no network fetch"
	fi
	(cd "$W" && chrome --screenshot="$W/$k.png" --window-size=1280,2000 "file://$W/$k.html" >/dev/null)
	out=$(python3 - "$W/$k.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, t = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if t == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), "PNG type %d/%d" % (depth, ctype)
        bpp = 3 if ctype == 2 else 4
    elif t == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
colours = set()
i = 0
for y in range(h):
    f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    for x in range(0, stride, bpp * 4):
        colours.add(bytes(line[x:x + 3]))
want = {"green": b"\x2e\x9e\x44", "red": b"\xc0\x1c\x28", "grey": b"\x5e\x5c\x64"}
found = [k for k, v in want.items() if v in colours]
print("%dx%d %d colours %s" % (w, h, len(colours), ",".join(sorted(found))))
PY
)
	diag "$k.png: $out"
	case "$k:$out" in
	coverage:*green,grey,red*) tap_ok "$k.png: a real image with the status colours of the charts" ;;
	lifecycle:*grey,red*) tap_ok "$k.png: a real image with the milestone colours" ;;
	*) tap_fail "$k.png: a real image with the chart colours" ;;
	esac
	chrome --dump-dom "file://$W/$k.html" >"$W/$k.dom"
	if $CHECK dom $k "$W/$k.json" "$W/$k.dom" >"$W/chk" 2>&1 && grep -q 'bars checked: [1-9]' "$W/chk"; then
		tap_ok "$k: the rendered tables and chart bars equal the JSON ($(grep bars "$W/chk"))"
	else
		tap_fail "$k: the rendered tables and chart bars equal the JSON"; diag "$(head -5 "$W/chk")"
	fi
done
[ -n "$IB_KEEP_PNG" ] && cp "$W"/*.png "$IB_KEEP_PNG"/
tap_done
