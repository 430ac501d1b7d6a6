/*
 * report_changes.c: `report changes --since SCAN|DATE`: what the scans
 * changed in the install base, from the events the store records
 * (db/db_store.c): devices and items added, gone, back, replaced (old
 * serial -> new) and upgraded (old version -> new), one row per event,
 * with totals by change and by what changed first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/select.h"
#include "report_int.h"

/*
 * ?1 after this scan id (NULL: no bound), ?2 from this time on, ?3 before
 * this time (the day after as_of), ?4 site, ?5 device, ?6 customer.
 * The customer of an item is on its contract lines or registration.
 */
static const char changes_sql[] =
    "SELECT e.time, e.scan_id, e.kind, "
    "  CASE WHEN e.item_id IS NULL THEN 'device' ELSE i.kind END, "
    "  d.address, d.hostname, d.location, i.name, "
    "  CASE WHEN e.item_id IS NULL THEN d.serial ELSE i.serial END, "
    "  CASE WHEN e.item_id IS NULL THEN d.model ELSE i.model END, "
    "  e.old_value, e.new_value "
    "FROM events e JOIN devices d ON d.id = e.device_id "
    "LEFT JOIN items i ON i.id = e.item_id "
    "WHERE (?1 IS NULL OR e.scan_id > CAST(?1 AS INTEGER)) "
    "AND (?2 IS NULL OR e.time >= ?2) AND e.time < ?3 "
    "AND (?4 IS NULL OR lower(trim(d.location)) = lower(trim(?4))) "
    "AND (?5 IS NULL OR lower(d.address) = lower(?5) "
    "  OR d.address LIKE ?5 || ':%' OR lower(d.hostname) = lower(?5) "
    "  OR upper(d.serial) = upper(?5)) "
    "AND (?6 IS NULL OR EXISTS (SELECT 1 FROM contracts c "
    "  WHERE c.serial = CASE WHEN e.item_id IS NULL THEN d.serial "
    "  ELSE i.serial END "
    "  AND lower(trim(c.customer)) = lower(trim(?6))) "
    "  OR EXISTS (SELECT 1 FROM registrations r "
    "  WHERE r.serial = CASE WHEN e.item_id IS NULL THEN d.serial "
    "  ELSE i.serial END "
    "  AND lower(trim(r.customer)) = lower(trim(?6)))) "
    "ORDER BY e.id";

static const char *const change_names[] = {
	"added", "gone", "returned", "replaced", "upgraded"
};
static const char *const event_kinds[] = {
	"new", "gone", "returned", "replaced", "upgraded"
};
static const char *const what_names[] = {
	"device", "chassis", "member", "component"
};
#define NCHANGE	5
#define NWHAT	4

static const struct rcol summary_cols[] = {
	{ "change", "Change", RC_STR },
	{ "what", "What", RC_STR },
	{ "events", "Events", RC_NUM },
};

static const struct rcol change_cols[] = {
	{ "time", "Time", RC_STR },
	{ "scan", "Scan", RC_NUM },
	{ "change", "Change", RC_STR },
	{ "what", "What", RC_STR },
	{ "address", "Address", RC_STR },
	{ "hostname", "Hostname", RC_STR },
	{ "site", "Site", RC_STR },
	{ "item", "Item", RC_STR },
	{ "serial", "Serial", RC_STR },
	{ "model", "Model", RC_STR },
	{ "old", "Old", RC_STR },
	{ "new", "New", RC_STR },
};

struct chg {
	struct rtable	*t;
	int64_t		 n[NCHANGE][NWHAT];
	int64_t		 total;
};

static int
scan_max(int ncols, const char *const *v, void *arg)
{
	(void)ncols;
	if (v[0] != NULL)
		snprintf(arg, 32, "%s", v[0]);
	return (0);
}

static int
change_row(int ncols, const char *const *v, void *arg)
{
	struct chg	*c = arg;
	const char	*cells[12];
	int		 k, w;

	(void)ncols;
	for (k = 0; k < NCHANGE; k++)
		if (v[2] != NULL && strcmp(v[2], event_kinds[k]) == 0)
			break;
	for (w = 0; w < NWHAT; w++)
		if (v[3] != NULL && strcmp(v[3], what_names[w]) == 0)
			break;
	if (k == NCHANGE || w == NWHAT)
		return (0);		/* a kind this build does not know */
	c->n[k][w]++;
	c->total++;
	cells[0] = v[0];
	cells[1] = v[1];
	cells[2] = change_names[k];
	cells[3] = what_names[w];
	/* 'new' carries the identity in new_value: not an old -> new. */
	memcpy(cells + 4, v + 4, 6 * sizeof(*cells));
	cells[10] = k == 0 ? NULL : v[10];
	cells[11] = k == 0 || k == 1 || k == 2 ? NULL : v[11];
	return (rtable_row(c->t, cells) == -1 ? -1 : 0);
}

int
report_changes(struct db *db, const struct ropts *o, struct rdoc *doc,
    const char **csv_table, char *err, size_t errlen)
{
	struct chg	 c;
	struct rtable	*sum;
	const char	*p[6], *cells[3];
	char		 since_scan[32] = "", from[32], until[32], num[32];
	char		 latest[32] = "", day[ENT_DAY_ISO_LEN];
	ent_day		 d;
	int		 k, w, began, rc = -1;

	memset(&c, 0, sizeof(c));
	*csv_table = "changes";
	if ((began = db_read_begin(db, err, errlen)) == -1)
		return (-1);
	p[0] = p[1] = NULL;
	if (o->since == NULL) {
		/* The latest scan's changes: everything after the one before. */
		if (db_select(db, "SELECT max(id) FROM scans", NULL, 0,
		    scan_max, latest, err, errlen) == -1)
			goto done;
		if (latest[0] == '\0') {
			rdoc_note(doc, "no scans yet: nothing has changed; run "
			    "'ibagent scan' first");
			rdoc_set_empty(doc);
		}
		snprintf(since_scan, sizeof(since_scan), "%lld",
		    latest[0] != '\0' ? strtoll(latest, NULL, 10) - 1 : 0);
		p[0] = since_scan;
	} else if (ent_day_parse(o->since, &d) == 0) {
		snprintf(from, sizeof(from), "%.10sT00:00:00Z", o->since);
		p[1] = from;
	} else if (strspn(o->since, "0123456789") == strlen(o->since) &&
	    strlen(o->since) > 0 && strlen(o->since) < 19) {
		p[0] = o->since;
	} else {
		snprintf(err, errlen, "--since: '%s' is neither a scan number "
		    "nor a date (YYYY-MM-DD)", o->since);
		goto done;
	}
	rcell_day(day, sizeof(day), o->as_of + 1);
	snprintf(until, sizeof(until), "%sT00:00:00Z", day);
	p[2] = until;
	p[3] = o->site;
	p[4] = o->device;
	p[5] = o->customer;
	if (rdoc_fact(doc, "since", o->since != NULL ? o->since :
	    (p[0] != NULL ? since_scan : NULL)) == -1)
		goto oom;
	if (o->since == NULL && rdoc_fact(doc, "since_kind", "scan") == -1)
		goto oom;

	if ((sum = rdoc_table(doc, "summary", "Changes by kind",
	    summary_cols, 3)) == NULL ||
	    (c.t = rdoc_table(doc, "changes", "Changes", change_cols,
	    12)) == NULL)
		goto oom;
	if (db_select(db, changes_sql, p, 6, change_row, &c, err,
	    errlen) != 0) {
		if (err[0] == '\0')
			snprintf(err, errlen, "spooling rows failed");
		goto done;
	}
	for (k = 0; k < NCHANGE; k++)
		for (w = 0; w < NWHAT; w++) {
			if (c.n[k][w] == 0)
				continue;
			rcell_int(num, sizeof(num), c.n[k][w]);
			cells[0] = change_names[k];
			cells[1] = what_names[w];
			cells[2] = num;
			if (rtable_row(sum, cells) == -1)
				goto oom;
		}
	if (c.total == 0 && latest[0] != '\0')
		rdoc_note(doc, "no changes in this range: the scans found the "
		    "install base as it was");
	rc = 0;
	goto done;
oom:
	snprintf(err, errlen, "out of memory or temporary space");
done:
	if (began == 0)
		db_read_end(db);
	return (rc);
}
