#!/usr/bin/env python3
"""report_check.py: checks of `ibagent report` output for the tests.

  report_check.py same KIND JSON CSV HTML [CSVTABLE]
      the CSV table and every HTML table carry exactly the JSON's values
  report_check.py sums KIND JSON
      totals equal the sum of their rows
  report_check.py dom KIND JSON DOMFILE
      the figures of a page rendered by Chromium (--dump-dom): every
      table and every chart bar equal the JSON
Prints one line per failure and exits 1 if any.
"""
import csv
import html.parser
import json
import sys

MAIN = {"coverage": "items", "audit": "lines", "lifecycle": "models",
        "metrics": "metrics", "changes": "changes"}
fails = []


def fail(msg):
    fails.append(msg)
    print("FAIL: " + msg)


def norm(v):
    """One text form of a value in any format."""
    if v is None or v == "" or v == "-":
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(float(v))
    try:
        if v.lstrip("-").replace(".", "", 1).isdigit():
            return repr(float(v))
    except AttributeError:
        pass
    return str(v)


class Tables(html.parser.HTMLParser):
    """Tables by data-table, and chart bars (label, value) by data-table."""
    def __init__(self):
        super().__init__()
        self.tables, self.bars = {}, {}
        self.cur = None
        self.row = None
        self.cell = None
        self.head = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "data-table" in a:
            self.cur = a["data-table"]
            self.tables[self.cur] = {"keys": [], "rows": []}
        elif tag == "figure" and "data-table" in a:
            self.fig = a["data-table"]
            self.bars.setdefault(self.fig, [])
        elif tag == "g" and a.get("class") == "bar":
            self.bars[self.fig].append((a.get("data-label"),
                                        float(a.get("data-value"))))
        elif self.cur is not None:
            if tag == "th":
                self.tables[self.cur]["keys"].append(a.get("data-key"))
            elif tag == "tr":
                self.row = []
            elif tag == "td":
                self.cell = ""

    def handle_endtag(self, tag):
        if self.cur is None:
            return
        if tag == "td" and self.row is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.row:
                self.tables[self.cur]["rows"].append(self.row)
            self.row = None
        elif tag == "table":
            self.cur = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def json_tables(d):
    return {k: v for k, v in d.items() if isinstance(v, list) and k != "notes"}


def same(kind, jf, cf, hf, table=None):
    d = json.load(open(jf, encoding="utf-8"))
    tables = json_tables(d)
    t = table or MAIN[kind]
    with open(cf, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if not d.get("empty"):
        if t not in tables:
            fail("%s: no table %s in JSON" % (kind, t))
            return
        keys = list(tables[t][0].keys()) if tables[t] else rows[0]
        if rows[0] != keys:
            fail("%s: CSV header %s != JSON keys %s" % (kind, rows[0], keys))
        if len(rows) - 1 != len(tables[t]):
            fail("%s: CSV has %d rows, JSON %d" % (kind, len(rows) - 1,
                                                  len(tables[t])))
        for i, (c, j) in enumerate(zip(rows[1:], tables[t])):
            for k, cv in zip(keys, c):
                if cv.startswith("'") and str(j[k] or "").startswith(cv[1:2]):
                    cv = cv[1:]
                if norm(cv) != norm(j[k]):
                    fail("%s: CSV row %d %s: %r != JSON %r" %
                         (kind, i + 1, k, cv, j[k]))
    p = Tables()
    p.feed(open(hf, encoding="utf-8").read())
    check_html(kind, tables, p)


def check_html(kind, tables, p):
    for name, rows in tables.items():
        if name not in p.tables:
            fail("%s: HTML has no table %s" % (kind, name))
            continue
        h = p.tables[name]
        if len(h["rows"]) != len(rows):
            fail("%s: HTML %s has %d rows, JSON %d" %
                 (kind, name, len(h["rows"]), len(rows)))
            continue
        for i, (hr, jr) in enumerate(zip(h["rows"], rows)):
            for k, hv in zip(h["keys"], hr):
                if norm(hv) != norm(jr[k]):
                    fail("%s: HTML %s row %d %s: %r != JSON %r" %
                         (kind, name, i, k, hv, jr[k]))
    return p


def sums(kind, jf):
    d = json.load(open(jf, encoding="utf-8"))
    if d.get("empty"):
        return
    s = lambda t, k: sum((r[k] or 0) for r in d[t])
    if kind == "coverage":
        n = d["summary"][0]["items"]
        for t in ("totals", "by_site", "by_customer", "by_family"):
            if s(t, "items") != n:
                fail("coverage: sum of %s.items %s != %s" % (t, s(t, "items"), n))
        if len(d["items"]) != n:
            fail("coverage: %d item rows != %d" % (len(d["items"]), n))
        for t in ("by_site", "by_customer", "by_family"):
            for r in d[t]:
                parts = sum(r[k] for k in ("covered", "expiring", "warranty",
                            "lapsed", "uncovered", "unsupportable"))
                if parts != r["items"]:
                    fail("coverage: %s row %s: statuses %d != items %d" %
                         (t, r, parts, r["items"]))
        for r in d["totals"]:
            c = sum(1 for i in d["items"] if i["status"] == r["status"])
            if c != r["items"]:
                fail("coverage: %s: %d item rows != total %d" %
                     (r["status"], c, r["items"]))
        cov = sum(r["items"] for r in d["totals"]
                  if r["status"] in ("COVERED", "EXPIRING"))
        if cov != d["summary"][0]["covered"]:
            fail("coverage: covered %d != summary" % cov)
    elif kind == "audit":
        for r in d["totals"]:
            c = sum(1 for l in d["lines"] if l["action"] == r["action"])
            if c != r["lines"]:
                fail("audit: %s: %d rows != total %d" % (r["action"], c, r["lines"]))
        lines = sum(r["lines"] for r in d["totals"] if r["action"] != "ADD")
        if lines != d["summary"][0]["lines"]:
            fail("audit: lines %d != summary %d" % (lines, d["summary"][0]["lines"]))
        v = round(sum(r["value"] or 0 for r in d["totals"]), 2)
        if v != round(d["summary"][0]["value"], 2):
            fail("audit: value %s != summary %s" % (v, d["summary"][0]["value"]))
    elif kind == "lifecycle":
        if s("hardware", "items") != s("models", "items"):
            fail("lifecycle: hardware items != sum of models")
        if s("hardware", "models") != len(d["models"]):
            fail("lifecycle: hardware models != model rows")
    elif kind == "metrics":
        ren = [r for r in d["metrics"] if r["metric"] == "renewal_rate"]
        if ren and ren[0]["denominator"] != len(d["renewals"]):
            fail("metrics: renewal denominator != renewal rows")
        if ren and ren[0]["numerator"] != sum(1 for r in d["renewals"]
                                              if r["renewed"] == "yes"):
            fail("metrics: renewal numerator != renewed rows")
    elif kind == "changes":
        if s("summary", "events") != len(d["changes"]):
            fail("changes: summary events != change rows")


def dom(kind, jf, df):
    d = json.load(open(jf, encoding="utf-8"))
    tables = json_tables(d)
    p = Tables()
    p.feed(open(df, encoding="utf-8").read())
    check_html(kind, tables, p)
    nbars = 0
    for t, bars in p.bars.items():
        rows = tables.get(t, [])
        for label, value in bars:
            nbars += 1
            match = [r for r in rows if label in [str(x) for x in r.values()]]
            if not match:
                fail("%s: chart bar %r of %s is no row of the JSON" % (kind, label, t))
                continue
            nums = [x for x in match[0].values() if isinstance(x, (int, float))]
            if kind == "coverage" and t == "by_site":
                want = match[0]["items"]
            else:
                want = None
                for x in nums:
                    if abs(x - value) < 1e-9:
                        want = x
            if want is None or abs(want - value) > 1e-9:
                fail("%s: chart bar %r of %s shows %s, JSON %s" %
                     (kind, label, t, value, match[0]))
    print("bars checked: %d" % nbars)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "same":
        same(*sys.argv[2:])
    elif cmd == "sums":
        sums(*sys.argv[2:])
    elif cmd == "dom":
        dom(*sys.argv[2:])
    sys.exit(1 if fails else 0)
