/*
 * report_audit.c: `report audit --contract ID | --ending-before DATE`,
 * the pre-renewal audit of docs/domain.md.  Each contract line gets one
 * action, the first that applies:
 *
 *   REVIEW_REPLACED     the serial was replaced at its address (a
 *                       'replaced' event, likely RMA): move the line to
 *                       the new serial;
 *   DROP_UNSUPPORTABLE  End of Support (of the seen model or part, else
 *                       the line's SKU) falls before or during the new
 *                       term (the day after the line ends, --term months);
 *   DROP_NOT_FOUND      not seen in any scan for --ghost-days days (or
 *                       never): paying for a ghost;
 *   REVIEW_SITE         the line's install site is not where it was seen;
 *   KEEP                otherwise.
 *
 * Then ADD: items seen at the audited lines' customers or sites (their
 * install sites and where their serials were seen) that no active
 * contract covers (WARRANTY, LAPSED, UNCOVERED; never UNSUPPORTABLE).
 * Totals by action, by count and by value; the suggested co-term date is
 * the latest end among the lines to renew (KEEP and REVIEW_*).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../db/coverage.h"
#include "../db/select.h"
#include "report_int.h"

enum { A_KEEP = 0, A_NOTFOUND, A_UNSUPP, A_SITE, A_REPLACED, A_ADD, A_N };

static const char *const action_names[A_N] = {
	"KEEP", "DROP_NOT_FOUND", "DROP_UNSUPPORTABLE", "REVIEW_SITE",
	"REVIEW_REPLACED", "ADD"
};

static const char *const action_colors[] = {
	"KEEP", "#2e9e44", "DROP_NOT_FOUND", "#c01c28", "DROP_UNSUPPORTABLE",
	"#5e5c64", "REVIEW_SITE", "#e5a50a", "REVIEW_REPLACED", "#e66100",
	"ADD", "#3584e4", NULL
};

static const struct rcol total_cols[] = {
	{ "action", "Action", RC_STR },
	{ "lines", "Lines", RC_NUM },
	{ "value", "Value", RC_NUM },
};

static const struct rcol summary_cols[] = {
	{ "contracts", "Contracts", RC_NUM },
	{ "lines", "Lines", RC_NUM },
	{ "value", "Value", RC_NUM },
	{ "renew_value", "Value to renew", RC_NUM },
	{ "co_term_date", "Suggested co-term date", RC_STR },
	{ "term_end", "New term ends", RC_STR },
};

static const struct rcol line_cols[] = {
	{ "action", "Action", RC_STR },
	{ "contract_id", "Contract", RC_STR },
	{ "serial", "Serial", RC_STR },
	{ "sku", "SKU", RC_STR },
	{ "service_level", "Level", RC_STR },
	{ "start_date", "Start", RC_STR },
	{ "end_date", "End", RC_STR },
	{ "site", "Install site", RC_STR },
	{ "seen_site", "Seen at", RC_STR },
	{ "customer", "Customer", RC_STR },
	{ "last_seen", "Last seen", RC_STR },
	{ "address", "Address", RC_STR },
	{ "eos", "End of Support", RC_STR },
	{ "new_serial", "New serial", RC_STR },
	{ "price", "Price", RC_NUM },
	{ "currency", "Currency", RC_STR },
	{ "reason", "Reason", RC_STR },
};
#define NLINECOLS	(sizeof(line_cols) / sizeof(line_cols[0]))

/*
 * ?1 contract id, ?2 ending before, ?3 as_of, ?4 site, ?5 customer,
 * ?6 device.  For each line: where its serial was last seen, its model
 * and part there, and the serial that replaced it, if any.
 */
static const char lines_sql[] =
    "SELECT l.contract_id, l.serial, l.sku, l.level, l.start_date, "
    "  l.end_date, l.site, l.customer, l.price_cents, l.currency, "
    "  i.last_seen, i.model, i.part_number, d.location, d.address, "
    "  (SELECT e.new_value FROM events e WHERE e.kind = 'replaced' "
    "   AND e.old_value = l.serial ORDER BY e.id DESC LIMIT 1) "
    "FROM contracts l "
    "LEFT JOIN items i ON i.id = (SELECT x.id FROM items x "
    "  WHERE x.serial = l.serial ORDER BY x.last_seen DESC, x.id DESC "
    "  LIMIT 1) "
    "LEFT JOIN devices d ON d.id = i.device_id "
    "WHERE ((?1 IS NOT NULL AND l.contract_id = ?1) OR (?2 IS NOT NULL "
    "  AND l.contract_id IN (SELECT contract_id FROM contracts "
    "  GROUP BY contract_id HAVING max(end_date) BETWEEN ?3 AND ?2))) "
    "AND (?4 IS NULL OR lower(trim(l.site)) = lower(trim(?4)) "
    "  OR lower(trim(d.location)) = lower(trim(?4))) "
    "AND (?5 IS NULL OR lower(trim(l.customer)) = lower(trim(?5))) "
    "AND (?6 IS NULL OR lower(d.address) = lower(?6) "
    "  OR d.address LIKE ?6 || ':%' OR lower(d.hostname) = lower(?6) "
    "  OR upper(d.serial) = upper(?6)) "
    "ORDER BY l.contract_id, l.serial, l.id";

static const char hw_sql[] =
    "SELECT models, parts, announce_date, last_order_date, eos_date, "
    "  replacement, source, line FROM hw_lifecycle ORDER BY id";

struct hwrow {
	struct ent_hw_lifecycle	 h;
	char			*pattern;
};

struct audit {
	const struct ropts	*o;
	struct rtable		*t;
	struct hwrow		*hw;
	struct ent_hw_lifecycle	*hwv;
	size_t			 nhw;
	int64_t			 n[A_N], value[A_N];
	struct rgroups		 contracts, serials, sites, customers;
	ent_day			 co_term;
	struct rcurrency	 cur;
	int			 oom;
};

static int
on_hw(int ncols, const char *const *v, void *arg)
{
	struct audit	*a = arg;
	struct hwrow	*nv, *r;
	size_t		 len;

	(void)ncols;
	if ((nv = reallocarray(a->hw, a->nhw + 1, sizeof(*nv))) == NULL)
		return (-1);
	a->hw = nv;
	r = &a->hw[a->nhw];
	memset(r, 0, sizeof(*r));
	len = (v[0] ? strlen(v[0]) : 0) + (v[1] ? strlen(v[1]) : 0) + 2;
	if ((r->pattern = malloc(len)) == NULL)
		return (-1);
	snprintf(r->pattern, len, "%s%s%s", v[0] ? v[0] : "",
	    v[0] && v[1] ? ";" : "", v[1] ? v[1] : "");
	r->h.eol_announce = r->h.last_order = r->h.eos = ENT_DAY_NONE;
	r->h.last_convert = r->h.same_day_disc = r->h.next_day_disc =
	    ENT_DAY_NONE;
	if (v[2] != NULL)
		ent_day_parse(v[2], &r->h.eol_announce);
	if (v[3] != NULL)
		ent_day_parse(v[3], &r->h.last_order);
	if (v[4] != NULL)
		ent_day_parse(v[4], &r->h.eos);
	a->nhw++;
	return (0);
}

/* Equal ignoring case and runs of blanks (as SITE_MISMATCH, D10). */
static int
site_eq(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ' || *a == '\t')
			a++;
		while (*b == ' ' || *b == '\t')
			b++;
		if (*a == '\0' || *b == '\0')
			return (*a == *b);
		while (*a != '\0' && *a != ' ' && *a != '\t' &&
		    tolower((unsigned char)*a) == tolower((unsigned char)*b)) {
			a++;
			b++;
		}
		if ((*a == ' ' || *a == '\t' || *a == '\0') &&
		    (*b == ' ' || *b == '\t' || *b == '\0'))
			continue;
		return (0);
	}
}

static int
remember(struct rgroups *g, const char *s)
{
	if (s == NULL || *s == '\0')
		return (0);
	return (rgroups_get(g, s) == NULL ? -1 : 0);
}

static int
on_line(int ncols, const char *const *v, void *arg)
{
	struct audit			*a = arg;
	const struct ent_hw_lifecycle	*hw;
	const char			*cells[NLINECOLS];
	char				 reason[256], eos[ENT_DAY_ISO_LEN];
	char				 price[32], term_end_s[ENT_DAY_ISO_LEN];
	char				 seen[ENT_DAY_ISO_LEN];
	ent_day				 end = ENT_DAY_NONE, last = ENT_DAY_NONE;
	ent_day				 term_end;
	int64_t				 cents = -1;
	int				 act;

	(void)ncols;
	if (v[5] != NULL)
		ent_day_parse(v[5], &end);
	if (v[10] != NULL) {
		snprintf(seen, sizeof(seen), "%.10s", v[10]);
		ent_day_parse(seen, &last);
	}
	hw = NULL;
	if (v[11] != NULL || v[12] != NULL)
		hw = ent_hw_match(v[11], v[12], a->hwv, a->nhw);
	if (hw == NULL && v[2] != NULL)
		hw = ent_hw_match(v[2], NULL, a->hwv, a->nhw);
	rcell_day(eos, sizeof(eos), hw != NULL ? hw->eos : ENT_DAY_NONE);
	term_end = end != ENT_DAY_NONE ?
	    ent_term_last_day(end + 1, a->o->term_months) : ENT_DAY_NONE;
	rcell_day(term_end_s, sizeof(term_end_s), term_end);

	if (v[15] != NULL) {
		act = A_REPLACED;
		snprintf(reason, sizeof(reason), "replaced by %s: move the "
		    "line to the new serial", v[15]);
	} else if (hw != NULL && hw->eos != ENT_DAY_NONE &&
	    term_end != ENT_DAY_NONE && hw->eos <= term_end) {
		act = A_UNSUPP;
		snprintf(reason, sizeof(reason), "End of Support %s is before "
		    "the new term ends (%s)", eos, term_end_s);
	} else if (last == ENT_DAY_NONE) {
		act = A_NOTFOUND;
		snprintf(reason, sizeof(reason), "never seen in a scan");
	} else if (a->o->as_of - last > a->o->ghost_days) {
		act = A_NOTFOUND;
		snprintf(reason, sizeof(reason), "not seen for %d days (since "
		    "%s)", (int)(a->o->as_of - last), seen);
	} else if (v[6] != NULL && v[13] != NULL && !site_eq(v[6], v[13])) {
		act = A_SITE;
		snprintf(reason, sizeof(reason), "seen at another site than "
		    "the install site");
	} else {
		act = A_KEEP;
		snprintf(reason, sizeof(reason), "seen %s, supportable through "
		    "%s", seen, term_end_s);
	}
	if (v[8] != NULL) {
		cents = strtoll(v[8], NULL, 10);
		a->value[act] += cents;
		rcurrency_add(&a->cur, v[9]);
	}
	a->n[act]++;
	if ((act == A_KEEP || act == A_SITE || act == A_REPLACED) &&
	    end != ENT_DAY_NONE &&
	    (a->co_term == ENT_DAY_NONE || end > a->co_term))
		a->co_term = end;
	if (remember(&a->contracts, v[0]) == -1 ||
	    remember(&a->serials, v[1]) == -1 ||
	    remember(&a->sites, v[6]) == -1 ||
	    remember(&a->sites, v[13]) == -1 ||
	    remember(&a->customers, v[7]) == -1)
		return (-1);
	rcell_money(price, sizeof(price), cents);
	cells[0] = action_names[act];
	memcpy(cells + 1, v, 7 * sizeof(*cells));	/* id .. site */
	cells[8] = v[13];
	cells[9] = v[7];
	cells[10] = v[10];
	cells[11] = v[14];
	cells[12] = eos;
	cells[13] = v[15];
	cells[14] = price;
	cells[15] = cents >= 0 ? v[9] : NULL;
	cells[16] = reason;
	return (rtable_row(a->t, cells) == -1 ? -1 : 0);
}

static int
in_set(struct rgroups *g, const char *s, int sites)
{
	size_t	i;

	if (s == NULL || *s == '\0')
		return (0);
	for (i = 0; i < g->n; i++)
		if (sites ? site_eq(g->v[i].name, s) :
		    strcasecmp(g->v[i].name, s) == 0)
			return (1);
	return (0);
}

static int
on_item(const struct cov_row *r, void *arg)
{
	struct audit	*a = arg;
	const char	*cells[NLINECOLS];
	char		 seen[ENT_DAY_ISO_LEN], reason[128];
	int		 st = r->v.status;

	if (r->gone || (st != ENT_WARRANTY && st != ENT_LAPSED &&
	    st != ENT_UNCOVERED))
		return (0);
	if (!in_set(&a->sites, r->site, 1) &&
	    !in_set(&a->customers, r->customer, 0))
		return (0);
	if (in_set(&a->serials, r->serial, 0))
		return (0);
	a->n[A_ADD]++;
	snprintf(seen, sizeof(seen), "%.10s", r->last_seen != NULL ?
	    r->last_seen : "");
	snprintf(reason, sizeof(reason), "%s, on no active contract",
	    ent_status_str(st));
	memset(cells, 0, sizeof(cells));
	cells[0] = action_names[A_ADD];
	cells[2] = r->serial;
	cells[3] = r->model;
	cells[8] = r->site;
	cells[9] = r->customer;
	cells[10] = r->last_seen;
	cells[11] = r->address;
	cells[16] = reason;
	return (rtable_row(a->t, cells) == -1 ? -1 : 0);
}

int
report_audit(struct db *db, const struct ropts *o, struct rdoc *doc,
    const char **csv_table, char *err, size_t errlen)
{
	struct audit	 a;
	struct cov_opts	 co;
	struct rtable	*sum, *tot;
	struct rchart	 ch;
	const char	*p[6], *cells[6];
	char		 n[6][32];
	int64_t		 lines = 0, value = 0;
	size_t		 i;
	int		 r, began = -1, rc = -1;

	memset(&a, 0, sizeof(a));
	a.o = o;
	a.co_term = ENT_DAY_NONE;
	*csv_table = "lines";
	if (rdoc_fact(doc, "contract", o->contract) == -1 ||
	    rdoc_fact(doc, "ending_before", o->contract == NULL ?
	    o->ending_before_s : NULL) == -1)
		goto oom;
	snprintf(n[0], sizeof(n[0]), "%d", o->term_months);
	snprintf(n[1], sizeof(n[1]), "%d", o->ghost_days);
	if (rdoc_fact(doc, "term_months", n[0]) == -1 ||
	    rdoc_fact(doc, "ghost_days", n[1]) == -1)
		goto oom;
	if ((began = db_read_begin(db, err, errlen)) == -1)
		return (-1);
	if ((r = db_select(db, hw_sql, NULL, 0, on_hw, &a, err, errlen)) != 0) {
		if (r != -1 || err[0] == '\0')
			goto oom;
		goto done;
	}
	if (a.nhw > 0 && (a.hwv = calloc(a.nhw, sizeof(*a.hwv))) == NULL)
		goto oom;
	for (i = 0; i < a.nhw; i++) {
		a.hwv[i] = a.hw[i].h;
		a.hwv[i].pattern = a.hw[i].pattern;
	}
	if ((sum = rdoc_table(doc, "summary", "Summary", summary_cols,
	    6)) == NULL ||
	    (tot = rdoc_table(doc, "totals", "Totals by action", total_cols,
	    3)) == NULL ||
	    (a.t = rdoc_table(doc, "lines", "Contract lines and items to add",
	    line_cols, NLINECOLS)) == NULL)
		goto oom;
	p[0] = o->contract;
	p[1] = o->contract == NULL ? o->ending_before_s : NULL;
	p[2] = o->as_of_s;
	p[3] = o->site;
	p[4] = o->customer;
	p[5] = o->device;
	if ((r = db_select(db, lines_sql, p, 6, on_line, &a, err,
	    errlen)) != 0) {
		if (r != -1 || err[0] == '\0')
			goto oom;
		goto done;
	}
	db_read_end(db);
	began = -1;
	for (i = 0; i < A_ADD; i++)
		lines += a.n[i];
	if (lines == 0) {
		rdoc_set_empty(doc);
		if (o->contract != NULL)
			rdoc_note(doc, "no contract line of contract %s (with "
			    "these filters) is imported: nothing to audit",
			    o->contract);
		else
			rdoc_note(doc, "no contract ends between %s and %s "
			    "(with these filters): nothing to audit",
			    o->as_of_s, o->ending_before_s);
		rc = 0;
		goto done;
	}
	memset(&co, 0, sizeof(co));
	co.as_of = o->as_of;
	ent_policy_init(&co.policy);
	co.device = o->device;
	if ((r = db_coverage(db, &co, on_item, &a, err, errlen)) != 0) {
		if (r != -1)
			goto oom;
		goto done;
	}
	for (i = 0; i < A_N; i++) {
		rcell_int(n[0], sizeof(n[0]), a.n[i]);
		rcell_money(n[1], sizeof(n[1]), i == A_ADD ? -1 : a.value[i]);
		cells[0] = action_names[i];
		cells[1] = n[0];
		cells[2] = n[1];
		if (rtable_row(tot, cells) == -1)
			goto oom;
		if (i != A_ADD)
			value += a.value[i];
	}
	rcell_int(n[0], sizeof(n[0]), (int64_t)a.contracts.n);
	rcell_int(n[1], sizeof(n[1]), lines);
	rcell_money(n[2], sizeof(n[2]), value);
	rcell_money(n[3], sizeof(n[3]), a.value[A_KEEP] + a.value[A_SITE] +
	    a.value[A_REPLACED]);
	rcell_day(n[4], sizeof(n[4]), a.co_term);
	rcell_day(n[5], sizeof(n[5]), a.co_term != ENT_DAY_NONE ?
	    ent_term_last_day(a.co_term + 1, o->term_months) : ENT_DAY_NONE);
	for (i = 0; i < 6; i++)
		cells[i] = n[i][0] != '\0' ? n[i] : NULL;
	if (rtable_row(sum, cells) == -1)
		goto oom;
	if (rcurrency_fact(doc, &a.cur) == -1)
		goto oom;
	if (a.value[A_KEEP] + a.value[A_NOTFOUND] + a.value[A_UNSUPP] +
	    a.value[A_SITE] + a.value[A_REPLACED] == 0)
		rdoc_note(doc, "the contract file has no prices: totals are by "
		    "count only");
	memset(&ch, 0, sizeof(ch));
	ch.type = RCHART_HBAR;
	ch.title = "Lines by action";
	ch.table = "totals";
	ch.value_cols[0] = 1;
	ch.nseries = 1;
	ch.by_label = action_colors;
	if (rdoc_chart(doc, &ch) == -1)
		goto oom;
	rc = 0;
	goto done;
oom:
	snprintf(err, errlen, "out of memory or temporary space");
done:
	if (began == 0)
		db_read_end(db);
	for (i = 0; i < a.nhw; i++)
		free(a.hw[i].pattern);
	free(a.hw);
	free(a.hwv);
	rgroups_clear(&a.contracts);
	rgroups_clear(&a.serials);
	rgroups_clear(&a.sites);
	rgroups_clear(&a.customers);
	return (rc);
}
