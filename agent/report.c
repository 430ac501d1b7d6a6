/*
 * report.c: `ibagent report KIND [OPTIONS]`: the options every report
 * shares, dispatch to agent/report_<kind>.c, and the output, written to
 * stdout or atomically to --output FILE (temporary file in the same
 * directory, fsync, rename).  The options are parsed by hand, not with
 * getopt(3), so the daemon can call cmd_report() repeatedly and from any
 * thread: nothing here keeps state between calls.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../db/coverage.h"
#include "../db/db.h"
#include "../entitlement/ent_rules.h"
#include "log.h"
#include "outfile.h"
#include "report.h"
#include "report_int.h"

#define EXIT_USAGE	2

static const char usage_report[] =
"usage: ibagent [--db PATH] report KIND [OPTIONS]\n"
"\n"
"Reports on the install base and its entitlement (docs/reports.md):\n"
"  coverage    totals by status, site, customer and product family; every\n"
"              item with its verdict; what expires in 30/60/90 days\n"
"  audit       pre-renewal audit of contract lines: KEEP, DROP_NOT_FOUND,\n"
"              DROP_UNSUPPORTABLE, REVIEW_SITE, REVIEW_REPLACED, and ADD\n"
"              (--contract ID or --ending-before DATE)\n"
"  lifecycle   hardware by End of Life milestone, Junos releases by train,\n"
"              devices whose lifecycle is UNKNOWN\n"
"  metrics     attach rate and renewal rate by count and value (--period)\n"
"  changes     devices and items added, gone, replaced, upgraded (--since)\n"
"\n"
"Options of every report:\n"
"  --as-of DATE          the day of the verdict (YYYY-MM-DD; default today, UTC)\n"
"  --site S, --customer C, --device D   only these (ignoring case); D is an\n"
"                        address, hostname or chassis serial\n"
"  --format F            text (default), csv, json or html\n"
"  --output FILE         write FILE atomically instead of stdout\n"
"  --table NAME          CSV: the table to write (default: the report's main\n"
"                        table; the JSON keys name them all)\n"
"  --window DAYS         EXPIRING and EOS_SOON window (90)\n"
"audit:\n"
"  --contract ID         the lines of one contract\n"
"  --ending-before DATE  or every contract whose last line ends from --as-of\n"
"                        up to DATE\n"
"  --ghost-days N        DROP_NOT_FOUND after N days unseen (30)\n"
"  --term MONTHS         the renewal term (12)\n"
"metrics:\n"
"  --period P            2026Q3, 2026H1, 2026-07 or 2026 (default: this quarter)\n"
"changes:\n"
"  --since SCAN|DATE     after scan number SCAN, or from DATE on (default:\n"
"                        what the latest scan changed)\n"
"\n"
"Exit status: 0 done (an empty install base is a report that says so),\n"
"1 failure (database, writing the output), 2 usage error.\n";

const char *const report_status_colors[] = {
	"COVERED", "#2e9e44",
	"EXPIRING", "#e5a50a",
	"WARRANTY", "#3584e4",
	"LAPSED", "#c64600",
	"UNCOVERED", "#c01c28",
	"UNSUPPORTABLE", "#5e5c64",
	NULL
};

void
cmd_report_usage(FILE *out)
{
	fputs(usage_report, out);
}

void
rcell_int(char *buf, size_t len, int64_t v)
{
	snprintf(buf, len, "%" PRId64, v);
}

void
rcell_pct(char *buf, size_t len, int64_t n, int64_t total)
{
	int64_t	t;

	if (total <= 0) {
		snprintf(buf, len, "%s", "");
		return;
	}
	/* Tenths of a percent, rounded half up, in integers: no -0.0. */
	t = (n * 1000 * 2 + total) / (total * 2);
	snprintf(buf, len, "%" PRId64 ".%" PRId64, t / 10, t % 10);
}

void
rcell_money(char *buf, size_t len, int64_t cents)
{
	if (cents < 0) {
		snprintf(buf, len, "%s", "");
		return;
	}
	snprintf(buf, len, "%" PRId64 ".%02" PRId64, cents / 100, cents % 100);
}

void
rcell_day(char *buf, size_t len, ent_day d)
{
	if (d == ENT_DAY_NONE || ent_day_format(d, buf, len) == -1)
		snprintf(buf, len, "%s", "");
}

void
report_cov_opts(struct cov_opts *co, const struct ropts *o)
{
	memset(co, 0, sizeof(*co));
	co->as_of = o->as_of;
	ent_policy_init(&co->policy);
	co->policy.window_days = o->window_days;
	co->site = o->site;
	co->customer = o->customer;
	co->device = o->device;
}

int
report_counts(struct db *db, struct rdoc *doc, struct cov_counts *counts,
    char *err, size_t errlen)
{
	if (db_coverage_counts(db, counts, err, errlen) == -1)
		return (-1);
	if (counts->items > 0)
		return (0);
	rdoc_set_empty(doc);
	rdoc_note(doc, "the install base is empty: no serialized item has "
	    "been seen; run 'ibagent scan' first");
	return (1);
}

void
rcurrency_add(struct rcurrency *c, const char *code)
{
	if (code == NULL || *code == '\0')
		return;
	if (c->code[0] == '\0')
		snprintf(c->code, sizeof(c->code), "%s", code);
	else if (strcmp(c->code, code) != 0)
		c->mixed = 1;
}

int
rcurrency_fact(struct rdoc *doc, const struct rcurrency *c)
{
	if (c->mixed) {
		rdoc_note(doc, "prices are in more than one currency: values "
		    "are summed as they are");
		return (0);
	}
	return (rdoc_fact(doc, "currency", c->code[0] != '\0' ? c->code :
	    NULL));
}

static int
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

struct rgroup *
rgroups_get(struct rgroups *g, const char *name)
{
	struct rgroup	*nv;
	size_t		 i;

	if (g->last < g->n && same(g->v[g->last].name, name))
		return (&g->v[g->last]);
	for (i = 0; i < g->n; i++)
		if (same(g->v[i].name, name)) {
			g->last = i;
			return (&g->v[i]);
		}
	if (g->n == g->cap) {
		if ((nv = reallocarray(g->v, g->cap ? g->cap * 2 : 16,
		    sizeof(*nv))) == NULL)
			return (NULL);
		g->v = nv;
		g->cap = g->cap ? g->cap * 2 : 16;
	}
	memset(&g->v[g->n], 0, sizeof(g->v[g->n]));
	if (name != NULL && (g->v[g->n].name = strdup(name)) == NULL)
		return (NULL);
	g->last = g->n;
	return (&g->v[g->n++]);
}

int
rgroup_set(char **slot, const char *s)
{
	if (*slot != NULL || s == NULL)
		return (0);
	return ((*slot = strdup(s)) == NULL ? -1 : 0);
}

static int
group_cmp(const void *a, const void *b)
{
	const struct rgroup	*x = a, *y = b;

	if (x->name == NULL || y->name == NULL)
		return ((x->name == NULL) - (y->name == NULL));
	return (strcmp(x->name, y->name));
}

void
rgroups_sort(struct rgroups *g)
{
	if (g->n > 1)
		qsort(g->v, g->n, sizeof(*g->v), group_cmp);
	g->last = 0;
}

void
rgroups_clear(struct rgroups *g)
{
	size_t	i, j;

	for (i = 0; i < g->n; i++) {
		free(g->v[i].name);
		for (j = 0; j < 4; j++)
			free(g->v[i].extra[j]);
	}
	free(g->v);
	memset(g, 0, sizeof(*g));
}

int
report_facts(struct rdoc *doc, const struct ropts *o)
{
	if (rdoc_fact(doc, "as_of", o->as_of_s) == -1 ||
	    rdoc_fact(doc, "site", o->site) == -1 ||
	    rdoc_fact(doc, "customer", o->customer) == -1 ||
	    rdoc_fact(doc, "device", o->device) == -1)
		return (-1);
	return (0);
}

static int
parse_int(const char *opt, const char *s, int min, int max, int *out)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max) {
		log_warnx("%s: '%s' is not a number from %d to %d", opt, s,
		    min, max);
		return (-1);
	}
	*out = (int)v;
	return (0);
}

static int
parse_day(const char *opt, const char *s, ent_day *d, char *iso)
{
	if (ent_day_parse(s, d) == -1) {
		log_warnx("%s: '%s' is not a date (YYYY-MM-DD)", opt, s);
		return (-1);
	}
	ent_day_format(*d, iso, ENT_DAY_ISO_LEN);
	return (0);
}

/* "2026Q3", "2026H1", "2026-07", "2026" into [start, end]. */
static int
parse_period(const char *s, ent_day *start, ent_day *end)
{
	char	*p;
	long	 y;
	int	 m0 = 1, months = 12;

	y = strtol(s, &p, 10);
	if (p - s != 4 || y < 1 || y > 9998)
		return (-1);
	if ((p[0] == 'Q' || p[0] == 'q') && p[1] >= '1' && p[1] <= '4' &&
	    p[2] == '\0') {
		m0 = (p[1] - '1') * 3 + 1;
		months = 3;
	} else if ((p[0] == 'H' || p[0] == 'h') && (p[1] == '1' ||
	    p[1] == '2') && p[2] == '\0') {
		m0 = p[1] == '1' ? 1 : 7;
		months = 6;
	} else if (p[0] == '-' && p[1] >= '0' && p[1] <= '1' &&
	    p[2] >= '0' && p[2] <= '9' && p[3] == '\0') {
		m0 = (p[1] - '0') * 10 + (p[2] - '0');
		months = 1;
		if (m0 < 1 || m0 > 12)
			return (-1);
	} else if (p[0] != '\0')
		return (-1);
	if (ent_day_from_ymd((int)y, m0, 1, start) == -1)
		return (-1);
	*end = ent_term_last_day(*start, months);
	return (*end == ENT_DAY_NONE ? -1 : 0);
}

/* Today, UTC. */
static ent_day
today(void)
{
	struct tm	tm;
	time_t		now = time(NULL);
	ent_day		d;

	if (gmtime_r(&now, &tm) == NULL ||
	    ent_day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    &d) == -1)
		return (ENT_DAY_NONE);
	return (d);
}

enum {
	O_ASOF = 1, O_SITE, O_CUSTOMER, O_DEVICE, O_FORMAT, O_OUTPUT, O_TABLE,
	O_WINDOW, O_CONTRACT, O_ENDING, O_GHOST, O_TERM, O_PERIOD, O_SINCE,
	O_HELP
};

static const struct {
	const char	*name;
	int		 id;
	int		 arg;
	const char	*only;		/* the one report it applies to */
} options[] = {
	{ "as-of", O_ASOF, 1, NULL },
	{ "site", O_SITE, 1, NULL },
	{ "customer", O_CUSTOMER, 1, NULL },
	{ "device", O_DEVICE, 1, NULL },
	{ "format", O_FORMAT, 1, NULL },
	{ "output", O_OUTPUT, 1, NULL },
	{ "table", O_TABLE, 1, NULL },
	{ "window", O_WINDOW, 1, NULL },
	{ "contract", O_CONTRACT, 1, "audit" },
	{ "ending-before", O_ENDING, 1, "audit" },
	{ "ghost-days", O_GHOST, 1, "audit" },
	{ "term", O_TERM, 1, "audit" },
	{ "period", O_PERIOD, 1, "metrics" },
	{ "since", O_SINCE, 1, "changes" },
	{ "help", O_HELP, 0, NULL },
};

static const struct {
	const char	*kind;
	int		(*fn)(struct db *, const struct ropts *,
			    struct rdoc *, const char **, char *, size_t);
	const char	*title;
} reports[] = {
	{ "coverage", report_coverage, "Install base coverage" },
	{ "audit", report_audit, "Pre-renewal audit" },
	{ "lifecycle", report_lifecycle, "Lifecycle" },
	{ "metrics", report_metrics, "Partner metrics" },
	{ "changes", report_changes, "Install base changes" },
};

/* An empty filter is no filter. */
static const char *
filter(const char *s)
{
	return (s != NULL && *s != '\0' ? s : NULL);
}

/*
 * Parse argv (argv[0] "report", argv[1] the kind) into *o; returns 0,
 * 1 for --help (usage printed), or -1 (usage error, logged).
 */
static int
parse_args(int argc, char **argv, struct ropts *o)
{
	const char	*a, *v, *eq;
	size_t		 i, n;
	int		 k, id;

	memset(o, 0, sizeof(*o));
	o->ghost_days = 30;
	o->term_months = 12;
	o->window_days = 90;
	o->ending_before = ENT_DAY_NONE;
	o->as_of = ENT_DAY_NONE;
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		if (argc >= 2) {
			fputs(usage_report, stdout);
			return (1);
		}
		log_warnx("report: which report? coverage, audit, lifecycle, "
		    "metrics or changes");
		return (-1);
	}
	o->kind = argv[1];
	for (k = 2; k < argc; k++) {
		a = argv[k];
		if (strncmp(a, "--", 2) != 0) {
			log_warnx("report: unexpected argument '%s'", a);
			return (-1);
		}
		a += 2;
		n = (eq = strchr(a, '=')) != NULL ? (size_t)(eq - a) :
		    strlen(a);
		for (i = 0; i < sizeof(options) / sizeof(options[0]); i++)
			if (strlen(options[i].name) == n &&
			    strncmp(options[i].name, a, n) == 0)
				break;
		if (i == sizeof(options) / sizeof(options[0])) {
			log_warnx("report: unknown option '%s'", argv[k]);
			return (-1);
		}
		if (options[i].only != NULL &&
		    strcmp(options[i].only, o->kind) != 0) {
			log_warnx("report %s: --%s is an option of report %s",
			    o->kind, options[i].name, options[i].only);
			return (-1);
		}
		id = options[i].id;
		v = NULL;
		if (options[i].arg) {
			if (eq != NULL)
				v = eq + 1;
			else if (k + 1 < argc)
				v = argv[++k];
			else {
				log_warnx("report: --%s needs a value",
				    options[i].name);
				return (-1);
			}
		} else if (eq != NULL) {
			log_warnx("report: --%s takes no value",
			    options[i].name);
			return (-1);
		}
		switch (id) {
		case O_ASOF:
			if (parse_day("--as-of", v, &o->as_of,
			    o->as_of_s) == -1)
				return (-1);
			break;
		case O_SITE:
			o->site = filter(v);
			break;
		case O_CUSTOMER:
			o->customer = filter(v);
			break;
		case O_DEVICE:
			o->device = filter(v);
			break;
		case O_FORMAT:
			if (rfmt_parse(v, &o->fmt) == -1) {
				log_warnx("--format: '%s': want text, csv, "
				    "json or html", v);
				return (-1);
			}
			break;
		case O_OUTPUT:
			if (*v == '\0') {
				log_warnx("--output: empty file name");
				return (-1);
			}
			o->output = v;
			break;
		case O_TABLE:
			o->table = v;
			break;
		case O_WINDOW:
			if (parse_int("--window", v, 0, 36500,
			    &o->window_days) == -1)
				return (-1);
			break;
		case O_CONTRACT:
			o->contract = v;
			break;
		case O_ENDING:
			if (parse_day("--ending-before", v, &o->ending_before,
			    o->ending_before_s) == -1)
				return (-1);
			break;
		case O_GHOST:
			if (parse_int("--ghost-days", v, 0, 36500,
			    &o->ghost_days) == -1)
				return (-1);
			break;
		case O_TERM:
			if (parse_int("--term", v, 1, 120,
			    &o->term_months) == -1)
				return (-1);
			break;
		case O_PERIOD:
			o->period = v;
			if (parse_period(v, &o->period_start,
			    &o->period_end) == -1) {
				log_warnx("--period: '%s': want 2026Q3, "
				    "2026H1, 2026-07 or 2026", v);
				return (-1);
			}
			break;
		case O_SINCE:
			o->since = v;
			break;
		case O_HELP:
			fputs(usage_report, stdout);
			return (1);
		}
	}
	if (o->as_of == ENT_DAY_NONE) {
		o->as_of = today();
		ent_day_format(o->as_of, o->as_of_s, sizeof(o->as_of_s));
	}
	if (strcmp(o->kind, "audit") == 0 &&
	    (o->contract == NULL) == (o->ending_before == ENT_DAY_NONE)) {
		log_warnx("report audit: give --contract ID or "
		    "--ending-before DATE (one of them)");
		return (-1);
	}
	if (o->table != NULL && o->fmt != RF_CSV) {
		log_warnx("report: --table applies to --format csv only");
		return (-1);
	}
	return (0);
}

/*
 * Render doc to path atomically (outfile.h): a failure leaves path as it
 * was.
 */
static int
write_atomic(struct rdoc *doc, const char *path, const char *csv_table,
    char *err, size_t errlen)
{
	struct outfile	 of;
	FILE		*fp;

	if ((fp = outfile_open(&of, path, err, errlen)) == NULL)
		return (-1);
	if (rdoc_render(doc, fp, csv_table, err, errlen) == -1) {
		(void)outfile_close(&of, 0, err, errlen);
		return (-1);
	}
	return (outfile_close(&of, 1, err, errlen));
}

int
cmd_report(const char *dbpath, int argc, char **argv)
{
	struct ropts	 o;
	struct rdoc	*doc = NULL;
	struct db	*db = NULL;
	const char	*csv_table = NULL;
	char		 err[1024];
	size_t		 i;
	int		 rc;

	err[0] = '\0';
	if ((rc = parse_args(argc, argv, &o)) != 0)
		return (rc == 1 ? 0 : EXIT_USAGE);
	for (i = 0; i < sizeof(reports) / sizeof(reports[0]); i++)
		if (strcmp(reports[i].kind, o.kind) == 0)
			break;
	if (i == sizeof(reports) / sizeof(reports[0])) {
		log_warnx("report: unknown report '%s': want coverage, audit, "
		    "lifecycle, metrics or changes", o.kind);
		return (EXIT_USAGE);
	}
	rc = 1;
	if ((doc = rdoc_new(o.fmt, o.kind, reports[i].title)) == NULL) {
		log_warn("report");
		return (1);
	}
	if ((db = db_open(dbpath, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		goto done;
	}
	if (report_facts(doc, &o) == -1) {
		log_warn("report");
		goto done;
	}
	if (reports[i].fn(db, &o, doc, &csv_table, err, sizeof(err)) == -1) {
		log_warnx("report %s: %s: %s", o.kind, dbpath, err);
		goto done;
	}
	if (o.table != NULL)
		csv_table = o.table;
	if (o.output != NULL) {
		if (write_atomic(doc, o.output, csv_table, err,
		    sizeof(err)) == -1) {
			log_warnx("report %s: %s", o.kind, err);
			goto done;
		}
	} else if (rdoc_render(doc, stdout, csv_table, err,
	    sizeof(err)) == -1) {
		log_warnx("report %s: %s", o.kind, err);
		goto done;
	}
	rc = 0;
done:
	db_close(db);
	rdoc_free(doc);
	return (rc);
}
