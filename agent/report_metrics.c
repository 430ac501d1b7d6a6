/*
 * report_metrics.c: `report metrics --period P`, the partner metrics of
 * docs/domain.md (seed 001: 80% of eligible, by count and by value):
 *
 *   attach rate   covered serialized supportable items (COVERED or
 *                 EXPIRING, own or via chassis) / all serialized
 *                 supportable items (not UNSUPPORTABLE), as of --as-of.
 *                 By value: the price of the deciding line of covered
 *                 items / that of every supportable item with a priced
 *                 line (a LAPSED item's last line); items with no price
 *                 at all are left out of the value and counted apart.
 *   renewal rate  contract lines ending in the period that have a
 *                 successor line for the same serial (it ends later and
 *                 starts no later than 30 days after the end) / lines
 *                 ending in the period; by value, their prices.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/coverage.h"
#include "../db/select.h"
#include "report_int.h"

#define TARGET_PCT	80

static const struct rcol metric_cols[] = {
	{ "metric", "Metric", RC_STR },
	{ "basis", "Basis", RC_STR },
	{ "numerator", "Numerator", RC_NUM },
	{ "denominator", "Denominator", RC_NUM },
	{ "rate_pct", "Rate %", RC_NUM },
	{ "target_pct", "Target %", RC_NUM },
	{ "met", "Met", RC_STR },
};

static const struct rcol renewal_cols[] = {
	{ "contract_id", "Contract", RC_STR },
	{ "serial", "Serial", RC_STR },
	{ "sku", "SKU", RC_STR },
	{ "end_date", "Ends", RC_STR },
	{ "site", "Site", RC_STR },
	{ "customer", "Customer", RC_STR },
	{ "price", "Price", RC_NUM },
	{ "currency", "Currency", RC_STR },
	{ "renewed", "Renewed", RC_STR },
	{ "successor", "Successor", RC_STR },
	{ "successor_start", "Successor starts", RC_STR },
};

/*
 * ?1 ?2 the period, ?3 site, ?4 customer, ?5 device.  Serials are stored
 * normalised on both sides (import and scan), so equality is enough.
 */
static const char renewal_sql[] =
    "SELECT l.contract_id, l.serial, l.sku, l.end_date, l.site, "
    "  l.customer, l.price_cents, l.currency, s.contract_id, s.start_date "
    "FROM contracts l LEFT JOIN contracts s ON s.id = ("
    "  SELECT n.id FROM contracts n WHERE n.serial = l.serial "
    "  AND n.id <> l.id AND n.end_date > l.end_date "
    "  AND n.start_date <= date(l.end_date, '+30 days') "
    "  ORDER BY n.start_date, n.contract_id, n.id LIMIT 1) "
    "WHERE l.end_date BETWEEN ?1 AND ?2 "
    "AND (?3 IS NULL OR lower(trim(l.site)) = lower(trim(?3))) "
    "AND (?4 IS NULL OR lower(trim(l.customer)) = lower(trim(?4))) "
    "AND (?5 IS NULL OR EXISTS (SELECT 1 FROM items i JOIN devices d "
    "  ON d.id = i.device_id WHERE i.serial = l.serial "
    "  AND (lower(d.address) = lower(?5) OR d.address LIKE ?5 || ':%' "
    "  OR lower(d.hostname) = lower(?5) OR upper(d.serial) = upper(?5)))) "
    "ORDER BY l.end_date, l.contract_id, l.serial, l.id";

struct met {
	struct rtable	*t;
	int64_t		 supportable, covered, unpriced;
	int64_t		 v_supportable, v_covered;
	int64_t		 lines, renewed, v_lines, v_renewed;
	struct rcurrency cur;
};

static int
on_item(const struct cov_row *r, void *arg)
{
	struct met	*m = arg;
	int		 covered;

	if (r->v.status == ENT_UNSUPPORTABLE ||
	    r->v.status == ENT_STATUS_NONE)
		return (0);
	covered = r->v.status == ENT_COVERED || r->v.status == ENT_EXPIRING;
	m->supportable++;
	m->covered += covered;
	if (r->price_cents >= 0) {
		m->v_supportable += r->price_cents;
		if (covered)
			m->v_covered += r->price_cents;
		rcurrency_add(&m->cur, r->currency);
	} else
		m->unpriced++;
	return (0);
}

static int
on_line(int ncols, const char *const *v, void *arg)
{
	struct met	*m = arg;
	const char	*cells[11];
	char		 price[32];
	int64_t		 cents = -1;
	int		 renewed = v[8] != NULL;

	(void)ncols;
	m->lines++;
	m->renewed += renewed;
	if (v[6] != NULL) {
		cents = strtoll(v[6], NULL, 10);
		m->v_lines += cents;
		if (renewed)
			m->v_renewed += cents;
		rcurrency_add(&m->cur, v[7]);
	}
	rcell_money(price, sizeof(price), cents);
	memcpy(cells, v, 6 * sizeof(*cells));
	cells[6] = price;
	cells[7] = v[7];
	cells[8] = renewed ? "yes" : "no";
	cells[9] = v[8];
	cells[10] = v[9];
	return (rtable_row(m->t, cells) == -1 ? -1 : 0);
}

static int
metric_row(struct rtable *t, const char *metric, const char *basis,
    int64_t num, int64_t den, int money)
{
	const char	*cells[7];
	char		 n[4][32];

	if (money) {
		rcell_money(n[0], sizeof(n[0]), num);
		rcell_money(n[1], sizeof(n[1]), den);
	} else {
		rcell_int(n[0], sizeof(n[0]), num);
		rcell_int(n[1], sizeof(n[1]), den);
	}
	rcell_pct(n[2], sizeof(n[2]), num, den);
	rcell_int(n[3], sizeof(n[3]), TARGET_PCT);
	cells[0] = metric;
	cells[1] = basis;
	cells[2] = n[0];
	cells[3] = n[1];
	cells[4] = den > 0 ? n[2] : NULL;	/* no rate of nothing */
	cells[5] = n[3];
	cells[6] = den <= 0 ? NULL : num * 100 >= den * TARGET_PCT ? "yes" :
	    "no";
	return (rtable_row(t, cells));
}

int
report_metrics(struct db *db, const struct ropts *o, struct rdoc *doc,
    const char **csv_table, char *err, size_t errlen)
{
	struct cov_counts	 counts;
	struct cov_opts		 co;
	struct met		 m;
	struct rtable		*mt;
	const char		*p[5];
	char			 ps[ENT_DAY_ISO_LEN], pe[ENT_DAY_ISO_LEN];
	char			 pname[16];
	ent_day			 start = o->period_start, end = o->period_end;
	int			 y, mo, d, r, began = -1, rc = -1;

	memset(&m, 0, sizeof(m));
	*csv_table = "metrics";
	if (o->period == NULL) {
		/* This quarter, of as_of. */
		ent_day_to_ymd(o->as_of, &y, &mo, &d);
		ent_day_from_ymd(y, (mo - 1) / 3 * 3 + 1, 1, &start);
		end = ent_term_last_day(start, 3);
		snprintf(pname, sizeof(pname), "%04dQ%d", y, (mo - 1) / 3 + 1);
	} else
		snprintf(pname, sizeof(pname), "%s", o->period);
	rcell_day(ps, sizeof(ps), start);
	rcell_day(pe, sizeof(pe), end);
	if (rdoc_fact(doc, "period", pname) == -1 ||
	    rdoc_fact(doc, "period_start", ps) == -1 ||
	    rdoc_fact(doc, "period_end", pe) == -1)
		goto oom;
	if (db_coverage_counts(db, &counts, err, errlen) == -1)
		return (-1);
	if (counts.items == 0 && counts.contract_lines == 0) {
		rdoc_set_empty(doc);
		rdoc_note(doc, "the install base is empty and no contracts are "
		    "imported: there is nothing to measure");
		return (0);
	}
	if (counts.items == 0)
		rdoc_note(doc, "the install base is empty: no attach rate; run "
		    "'ibagent scan' first");
	if (counts.contract_lines == 0)
		rdoc_note(doc, "no contracts are imported: no attach or "
		    "renewal rate can be measured; run 'ibagent import "
		    "contracts FILE'");

	if ((mt = rdoc_table(doc, "metrics", "Metrics", metric_cols,
	    7)) == NULL ||
	    (m.t = rdoc_table(doc, "renewals", "Contract lines ending in the "
	    "period", renewal_cols, 11)) == NULL)
		goto oom;
	/* --window only moves items between COVERED and EXPIRING: alike here. */
	report_cov_opts(&co, o);
	if (counts.items > 0 && counts.contract_lines > 0 &&
	    (r = db_coverage(db, &co, on_item, &m, err, errlen)) != 0) {
		if (r != -1)
			snprintf(err, errlen, "coverage stopped");
		return (-1);
	}
	if ((began = db_read_begin(db, err, errlen)) == -1)
		return (-1);
	p[0] = ps;
	p[1] = pe;
	p[2] = o->site;
	p[3] = o->customer;
	p[4] = o->device;
	if (counts.contract_lines > 0 && db_select(db, renewal_sql, p, 5,
	    on_line, &m, err, errlen) != 0) {
		if (err[0] == '\0')
			snprintf(err, errlen, "spooling rows failed");
		goto done;
	}
	if (counts.items > 0 && counts.contract_lines > 0) {
		if (metric_row(mt, "attach_rate", "count", m.covered,
		    m.supportable, 0) == -1 ||
		    metric_row(mt, "attach_rate", "value", m.v_covered,
		    m.v_supportable, 1) == -1)
			goto oom;
		if (m.unpriced > 0)
			rdoc_note(doc, "%lld supportable items have no priced "
			    "contract line and are left out of the attach rate "
			    "by value", (long long)m.unpriced);
	}
	if (counts.contract_lines > 0) {
		if (metric_row(mt, "renewal_rate", "count", m.renewed,
		    m.lines, 0) == -1 ||
		    metric_row(mt, "renewal_rate", "value", m.v_renewed,
		    m.v_lines, 1) == -1)
			goto oom;
		if (m.lines == 0)
			rdoc_note(doc, "no contract line ends in %s: no renewal "
			    "rate", pname);
	}
	if (rcurrency_fact(doc, &m.cur) == -1)
		goto oom;
	rc = 0;
	goto done;
oom:
	snprintf(err, errlen, "out of memory or temporary space");
done:
	if (began == 0)
		db_read_end(db);
	return (rc);
}
