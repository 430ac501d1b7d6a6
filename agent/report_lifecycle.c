/*
 * report_lifecycle.c: `report lifecycle`, what is getting old: hardware
 * by End of Life milestone (announced, end of sale, End of Support
 * within 12 or 24 months, past), per model; the Junos releases in use
 * by train with their End of Engineering and End of Support and how many
 * devices run each; and the devices whose lifecycle is UNKNOWN (no row
 * of the imported lifecycle tables matches), which is never reported as
 * "supported".  One pass over db_coverage(), which matched every item
 * and release against the lifecycle tables already.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/coverage.h"
#include "report_int.h"

enum { M_PAST = 0, M_EOS12, M_EOS24, M_EOSALE, M_ANNOUNCED, M_CURRENT,
	M_UNKNOWN, M_N };

static const char *const milestone_names[M_N] = {
	"past_eos", "eos_12m", "eos_24m", "end_of_sale", "announced",
	"current", "unknown"
};

static const char *const milestone_colors[] = {
	"past_eos", "#5e5c64", "eos_12m", "#c01c28", "eos_24m", "#e66100",
	"end_of_sale", "#e5a50a", "announced", "#f6d32d", "current",
	"#2e9e44", "unknown", "#9a9996", NULL
};

static const struct rcol hw_cols[] = {
	{ "milestone", "Milestone", RC_STR },
	{ "items", "Items", RC_NUM },
	{ "models", "Models", RC_NUM },
};

static const struct rcol model_cols[] = {
	{ "model", "Model", RC_STR },
	{ "milestone", "Milestone", RC_STR },
	{ "items", "Items", RC_NUM },
	{ "eol_announce", "EOL announced", RC_STR },
	{ "last_order", "Last order", RC_STR },
	{ "eos", "End of Support", RC_STR },
	{ "replacement", "Replacement", RC_STR },
};

static const struct rcol sw_cols[] = {
	{ "train", "Train", RC_STR },
	{ "version", "Version", RC_STR },
	{ "devices", "Devices", RC_NUM },
	{ "eoe", "End of Engineering", RC_STR },
	{ "eos", "End of Support", RC_STR },
	{ "status", "Status", RC_STR },
};

static const struct rcol unknown_cols[] = {
	{ "address", "Address", RC_STR },
	{ "hostname", "Hostname", RC_STR },
	{ "model", "Model", RC_STR },
	{ "version", "Junos", RC_STR },
	{ "hw_unknown_items", "Items, hardware UNKNOWN", RC_NUM },
	{ "sw_unknown", "Software UNKNOWN", RC_STR },
};

struct lc {
	ent_day		 as_of;
	struct rgroups	 models;	/* n[0] items, n[1] milestone */
	struct rgroups	 versions;	/* n[0] devices; extra train */
	struct rtable	*unknown;
	int64_t		 items;
	int64_t		 mil[M_N];
	/* The device in hand. */
	int64_t		 dev;
	char		*d_addr, *d_host, *d_model, *d_version;
	int64_t		 d_hw_unknown;
	int		 d_sw_unknown;
	int		 oom;
};

static int
milestone(const struct ent_hw_lifecycle *hw, ent_day as_of)
{
	if (hw == NULL)
		return (M_UNKNOWN);
	if (hw->eos != ENT_DAY_NONE) {
		if (as_of > hw->eos)
			return (M_PAST);
		if (hw->eos - as_of <= 365)
			return (M_EOS12);
		if (hw->eos - as_of <= 730)
			return (M_EOS24);
	}
	if (hw->last_order != ENT_DAY_NONE && as_of >= hw->last_order)
		return (M_EOSALE);
	if (hw->eol_announce != ENT_DAY_NONE && as_of >= hw->eol_announce)
		return (M_ANNOUNCED);
	return (M_CURRENT);
}

static int
flush_device(struct lc *c)
{
	const char	*cells[6];
	char		 n[32];
	int		 rc = 0;

	if (c->dev != -1 && (c->d_hw_unknown > 0 || c->d_sw_unknown)) {
		rcell_int(n, sizeof(n), c->d_hw_unknown);
		cells[0] = c->d_addr;
		cells[1] = c->d_host;
		cells[2] = c->d_model;
		cells[3] = c->d_version;
		cells[4] = n;
		cells[5] = c->d_sw_unknown ? "yes" : "no";
		rc = rtable_row(c->unknown, cells);
	}
	free(c->d_addr);
	free(c->d_host);
	free(c->d_model);
	free(c->d_version);
	c->d_addr = c->d_host = c->d_model = c->d_version = NULL;
	c->d_hw_unknown = 0;
	c->d_sw_unknown = 0;
	return (rc);
}

static int
on_row(const struct cov_row *r, void *arg)
{
	struct lc	*c = arg;
	struct rgroup	*g;
	char		 d[3][ENT_DAY_ISO_LEN];
	int		 m;

	if (r->device_id != c->dev) {
		if (flush_device(c) == -1)
			goto oom;
		c->dev = r->device_id;
		if (rgroup_set(&c->d_addr, r->address) == -1 ||
		    rgroup_set(&c->d_host, r->hostname) == -1 ||
		    rgroup_set(&c->d_model, r->device_model) == -1 ||
		    rgroup_set(&c->d_version, r->version) == -1)
			goto oom;
		/* One device, one running release. */
		c->d_sw_unknown = r->version != NULL && r->sw == NULL;
		if (r->version != NULL) {
			if ((g = rgroups_get(&c->versions, r->version)) == NULL ||
			    rgroup_set(&g->extra[0], r->junos_train) == -1)
				goto oom;
			g->n[0]++;
			if (r->sw != NULL) {
				rcell_day(d[0], sizeof(d[0]), r->sw->eoe);
				rcell_day(d[1], sizeof(d[1]), r->sw->eos);
				if (rgroup_set(&g->extra[1], d[0]) == -1 ||
				    rgroup_set(&g->extra[2], d[1]) == -1)
					goto oom;
				g->n[1] = r->sw->eos != ENT_DAY_NONE &&
				    c->as_of > r->sw->eos ? 3 :
				    r->sw->eoe != ENT_DAY_NONE &&
				    c->as_of > r->sw->eoe ? 2 : 1;
			}
		}
	}
	m = milestone(r->hw, c->as_of);
	c->items++;
	c->mil[m]++;
	if (m == M_UNKNOWN)
		c->d_hw_unknown++;
	if ((g = rgroups_get(&c->models, r->model)) == NULL)
		goto oom;
	if (g->n[0]++ == 0) {
		g->n[1] = m;
		if (r->hw != NULL) {
			rcell_day(d[0], sizeof(d[0]), r->hw->eol_announce);
			rcell_day(d[1], sizeof(d[1]), r->hw->last_order);
			rcell_day(d[2], sizeof(d[2]), r->hw->eos);
			if (rgroup_set(&g->extra[0], d[0]) == -1 ||
			    rgroup_set(&g->extra[1], d[1]) == -1 ||
			    rgroup_set(&g->extra[2], d[2]) == -1 ||
			    rgroup_set(&g->extra[3], r->hw->replacement) == -1)
				goto oom;
		}
	}
	return (0);
oom:
	c->oom = 1;
	return (-1);
}

static const char *
empty_null(const char *s)
{
	return (s != NULL && *s != '\0' ? s : NULL);
}

int
report_lifecycle(struct db *db, const struct ropts *o, struct rdoc *doc,
    const char **csv_table, char *err, size_t errlen)
{
	static const char *const sw_status[] = { "unknown", "supported",
	    "past_eoe", "past_eos" };
	struct cov_counts	 counts;
	struct cov_opts		 co;
	struct lc		 c;
	struct rtable		*hw, *models, *sw;
	struct rchart		 ch;
	const char		*cells[7];
	char			 n[2][32];
	int64_t			 nmodels[M_N];
	size_t			 i;
	int			 m, rc = -1;

	memset(&c, 0, sizeof(c));
	memset(nmodels, 0, sizeof(nmodels));
	c.as_of = o->as_of;
	c.dev = -1;
	*csv_table = "models";
	if ((m = report_counts(db, doc, &counts, err, errlen)) != 0)
		return (m == 1 ? 0 : -1);
	if (counts.hw_rows == 0)
		rdoc_note(doc, "no hardware lifecycle data is imported: every "
		    "item's lifecycle is UNKNOWN; run 'ibagent import "
		    "hw-lifecycle FILE'");
	if (counts.sw_rows == 0)
		rdoc_note(doc, "no software lifecycle data is imported: every "
		    "release's End of Engineering and End of Support is "
		    "UNKNOWN; run 'ibagent import sw-lifecycle FILE'");
	report_cov_opts(&co, o);
	if ((hw = rdoc_table(doc, "hardware", "Hardware by milestone",
	    hw_cols, 3)) == NULL ||
	    (models = rdoc_table(doc, "models", "Hardware by model", model_cols,
	    7)) == NULL ||
	    (sw = rdoc_table(doc, "software", "Junos releases in use",
	    sw_cols, 6)) == NULL ||
	    (c.unknown = rdoc_table(doc, "unknown", "Devices whose lifecycle "
	    "is UNKNOWN", unknown_cols, 6)) == NULL)
		goto oom;
	if ((m = db_coverage(db, &co, on_row, &c, err, errlen)) != 0) {
		if (c.oom)
			goto oom;
		if (m != -1)
			snprintf(err, errlen, "coverage stopped");
		goto done;
	}
	if (flush_device(&c) == -1)
		goto oom;
	if (c.items == 0)
		rdoc_note(doc, "no item matches the filters (site, customer, "
		    "device)");

	rgroups_sort(&c.models);
	for (i = 0; i < c.models.n; i++) {
		struct rgroup *g = &c.models.v[i];

		nmodels[g->n[1]]++;
		rcell_int(n[0], sizeof(n[0]), g->n[0]);
		cells[0] = g->name;
		cells[1] = milestone_names[g->n[1]];
		cells[2] = n[0];
		cells[3] = empty_null(g->extra[0]);
		cells[4] = empty_null(g->extra[1]);
		cells[5] = empty_null(g->extra[2]);
		cells[6] = g->extra[3];
		if (rtable_row(models, cells) == -1)
			goto oom;
	}
	for (m = 0; m < M_N; m++) {
		rcell_int(n[0], sizeof(n[0]), c.mil[m]);
		rcell_int(n[1], sizeof(n[1]), nmodels[m]);
		cells[0] = milestone_names[m];
		cells[1] = n[0];
		cells[2] = n[1];
		if (rtable_row(hw, cells) == -1)
			goto oom;
	}
	rgroups_sort(&c.versions);
	for (i = 0; i < c.versions.n; i++) {
		struct rgroup *g = &c.versions.v[i];

		rcell_int(n[0], sizeof(n[0]), g->n[0]);
		cells[0] = g->extra[0];
		cells[1] = g->name;
		cells[2] = n[0];
		cells[3] = empty_null(g->extra[1]);
		cells[4] = empty_null(g->extra[2]);
		cells[5] = sw_status[g->n[1]];
		if (rtable_row(sw, cells) == -1)
			goto oom;
	}
	memset(&ch, 0, sizeof(ch));
	ch.type = RCHART_HBAR;
	ch.title = "Hardware items by lifecycle milestone";
	ch.table = "hardware";
	ch.value_cols[0] = 1;
	ch.nseries = 1;
	ch.by_label = milestone_colors;
	if (rdoc_chart(doc, &ch) == -1)
		goto oom;
	memset(&ch, 0, sizeof(ch));
	ch.type = RCHART_HBAR;
	ch.title = "Devices by Junos release";
	ch.table = "software";
	ch.label_col = 1;
	ch.value_cols[0] = 2;
	ch.nseries = 1;
	ch.colors[0] = "#3584e4";
	if (rdoc_chart(doc, &ch) == -1)
		goto oom;
	rc = 0;
	goto done;
oom:
	snprintf(err, errlen, "out of memory or temporary space");
done:
	free(c.d_addr);
	free(c.d_host);
	free(c.d_model);
	free(c.d_version);
	rgroups_clear(&c.models);
	rgroups_clear(&c.versions);
	return (rc);
}
