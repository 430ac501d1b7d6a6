/*
 * cmd_coverage.c: `ibagent coverage`.  One row per serialized item with
 * its status, the contract and service level that decided it, its flags
 * and, for the status and each flag, the evidence (the imported row
 * "file:line", or the scan that saw a replacement).  The rows come from
 * db_coverage() (db/coverage.h), which streams: text makes two passes
 * (totals and column widths first), CSV and JSON one.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../db/coverage.h"
#include "../db/db.h"
#include "cmd_coverage.h"
#include "log.h"

#define EXIT_USAGE	2
#define EV_LEN		(ENT_REF_LEN * (ENT_NFLAGS + 4) + 256)

enum cov_fmt { FMT_TEXT = 0, FMT_CSV, FMT_JSON };

static const char usage[] =
"usage: ibagent [--db PATH] coverage [--as-of YYYY-MM-DD] [--window DAYS]\n"
"                [--component-policy inherit|own] [--format text|csv|json]\n"
"                [--site S] [--customer C] [--device D] [--output FILE]\n"
"\n"
"The entitlement verdict of every serialized item of the install base, from\n"
"the last scans and the imported files (ibagent import):\n"
"  UNSUPPORTABLE  past its End of Support      COVERED   an active contract\n"
"  EXPIRING       coverage ends within DAYS    WARRANTY  hardware warranty\n"
"  LAPSED         had a contract, now ended    UNCOVERED none of these\n"
"with flags EOL, END_OF_SALE, EOS_SOON, CONVERT_BY, SW_EOE, SW_EOS,\n"
"CPO_CARE_INELIGIBLE, UNREGISTERED, SITE_MISMATCH, REPLACED, and the file:line\n"
"of the row behind each (docs/entitlement-rules.md has the rules).\n"
"\n"
"  --as-of DATE              the day of the verdict (default: today, UTC)\n"
"  --window DAYS             EXPIRING and EOS_SOON window (90)\n"
"  --component-policy P      inherit (default): a component without a\n"
"                            contract of its own takes its chassis'\n"
"                            coverage; own: judged on its own serial\n"
"  --format text|csv|json    output format (text)\n"
"  --site S, --customer C    only rows of that site or customer (any case)\n"
"  --device D                only that device: address, hostname or serial\n"
"  --output FILE             write FILE atomically instead of stdout\n"
"\n"
"Exit status: 0 done (an empty install base or no contracts is said on\n"
"stderr and in the JSON \"notes\"), 1 failure, 2 usage error.\n";

void
cmd_coverage_usage(FILE *out)
{
	fputs(usage, out);
}

struct cov_out {
	FILE		*out;
	enum cov_fmt	 fmt;
	int		 pass;		/* text: 0 measure, 1 print */
	int64_t		 nrows;
	int64_t		 by_status[ENT_UNCOVERED + 1];
	size_t		 w[10];		/* text column widths */
};

/* A row's derived cells, shared by the three formats. */
struct cells {
	char	 kind[16];
	char	 status_ev[ENT_REF_LEN + 64];
	char	 flags[256];
	char	 contract[ENT_ID_LEN + ENT_SERIAL_LEN + 8];
	char	 end[ENT_DAY_ISO_LEN];
	char	 cstart[ENT_DAY_ISO_LEN], cend[ENT_DAY_ISO_LEN];
	char	 until[ENT_DAY_ISO_LEN], next[ENT_DAY_ISO_LEN];
	char	 wend[ENT_DAY_ISO_LEN], eos[ENT_DAY_ISO_LEN];
	char	 days_left[16], wmonths[16], price[32];
	const char *flag_ev[ENT_NFLAGS];
};

static const char *const kind_names[] = { "chassis", "member", "component" };

static void
day_cell(ent_day d, char *buf, size_t len)
{
	if (d == ENT_DAY_NONE || ent_day_format(d, buf, len) == -1)
		buf[0] = '\0';
}

static const char *
nz(const char *s)
{
	return (s != NULL ? s : "");
}

static void
cells_fill(const struct cov_row *r, struct cells *c)
{
	const struct ent_verdict	*v = &r->v;
	unsigned int			 i;

	memset(c, 0, sizeof(*c));
	snprintf(c->kind, sizeof(c->kind), "%s", r->kind >= 0 && r->kind <= 2 ?
	    kind_names[r->kind] : "?");
	if (v->status_src[0] != '\0')
		snprintf(c->status_ev, sizeof(c->status_ev), "%s",
		    v->status_src);
	else if (v->status == ENT_UNCOVERED && v->next_contract_id[0] != '\0')
		snprintf(c->status_ev, sizeof(c->status_ev), "no line before "
		    "as-of; next: %s", v->next_contract_id);
	else if (v->status == ENT_UNCOVERED)
		snprintf(c->status_ev, sizeof(c->status_ev), "no contract "
		    "line and no warranty");
	ent_flags_format(v->flags, c->flags, sizeof(c->flags));
	for (i = 0; i < ENT_NFLAGS; i++) {
		if ((v->flags & (1u << i)) == 0)
			continue;
		if (v->flag_src[i][0] != '\0')
			c->flag_ev[i] = v->flag_src[i];
		else if ((1u << i) == ENT_F_UNREGISTERED)
			c->flag_ev[i] = "no contract line, CPO record or "
			    "registration";
		else
			c->flag_ev[i] = "";
	}
	if (v->via_chassis[0] != '\0')
		snprintf(c->contract, sizeof(c->contract), "%s via %s",
		    v->contract_id[0] != '\0' ? v->contract_id : "-",
		    v->via_chassis);
	else
		snprintf(c->contract, sizeof(c->contract), "%s",
		    v->contract_id);
	day_cell(v->contract_start, c->cstart, sizeof(c->cstart));
	day_cell(v->contract_end, c->cend, sizeof(c->cend));
	day_cell(v->covered_until, c->until, sizeof(c->until));
	day_cell(v->next_start, c->next, sizeof(c->next));
	day_cell(v->warranty_end, c->wend, sizeof(c->wend));
	day_cell(r->hw != NULL ? r->hw->eos : ENT_DAY_NONE, c->eos,
	    sizeof(c->eos));
	switch (v->status) {
	case ENT_UNSUPPORTABLE:
		snprintf(c->end, sizeof(c->end), "%s", c->eos);
		break;
	case ENT_COVERED:
	case ENT_EXPIRING:
		snprintf(c->end, sizeof(c->end), "%s", c->until);
		break;
	case ENT_WARRANTY:
		snprintf(c->end, sizeof(c->end), "%s", c->wend);
		break;
	case ENT_LAPSED:
		snprintf(c->end, sizeof(c->end), "%s", c->cend);
		break;
	}
	if (v->days_left >= 0 && (v->status == ENT_COVERED ||
	    v->status == ENT_EXPIRING))
		snprintf(c->days_left, sizeof(c->days_left), "%d",
		    v->days_left);
	if (v->warranty_months > 0)
		snprintf(c->wmonths, sizeof(c->wmonths), "%d",
		    v->warranty_months);
	if (r->price_cents >= 0)
		snprintf(c->price, sizeof(c->price), "%" PRId64,
		    r->price_cents);
}

/*
 * Text.
 */

/* Printable width of s; controls print as '?'. */
static void
text_put(FILE *out, const char *s, size_t pad)
{
	size_t	 n = 0;

	for (; s != NULL && *s != '\0'; s++, n++)
		putc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, out);
	for (; n < pad; n++)
		putc(' ', out);
}

/* "status: f:1; EOL: f:2; lifecycle UNKNOWN" */
static void
text_evidence(const struct cov_row *r, const struct cells *c, char *buf,
    size_t len)
{
	const struct ent_verdict	*v = &r->v;
	size_t				 n = 0;
	unsigned int			 i;

#define ADD(...) do {							\
	if (n < len)							\
		n += (size_t)snprintf(buf + n, len - n, __VA_ARGS__);	\
} while (0)
	buf[0] = '\0';
	if (c->status_ev[0] != '\0')
		ADD("%s: %s", ent_status_str(v->status), c->status_ev);
	for (i = 0; i < ENT_NFLAGS; i++)
		if (c->flag_ev[i] != NULL)
			ADD("%s%s: %s", n > 0 ? "; " : "",
			    ent_flag_str(1u << i), c->flag_ev[i]);
	if (v->warranty_src[0] != '\0' && v->status != ENT_WARRANTY)
		ADD("%swarranty: %s", n > 0 ? "; " : "", v->warranty_src);
	if (v->warranty_unknown)
		ADD("%swarranty unknown", n > 0 ? "; " : "");
	if (!v->lifecycle_known)
		ADD("%slifecycle UNKNOWN", n > 0 ? "; " : "");
	if (v->lapsed_needs_reinstatement)
		ADD("%sinspection or reinstatement fee before a new contract",
		    n > 0 ? "; " : "");
	if (r->replaced_serial != NULL)
		ADD("%sreplaced %s", n > 0 ? "; " : "", r->replaced_serial);
	else if (v->replaced_by[0] != '\0')
		ADD("%sreplaced by %s", n > 0 ? "; " : "", v->replaced_by);
#undef ADD
}

static const char *const text_heads[10] = {
	"DEVICE", "ITEM", "SERIAL", "MODEL", "STATUS", "CONTRACT", "LEVEL",
	"END", "FLAGS", "EVIDENCE"
};

static void
text_cols(const struct cov_row *r, const struct cells *c,
    const char *col[10], char *ev, size_t evlen)
{
	col[0] = r->hostname != NULL ? r->hostname : nz(r->address);
	col[1] = nz(r->item_name);
	col[2] = nz(r->serial);
	col[3] = nz(r->model);
	col[4] = nz(ent_status_str(r->v.status));
	col[5] = c->contract;
	col[6] = r->v.service_level;
	col[7] = c->end;
	col[8] = c->flags;
	text_evidence(r, c, ev, evlen);
	col[9] = ev;
}

static int
text_row(struct cov_out *o, const struct cov_row *r, const struct cells *c)
{
	const char	*col[10];
	char		 ev[EV_LEN];
	size_t		 i, n;

	text_cols(r, c, col, ev, sizeof(ev));
	if (o->pass == 0) {
		for (i = 0; i < 9; i++)
			if ((n = strlen(col[i])) > o->w[i])
				o->w[i] = n;
		return (0);
	}
	for (i = 0; i < 10; i++) {
		text_put(o->out, col[i], i < 9 ? o->w[i] + 2 : 0);
	}
	putc('\n', o->out);
	return (ferror(o->out) ? -1 : 0);
}

/*
 * CSV (RFC 4180).  A cell that a spreadsheet would read as a formula
 * (= + - @ TAB CR first) gets a leading single quote.
 */
static void
csv_cell(FILE *out, const char *s, int last)
{
	const char	*p;
	int		 quote = 0;

	s = nz(s);
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' ||
	    *s == '\r')
		quote = 2;
	for (p = s; *p != '\0' && !quote; p++)
		if (*p == ',' || *p == '"' || *p == '\n' || *p == '\r')
			quote = 1;
	if (quote)
		putc('"', out);
	if (quote == 2)
		putc('\'', out);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			putc('"', out);
		putc(*p, out);
	}
	if (quote)
		putc('"', out);
	fputs(last ? "\r\n" : ",", out);
}

static const char *const csv_heads[] = {
	"address", "hostname", "device_model", "device_serial", "site",
	"customer", "kind", "item", "serial", "model", "part_number",
	"status", "status_evidence", "contract_id", "service_level",
	"contract_start", "contract_end", "covered_until", "days_left",
	"via_chassis", "next_contract_id", "next_start", "warranty_end",
	"warranty_months", "warranty_unknown", "warranty_evidence",
	"warranty_term_evidence", "lifecycle", "lifecycle_evidence",
	"eos", "replacement", "junos_version", "junos_train",
	"sw_evidence", "flags", "flag_evidence", "replaced_by",
	"replaced_serial", "lapsed_needs_reinstatement", "price_cents",
	"currency", "first_seen", "last_seen"
};
#define NCSV	(sizeof(csv_heads) / sizeof(csv_heads[0]))

/* "EOL=hw.csv:3;UNREGISTERED=..." in flag order. */
static void
flag_evidence(const struct cells *c, char *buf, size_t len)
{
	size_t		 n = 0;
	unsigned int	 i;

	buf[0] = '\0';
	for (i = 0; i < ENT_NFLAGS && n < len; i++)
		if (c->flag_ev[i] != NULL)
			n += (size_t)snprintf(buf + n, len - n, "%s%s=%s",
			    n > 0 ? ";" : "", ent_flag_str(1u << i),
			    c->flag_ev[i]);
}

static int
csv_row(struct cov_out *o, const struct cov_row *r, const struct cells *c)
{
	const struct ent_verdict	*v = &r->v;
	const char			*col[NCSV];
	char				 fev[EV_LEN];
	size_t				 i = 0;

	flag_evidence(c, fev, sizeof(fev));
	col[i++] = r->address;
	col[i++] = r->hostname;
	col[i++] = r->device_model;
	col[i++] = r->device_serial;
	col[i++] = r->site;
	col[i++] = r->customer;
	col[i++] = c->kind;
	col[i++] = r->item_name;
	col[i++] = r->serial;
	col[i++] = r->model;
	col[i++] = r->part_number;
	col[i++] = ent_status_str(v->status);
	col[i++] = c->status_ev;
	col[i++] = v->contract_id;
	col[i++] = v->service_level;
	col[i++] = c->cstart;
	col[i++] = c->cend;
	col[i++] = c->until;
	col[i++] = c->days_left;
	col[i++] = v->via_chassis;
	col[i++] = v->next_contract_id;
	col[i++] = c->next;
	col[i++] = c->wend;
	col[i++] = c->wmonths;
	col[i++] = v->warranty_unknown ? "yes" : "no";
	col[i++] = v->warranty_src;
	col[i++] = v->warranty_term_src;
	col[i++] = v->lifecycle_known ? "known" : "UNKNOWN";
	col[i++] = r->hw != NULL ? r->hw->src : NULL;
	col[i++] = c->eos;
	col[i++] = r->hw != NULL ? r->hw->replacement : NULL;
	col[i++] = r->kind != ENT_KIND_COMPONENT ? r->version : NULL;
	col[i++] = r->junos_train;
	col[i++] = r->sw != NULL ? r->sw->src : NULL;
	col[i++] = c->flags;
	col[i++] = fev;
	col[i++] = v->replaced_by;
	col[i++] = r->replaced_serial;
	col[i++] = v->lapsed_needs_reinstatement ? "yes" : "no";
	col[i++] = c->price;
	col[i++] = r->currency;
	col[i++] = r->first_seen;
	col[i++] = r->last_seen;
	for (i = 0; i < NCSV; i++)
		csv_cell(o->out, col[i], i == NCSV - 1);
	return (ferror(o->out) ? -1 : 0);
}

/*
 * JSON.  Strings from the database are UTF-8 (the scan sanitises,
 * the import validates): only quotes, backslashes and controls need
 * escaping.  "" prints as null.
 */
static void
json_s(FILE *out, const char *s)
{
	if (s == NULL || *s == '\0') {
		fputs("null", out);
		return;
	}
	putc('"', out);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fprintf(out, "\\u%04x", (unsigned int)(unsigned char)*s);
		else
			putc(*s, out);
	}
	putc('"', out);
}

static void
json_kv(FILE *out, const char *key, const char *s)
{
	fprintf(out, ",\"%s\":", key);
	json_s(out, s);
}

static void
json_num(FILE *out, const char *key, const char *s)
{
	fprintf(out, ",\"%s\":%s", key, s != NULL && *s != '\0' ? s : "null");
}

static int
json_row(struct cov_out *o, const struct cov_row *r, const struct cells *c)
{
	const struct ent_verdict	*v = &r->v;
	FILE				*out = o->out;
	unsigned int			 i;
	int				 first;

	fputs(o->nrows > 0 ? ",\n" : "\n", out);
	fputs("{\"address\":", out);
	json_s(out, r->address);
	json_kv(out, "hostname", r->hostname);
	json_kv(out, "device_model", r->device_model);
	json_kv(out, "device_serial", r->device_serial);
	json_kv(out, "site", r->site);
	json_kv(out, "customer", r->customer);
	json_kv(out, "kind", c->kind);
	json_kv(out, "item", r->item_name);
	json_kv(out, "serial", r->serial);
	json_kv(out, "model", r->model);
	json_kv(out, "part_number", r->part_number);
	json_kv(out, "status", ent_status_str(v->status));
	json_kv(out, "status_evidence", c->status_ev);
	json_kv(out, "contract_id", v->contract_id);
	json_kv(out, "service_level", v->service_level);
	json_kv(out, "contract_start", c->cstart);
	json_kv(out, "contract_end", c->cend);
	json_kv(out, "covered_until", c->until);
	json_num(out, "days_left", c->days_left);
	json_kv(out, "via_chassis", v->via_chassis);
	json_kv(out, "next_contract_id", v->next_contract_id);
	json_kv(out, "next_start", c->next);
	json_kv(out, "warranty_end", c->wend);
	json_num(out, "warranty_months", c->wmonths);
	fprintf(out, ",\"warranty_unknown\":%s",
	    v->warranty_unknown ? "true" : "false");
	json_kv(out, "warranty_evidence", v->warranty_src);
	json_kv(out, "warranty_term_evidence", v->warranty_term_src);
	json_kv(out, "lifecycle", v->lifecycle_known ? "known" : "UNKNOWN");
	json_kv(out, "lifecycle_evidence", r->hw != NULL ? r->hw->src : NULL);
	json_kv(out, "eos", c->eos);
	json_kv(out, "replacement", r->hw != NULL ? r->hw->replacement : NULL);
	json_kv(out, "junos_version", r->kind != ENT_KIND_COMPONENT ?
	    r->version : NULL);
	json_kv(out, "junos_train", r->junos_train);
	json_kv(out, "sw_evidence", r->sw != NULL ? r->sw->src : NULL);
	fputs(",\"flags\":[", out);
	for (i = 0, first = 1; i < ENT_NFLAGS; i++)
		if (c->flag_ev[i] != NULL) {
			fputs(first ? "" : ",", out);
			json_s(out, ent_flag_str(1u << i));
			first = 0;
		}
	fputs("],\"flag_evidence\":{", out);
	for (i = 0, first = 1; i < ENT_NFLAGS; i++)
		if (c->flag_ev[i] != NULL) {
			fprintf(out, "%s\"%s\":", first ? "" : ",",
			    ent_flag_str(1u << i));
			json_s(out, c->flag_ev[i]);
			first = 0;
		}
	putc('}', out);
	json_kv(out, "replaced_by", v->replaced_by);
	json_kv(out, "replaced_serial", r->replaced_serial);
	fprintf(out, ",\"lapsed_needs_reinstatement\":%s",
	    v->lapsed_needs_reinstatement ? "true" : "false");
	json_num(out, "price_cents", c->price);
	json_kv(out, "currency", r->currency);
	json_kv(out, "first_seen", r->first_seen);
	json_kv(out, "last_seen", r->last_seen);
	putc('}', out);
	return (ferror(out) ? -1 : 0);
}

static int
on_row(const struct cov_row *r, void *arg)
{
	struct cov_out	*o = arg;
	struct cells	 c;
	int		 rc = 0;

	cells_fill(r, &c);
	switch (o->fmt) {
	case FMT_TEXT:
		rc = text_row(o, r, &c);
		break;
	case FMT_CSV:
		rc = csv_row(o, r, &c);
		break;
	case FMT_JSON:
		rc = json_row(o, r, &c);
		break;
	}
	if (o->pass == 0 && r->v.status > 0 && r->v.status <= ENT_UNCOVERED)
		o->by_status[r->v.status]++;
	o->nrows++;
	return (rc == -1 ? 1 : 0);
}

/*
 * Output: stdout, or FILE written atomically (a temporary file in the
 * same directory, renamed over FILE when complete).  A FILE that exists
 * and is no regular file (/dev/null, a FIFO) is written directly.
 */
struct outfile {
	FILE		*fp;
	char		*tmp;		/* NULL: direct */
	const char	*path;
};

static int
out_open(struct outfile *f, const char *path)
{
	struct stat	 sb;
	size_t		 n;
	int		 fd;

	memset(f, 0, sizeof(*f));
	f->path = path;
	if (path == NULL || strcmp(path, "-") == 0) {
		f->fp = stdout;
		return (0);
	}
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		if ((f->fp = fopen(path, "w")) == NULL) {
			log_warn("%s", path);
			return (-1);
		}
		return (0);
	}
	n = strlen(path) + sizeof(".XXXXXX");
	if ((f->tmp = malloc(n)) == NULL) {
		log_warn("%s", path);
		return (-1);
	}
	snprintf(f->tmp, n, "%s.XXXXXX", path);
	if ((fd = mkstemp(f->tmp)) == -1) {
		log_warn("%s", f->tmp);
		free(f->tmp);
		f->tmp = NULL;
		return (-1);
	}
	(void)fchmod(fd, 0644 & ~umask(umask(0)));
	if ((f->fp = fdopen(fd, "w")) == NULL) {
		log_warn("%s", f->tmp);
		close(fd);
		unlink(f->tmp);
		free(f->tmp);
		f->tmp = NULL;
		return (-1);
	}
	return (0);
}

/* Finish the output; ok 0: abandon it (the temporary file goes). */
static int
out_close(struct outfile *f, int ok)
{
	int	 rc = 0;

	if (f->fp == NULL)
		return (-1);
	if (fflush(f->fp) == EOF || ferror(f->fp)) {
		log_warn("%s", f->path != NULL ? f->path : "stdout");
		rc = -1;
	}
	if (f->fp != stdout && fclose(f->fp) == EOF && rc == 0) {
		log_warn("%s", f->path);
		rc = -1;
	}
	if (f->tmp != NULL) {
		if (ok && rc == 0 && rename(f->tmp, f->path) == -1) {
			log_warn("%s", f->path);
			rc = -1;
		}
		if (!ok || rc == -1)
			unlink(f->tmp);
		free(f->tmp);
	}
	f->fp = NULL;
	return (rc);
}

/* Notes that keep an empty result from looking like a result. */
static size_t
notes_make(const struct cov_counts *n, const char *notes[4])
{
	size_t	 k = 0;

	if (n->items == 0)
		notes[k++] = "the install base has no serialized items: "
		    "run 'ibagent scan' first";
	if (n->contract_lines == 0)
		notes[k++] = "no contracts imported: no item can be COVERED "
		    "(ibagent import contracts FILE)";
	if (n->hw_rows == 0)
		notes[k++] = "no hw-lifecycle rows imported: lifecycle is "
		    "UNKNOWN for every item";
	if (n->reg_rows == 0 && n->cpo_rows == 0)
		notes[k++] = "no registrations or CPO records imported: "
		    "warranty is unknown for every item";
	return (k);
}

static int
parse_int(const char *s, int min, int max, int *out)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
		return (-1);
	*out = (int)v;
	return (0);
}

static void
text_head(struct cov_out *o, const struct cov_opts *co, int64_t total)
{
	char	 day[ENT_DAY_ISO_LEN];
	int	 s;
	size_t	 i;

	day_cell(co->as_of, day, sizeof(day));
	fprintf(o->out, "Coverage as of %s (window %d days, components %s): "
	    "%" PRId64 " item%s\n", day, co->policy.window_days,
	    co->policy.component == ENT_POLICY_OWN ? "own" : "inherit",
	    total, total == 1 ? "" : "s");
	for (s = ENT_UNSUPPORTABLE; s <= ENT_UNCOVERED; s++)
		fprintf(o->out, "  %-14s %8" PRId64 "\n", ent_status_str(s),
		    o->by_status[s]);
	if (total == 0)
		return;
	putc('\n', o->out);
	for (i = 0; i < 10; i++) {
		if (strlen(text_heads[i]) > o->w[i])
			o->w[i] = strlen(text_heads[i]);
		text_put(o->out, text_heads[i], i < 9 ? o->w[i] + 2 : 0);
	}
	putc('\n', o->out);
}

int
cmd_coverage(const char *dbpath, int argc, char **argv)
{
	enum { O_ASOF = 256, O_WINDOW, O_POLICY, O_FORMAT, O_SITE,
	    O_CUSTOMER, O_DEVICE, O_OUTPUT, O_HELP };
	static const struct option opts[] = {
		{ "as-of", required_argument, NULL, O_ASOF },
		{ "window", required_argument, NULL, O_WINDOW },
		{ "component-policy", required_argument, NULL, O_POLICY },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "site", required_argument, NULL, O_SITE },
		{ "customer", required_argument, NULL, O_CUSTOMER },
		{ "device", required_argument, NULL, O_DEVICE },
		{ "output", required_argument, NULL, O_OUTPUT },
		{ "help", no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 }
	};
	struct cov_opts		 co;
	struct cov_counts	 counts;
	struct cov_out		 o;
	struct outfile		 of;
	struct db		*db = NULL;
	const char		*output = NULL, *notes[4];
	char			 err[1024], day[ENT_DAY_ISO_LEN];
	size_t			 nnotes, i;
	int			 ch, rc = EXIT_USAGE, ret, opened = 0;

	memset(&co, 0, sizeof(co));
	memset(&o, 0, sizeof(o));
	ent_policy_init(&co.policy);
	co.as_of = (ent_day)(time(NULL) / 86400);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case O_ASOF:
			if (ent_day_parse(optarg, &co.as_of) == -1) {
				log_warnx("--as-of: '%s': want YYYY-MM-DD",
				    optarg);
				return (EXIT_USAGE);
			}
			break;
		case O_WINDOW:
			if (parse_int(optarg, 0, 36500,
			    &co.policy.window_days) == -1) {
				log_warnx("--window: '%s': want 0 to 36500 "
				    "days", optarg);
				return (EXIT_USAGE);
			}
			break;
		case O_POLICY:
			if (strcmp(optarg, "inherit") == 0)
				co.policy.component = ENT_POLICY_INHERIT;
			else if (strcmp(optarg, "own") == 0)
				co.policy.component = ENT_POLICY_OWN;
			else {
				log_warnx("--component-policy: '%s': want "
				    "inherit or own", optarg);
				return (EXIT_USAGE);
			}
			break;
		case O_FORMAT:
			if (strcmp(optarg, "text") == 0)
				o.fmt = FMT_TEXT;
			else if (strcmp(optarg, "csv") == 0)
				o.fmt = FMT_CSV;
			else if (strcmp(optarg, "json") == 0)
				o.fmt = FMT_JSON;
			else {
				log_warnx("--format: '%s': want text, csv or "
				    "json", optarg);
				return (EXIT_USAGE);
			}
			break;
		case O_SITE:
			co.site = optarg;
			break;
		case O_CUSTOMER:
			co.customer = optarg;
			break;
		case O_DEVICE:
			co.device = optarg;
			break;
		case O_OUTPUT:
			output = optarg;
			break;
		case O_HELP:
			fputs(usage, stdout);
			return (0);
		default:
			fputs(usage, stderr);
			return (EXIT_USAGE);
		}
	}
	if (optind != argc) {
		log_warnx("coverage: unexpected argument '%s'", argv[optind]);
		fputs(usage, stderr);
		return (EXIT_USAGE);
	}

	rc = 1;
	if ((db = db_open(dbpath, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return (1);
	}
	if (db_coverage_counts(db, &counts, err, sizeof(err)) == -1) {
		log_warnx("%s: %s", dbpath, err);
		goto done;
	}
	nnotes = notes_make(&counts, notes);
	for (i = 0; i < nnotes; i++)
		log_warnx("note: %s", notes[i]);
	if (out_open(&of, output) == -1)
		goto done;
	opened = 1;
	o.out = of.fp;
	day_cell(co.as_of, day, sizeof(day));

	if (o.fmt == FMT_TEXT) {
		if ((ret = db_coverage(db, &co, on_row, &o, err,
		    sizeof(err))) != 0)
			goto fail;
		text_head(&o, &co, o.nrows);
		o.pass = 1;
		o.nrows = 0;
	} else if (o.fmt == FMT_CSV) {
		for (i = 0; i < NCSV; i++)
			csv_cell(o.out, csv_heads[i], i == NCSV - 1);
	} else {
		fprintf(o.out, "{\"as_of\":\"%s\",\"window_days\":%d,"
		    "\"component_policy\":\"%s\",\"filters\":{\"site\":", day,
		    co.policy.window_days, co.policy.component ==
		    ENT_POLICY_OWN ? "own" : "inherit");
		json_s(o.out, co.site);
		json_kv(o.out, "customer", co.customer);
		json_kv(o.out, "device", co.device);
		fprintf(o.out, "},\"counts\":{\"items\":%" PRId64
		    ",\"contract_lines\":%" PRId64 ",\"hw_lifecycle\":%" PRId64
		    ",\"sw_lifecycle\":%" PRId64 ",\"cpo\":%" PRId64
		    ",\"registrations\":%" PRId64 ",\"warranty\":%" PRId64
		    "},\"notes\":[", counts.items, counts.contract_lines,
		    counts.hw_rows, counts.sw_rows, counts.cpo_rows,
		    counts.reg_rows, counts.warranty_rows);
		for (i = 0; i < nnotes; i++) {
			fputs(i > 0 ? "," : "", o.out);
			json_s(o.out, notes[i]);
		}
		fputs("],\"items\":[", o.out);
	}
	if ((ret = db_coverage(db, &co, on_row, &o, err, sizeof(err))) != 0)
		goto fail;
	if (o.fmt == FMT_JSON) {
		fputs("\n],\"totals\":{", o.out);
		for (i = ENT_UNSUPPORTABLE; i <= ENT_UNCOVERED; i++)
			fprintf(o.out, "%s\"%s\":%" PRId64, i > 1 ? "," : "",
			    ent_status_str((int)i), o.by_status[i]);
		fprintf(o.out, "},\"rows\":%" PRId64 "}\n", o.nrows);
	}
	opened = 0;
	if (out_close(&of, 1) == 0)
		rc = 0;
	goto done;
fail:
	if (ret == -1)
		log_warnx("%s: %s", dbpath, err);
	else
		log_warn("%s", output != NULL ? output : "stdout");
done:
	if (opened)
		(void)out_close(&of, 0);
	db_close(db);
	return (rc);
}
