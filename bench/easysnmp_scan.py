#!/usr/bin/python3
# bench/easysnmp_scan.py TARGETS [COMMUNITY]: the easysnmp peer of
# bench/snmp_cpu.sh.  For each "host:port" line of TARGETS, sequentially,
# the requests ibagent makes of a Junos device: one GET of the seven
# system OIDs, then a GETBULK walk of the columns ibagent reads of
# jnxContentsTable and jnxVirtualChassisMemberTable (hrSWInstalledName
# when sysDescr carries no version).  Debian's python3-easysnmp (net-snmp's
# C library underneath).  Prints "ok N values V" on stdout: devices whose
# system GET answered, and table values read.  The caller measures CPU (user+sys) and wall time.
import re
import sys

from easysnmp import Session

SYSTEM = ["1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.3.0",
          "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.6.0",
          "1.3.6.1.4.1.2636.3.1.2.0", "1.3.6.1.4.1.2636.3.1.3.0"]
CONTENTS = "1.3.6.1.4.1.2636.3.1.8.1."
VC = "1.3.6.1.4.1.2636.3.40.1.4.1.1.1."
TABLES = [[CONTENTS + str(c) for c in (6, 7, 8, 10, 11, 12, 13, 14)],
          [VC + str(c) for c in (2, 3, 5, 8)]]
HRSW = ["1.3.6.1.2.1.25.6.3.1.2"]


def walk(s, cols):
    # ibagent's walk: one GETBULK for all the columns still in their
    # table, about 64 values a request, until every column has left it.
    cur = list(cols)
    active = list(range(len(cols)))
    n = 0
    while active:
        res = s.get_bulk([cur[i] for i in active], 0,
                         max(1, 64 // len(active)))
        if not res:
            break
        left = set(active)
        for k, v in enumerate(res):
            i = active[k % len(active)]
            if i not in left:
                continue
            oid = v.oid.lstrip(".")
            if v.oid_index:
                oid += "." + v.oid_index
            if v.snmp_type == "ENDOFMIBVIEW" or \
                    not oid.startswith(cols[i] + "."):
                left.discard(i)
                continue
            cur[i] = oid
            n += 1
        active = [i for i in active if i in left]
    return n


def main():
    community = sys.argv[2] if len(sys.argv) > 2 else "public"
    ok = vals = 0
    with open(sys.argv[1]) as f:
        targets = [t.strip() for t in f if t.strip()]
    for t in targets:
        host, port = t.rsplit(":", 1)
        s = Session(hostname=host, remote_port=int(port), version=2,
                    community=community, timeout=2, retries=1,
                    use_numeric=True)
        try:
            sysvals = s.get(SYSTEM)
        except Exception:
            continue
        ok += 1
        try:
            for cols in TABLES:
                vals += walk(s, cols)
            descr = sysvals[0].value or ""
            if not re.search(r"JUNOS\s+\d", descr, re.I):
                vals += walk(s, HRSW)
        except Exception:
            pass
    print("ok %d values %d" % (ok, vals))


main()
