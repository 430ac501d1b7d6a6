/*
 * report_coverage.c: `report coverage`, the morning coverage report:
 * totals by status (count, share, value), by site, by customer and by
 * product family; what expires in the next 30/60/90 days and by month;
 * then every item with its verdict.  One pass over db_coverage()
 * (db/coverage.h): the item table is spooled by the format layer while
 * the totals are counted, and the totals print first.  Memory is the
 * groups (sites, customers, families), not the items.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/coverage.h"
#include "report_int.h"

/* Display order of the statuses, and their column in the group counts. */
static const int status_order[] = {
	ENT_COVERED, ENT_EXPIRING, ENT_WARRANTY, ENT_LAPSED, ENT_UNCOVERED,
	ENT_UNSUPPORTABLE
};
#define NSTATUS	6

static const struct rcol summary_cols[] = {
	{ "items", "Items", RC_NUM },
	{ "devices", "Devices", RC_NUM },
	{ "covered", "Covered", RC_NUM },
	{ "covered_pct", "Covered %", RC_NUM },
	{ "contract_lines", "Contract lines", RC_NUM },
};

static const struct rcol status_cols[] = {
	{ "status", "Status", RC_STR },
	{ "items", "Items", RC_NUM },
	{ "share_pct", "Share %", RC_NUM },
	{ "value", "Value", RC_NUM },
};

/* by_site, by_customer, by_family: the same columns after the first. */
#define GROUP_COLS(key, title) {					\
	{ key, title, RC_STR },						\
	{ "items", "Items", RC_NUM },					\
	{ "covered", "Covered", RC_NUM },				\
	{ "expiring", "Expiring", RC_NUM },				\
	{ "warranty", "Warranty", RC_NUM },				\
	{ "lapsed", "Lapsed", RC_NUM },					\
	{ "uncovered", "Uncovered", RC_NUM },				\
	{ "unsupportable", "Unsupportable", RC_NUM },			\
	{ "covered_pct", "Covered %", RC_NUM },				\
}
static const struct rcol site_cols[] = GROUP_COLS("site", "Site");
static const struct rcol customer_cols[] = GROUP_COLS("customer", "Customer");
static const struct rcol family_cols[] = GROUP_COLS("family",
    "Product family");

static const struct rcol expiry_cols[] = {
	{ "days", "Expires in (days)", RC_STR },
	{ "items", "Items", RC_NUM },
	{ "value", "Value", RC_NUM },
};

static const struct rcol month_cols[] = {
	{ "month", "Month", RC_STR },
	{ "items", "Items", RC_NUM },
	{ "value", "Value", RC_NUM },
};

static const struct rcol item_cols[] = {
	{ "address", "Address", RC_STR },
	{ "hostname", "Hostname", RC_STR },
	{ "site", "Site", RC_STR },
	{ "customer", "Customer", RC_STR },
	{ "kind", "Kind", RC_STR },
	{ "item", "Item", RC_STR },
	{ "serial", "Serial", RC_STR },
	{ "model", "Model", RC_STR },
	{ "part_number", "Part", RC_STR },
	{ "status", "Status", RC_STR },
	{ "via_chassis", "Via chassis", RC_STR },
	{ "flags", "Flags", RC_STR },
	{ "contract_id", "Contract", RC_STR },
	{ "service_level", "Level", RC_STR },
	{ "covered_until", "Covered until", RC_STR },
	{ "days_left", "Days left", RC_NUM },
	{ "warranty_end", "Warranty end", RC_STR },
	{ "eos", "End of Support", RC_STR },
	{ "version", "Junos", RC_STR },
	{ "price", "Price", RC_NUM },
	{ "currency", "Currency", RC_STR },
	{ "evidence", "Evidence", RC_STR },
};
#define NITEMCOLS	(sizeof(item_cols) / sizeof(item_cols[0]))

#define NMONTHS	12

struct cov_rep {
	const struct ropts	*o;
	struct rtable		*items;
	int64_t			 n, devices, last_device;
	int64_t			 st[NSTATUS], st_value[NSTATUS];
	struct rgroups		 sites, customers, families;
	int64_t			 exp_n[3], exp_value[3];
	int64_t			 mon_n[NMONTHS], mon_value[NMONTHS];
	int			 y0, m0;		/* as_of's month */
	int			 oom;
};

static const char *const kind_names[] = { "chassis", "member", "component" };

static int
status_col(int status)
{
	int	i;

	for (i = 0; i < NSTATUS; i++)
		if (status_order[i] == status)
			return (i);
	return (-1);
}

/* "EX4300-48T" -> "EX4300": the model up to its first '-'. */
static void
family_of(const char *model, char *buf, size_t len)
{
	size_t	n;

	if (model == NULL || *model == '\0') {
		buf[0] = '\0';
		return;
	}
	n = strcspn(model, "-");
	if (n == 0)
		n = strlen(model);
	snprintf(buf, len, "%.*s", (int)n, model);
}

static int
count_group(struct rgroups *g, const char *name, int col, int64_t price)
{
	struct rgroup	*e;

	if ((e = rgroups_get(g, name)) == NULL)
		return (-1);
	e->n[col]++;
	if (price > 0)
		e->value += price;
	return (0);
}

static int
on_row(const struct cov_row *r, void *arg)
{
	struct cov_rep		*c = arg;
	const struct ent_verdict *v = &r->v;
	const char		*cells[NITEMCOLS];
	char			 flags[256], until[16], left[16], wend[16];
	char			 eos[16], price[32], fam[64];
	int			 col, y, m, d, mi;

	if ((col = status_col(v->status)) == -1)
		return (0);
	c->n++;
	if (r->device_id != c->last_device) {
		c->devices++;
		c->last_device = r->device_id;
	}
	c->st[col]++;
	if (r->price_cents > 0)
		c->st_value[col] += r->price_cents;
	family_of(r->model != NULL ? r->model : r->device_model, fam,
	    sizeof(fam));
	if (count_group(&c->sites, r->site, col, r->price_cents) == -1 ||
	    count_group(&c->customers, r->customer, col,
	    r->price_cents) == -1 ||
	    count_group(&c->families, fam[0] != '\0' ? fam : NULL, col,
	    r->price_cents) == -1) {
		c->oom = 1;
		return (-1);
	}
	/* Expiring coverage: fixed 30/60/90 buckets and the months ahead. */
	if ((v->status == ENT_COVERED || v->status == ENT_EXPIRING) &&
	    v->covered_until != ENT_DAY_NONE && v->days_left >= 0) {
		int b = v->days_left <= 30 ? 0 : v->days_left <= 60 ? 1 :
		    v->days_left <= 90 ? 2 : -1;

		if (b >= 0) {
			c->exp_n[b]++;
			if (r->price_cents > 0)
				c->exp_value[b] += r->price_cents;
		}
		if (ent_day_to_ymd(v->covered_until, &y, &m, &d) == 0) {
			mi = (y - c->y0) * 12 + (m - c->m0);
			if (mi >= 0 && mi < NMONTHS) {
				c->mon_n[mi]++;
				if (r->price_cents > 0)
					c->mon_value[mi] += r->price_cents;
			}
		}
	}

	ent_flags_format(v->flags, flags, sizeof(flags));
	rcell_day(until, sizeof(until), v->covered_until);
	if (v->days_left >= 0)
		rcell_int(left, sizeof(left), v->days_left);
	else
		left[0] = '\0';
	rcell_day(wend, sizeof(wend), v->warranty_end);
	rcell_day(eos, sizeof(eos), r->hw != NULL ? r->hw->eos :
	    ENT_DAY_NONE);
	rcell_money(price, sizeof(price), r->price_cents);
	cells[0] = r->address;
	cells[1] = r->hostname;
	cells[2] = r->site;
	cells[3] = r->customer;
	cells[4] = r->kind >= 0 && r->kind <= 2 ? kind_names[r->kind] : NULL;
	cells[5] = r->item_name;
	cells[6] = r->serial;
	cells[7] = r->model;
	cells[8] = r->part_number;
	cells[9] = ent_status_str(v->status);
	cells[10] = v->via_chassis;
	cells[11] = flags;
	cells[12] = v->contract_id;
	cells[13] = v->service_level;
	cells[14] = until;
	cells[15] = left;
	cells[16] = wend;
	cells[17] = eos;
	cells[18] = r->version;
	cells[19] = price;
	cells[20] = r->price_cents >= 0 ? r->currency : NULL;
	cells[21] = v->status_src;
	if (rtable_row(c->items, cells) == -1) {
		c->oom = 1;
		return (-1);
	}
	return (0);
}

/* One row of a by_site/by_customer/by_family table. */
static int
group_row(struct rtable *t, const struct rgroup *g)
{
	const char	*cells[9];
	char		 num[8][32];
	int64_t		 total = 0;
	int		 i;

	for (i = 0; i < NSTATUS; i++)
		total += g->n[i];
	cells[0] = g->name;
	rcell_int(num[0], sizeof(num[0]), total);
	cells[1] = num[0];
	for (i = 0; i < NSTATUS; i++) {
		rcell_int(num[i + 1], sizeof(num[i + 1]), g->n[i]);
		cells[2 + i] = num[i + 1];
	}
	rcell_pct(num[7], sizeof(num[7]), g->n[0] + g->n[1], total);
	cells[8] = num[7];
	return (rtable_row(t, cells));
}

static int
group_table(struct rdoc *doc, const char *id, const char *title,
    const struct rcol *cols, struct rgroups *g)
{
	struct rtable	*t;
	size_t		 i;

	if ((t = rdoc_table(doc, id, title, cols, 9)) == NULL)
		return (-1);
	rgroups_sort(g);
	for (i = 0; i < g->n; i++)
		if (group_row(t, &g->v[i]) == -1)
			return (-1);
	return (0);
}

static const char *const stack_colors[] = {
	"#2e9e44", "#e5a50a", "#3584e4", "#c64600", "#c01c28", "#5e5c64"
};

static int
add_charts(struct rdoc *doc)
{
	struct rchart	c;
	int		i;

	memset(&c, 0, sizeof(c));
	c.type = RCHART_HBAR;
	c.title = "Items by coverage status";
	c.table = "totals";
	c.label_col = 0;
	c.value_cols[0] = 1;
	c.nseries = 1;
	c.by_label = report_status_colors;
	if (rdoc_chart(doc, &c) == -1)
		return (-1);
	memset(&c, 0, sizeof(c));
	c.type = RCHART_HBAR;
	c.title = "Coverage by site";
	c.table = "by_site";
	c.label_col = 0;
	for (i = 0; i < NSTATUS; i++) {
		c.value_cols[i] = 2 + i;
		c.colors[i] = stack_colors[i];
	}
	c.nseries = NSTATUS;
	if (rdoc_chart(doc, &c) == -1)
		return (-1);
	memset(&c, 0, sizeof(c));
	c.type = RCHART_VBAR;
	c.title = "Coverage ending, by month";
	c.table = "expiry_by_month";
	c.label_col = 0;
	c.value_cols[0] = 1;
	c.nseries = 1;
	c.colors[0] = "#e5a50a";
	return (rdoc_chart(doc, &c));
}

int
report_coverage(struct db *db, const struct ropts *o, struct rdoc *doc,
    const char **csv_table, char *err, size_t errlen)
{
	static const char *const buckets[] = { "0-30", "31-60", "61-90" };
	struct cov_counts	 counts;
	struct cov_opts		 co;
	struct cov_rep		 c;
	struct rtable		*sum, *tot, *exp, *mon;
	const char		*cells[5];
	char			 num[5][32];
	int			 i, d, rc = -1;

	memset(&c, 0, sizeof(c));
	c.o = o;
	c.last_device = -1;
	*csv_table = "items";
	if ((i = report_counts(db, doc, &counts, err, errlen)) != 0)
		return (i == 1 ? 0 : -1);
	if (counts.contract_lines == 0)
		rdoc_note(doc, "no contracts are imported, so no item can be "
		    "COVERED: the statuses below are not a coverage result; "
		    "run 'ibagent import contracts FILE' first");
	if (counts.hw_rows == 0)
		rdoc_note(doc, "no hardware lifecycle data is imported: End of "
		    "Support is unknown for every item (nothing can show as "
		    "UNSUPPORTABLE)");
	if (ent_day_to_ymd(o->as_of, &c.y0, &c.m0, &d) == -1) {
		snprintf(err, errlen, "bad as-of date");
		return (-1);
	}

	report_cov_opts(&co, o);

	/* Made first so they render first; filled after the pass. */
	if ((sum = rdoc_table(doc, "summary", "Summary", summary_cols,
	    5)) == NULL ||
	    (tot = rdoc_table(doc, "totals", "Totals by status", status_cols,
	    4)) == NULL ||
	    (exp = rdoc_table(doc, "expiring", "Coverage ending in the next "
	    "90 days", expiry_cols, 3)) == NULL ||
	    (mon = rdoc_table(doc, "expiry_by_month", "Coverage ending, by "
	    "month (next 12 months)", month_cols, 3)) == NULL)
		goto oom;
	if ((c.items = rdoc_table(doc, "items", "Items", item_cols,
	    NITEMCOLS)) == NULL)
		goto oom;
	if ((i = db_coverage(db, &co, on_row, &c, err, errlen)) != 0) {
		if (c.oom)
			goto oom;
		if (i != -1)
			snprintf(err, errlen, "coverage stopped");
		goto done;
	}
	if (c.n == 0)
		rdoc_note(doc, "no item matches the filters (site, customer, "
		    "device)");

	rcell_int(num[0], sizeof(num[0]), c.n);
	rcell_int(num[1], sizeof(num[1]), c.devices);
	rcell_int(num[2], sizeof(num[2]), c.st[0] + c.st[1]);
	rcell_pct(num[3], sizeof(num[3]), c.st[0] + c.st[1], c.n);
	rcell_int(num[4], sizeof(num[4]), counts.contract_lines);
	for (i = 0; i < 5; i++)
		cells[i] = num[i];
	if (rtable_row(sum, cells) == -1)
		goto oom;
	for (i = 0; i < NSTATUS; i++) {
		cells[0] = ent_status_str(status_order[i]);
		rcell_int(num[1], sizeof(num[1]), c.st[i]);
		rcell_pct(num[2], sizeof(num[2]), c.st[i], c.n);
		rcell_money(num[3], sizeof(num[3]), c.st_value[i]);
		cells[1] = num[1];
		cells[2] = num[2];
		cells[3] = num[3];
		if (rtable_row(tot, cells) == -1)
			goto oom;
	}
	for (i = 0; i < 3; i++) {
		cells[0] = buckets[i];
		rcell_int(num[1], sizeof(num[1]), c.exp_n[i]);
		rcell_money(num[2], sizeof(num[2]), c.exp_value[i]);
		cells[1] = num[1];
		cells[2] = num[2];
		if (rtable_row(exp, cells) == -1)
			goto oom;
	}
	for (i = 0; i < NMONTHS; i++) {
		int y = c.y0 + (c.m0 - 1 + i) / 12, m = (c.m0 - 1 + i) % 12 + 1;

		snprintf(num[0], sizeof(num[0]), "%04d-%02d", y, m);
		rcell_int(num[1], sizeof(num[1]), c.mon_n[i]);
		rcell_money(num[2], sizeof(num[2]), c.mon_value[i]);
		cells[0] = num[0];
		cells[1] = num[1];
		cells[2] = num[2];
		if (rtable_row(mon, cells) == -1)
			goto oom;
	}
	if (group_table(doc, "by_site", "By site", site_cols,
	    &c.sites) == -1 ||
	    group_table(doc, "by_customer", "By customer", customer_cols,
	    &c.customers) == -1 ||
	    group_table(doc, "by_family", "By product family", family_cols,
	    &c.families) == -1)
		goto oom;
	/* The group tables needed the pass; the items still come last. */
	rtable_to_end(c.items);
	if (add_charts(doc) == -1)
		goto oom;
	rc = 0;
	goto done;
oom:
	snprintf(err, errlen, "out of memory or temporary space");
done:
	rgroups_clear(&c.sites);
	rgroups_clear(&c.customers);
	rgroups_clear(&c.families);
	return (rc);
}
