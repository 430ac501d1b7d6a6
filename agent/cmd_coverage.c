/*
 * cmd_coverage.c: `ibagent coverage`.  One row per serialized item with
 * its status, the contract and service level that decided it, its flags
 * and, for the status and each flag, the evidence (the imported row
 * "file:line", or the scan that saw a replacement).  The rows come from
 * db_coverage() (db/coverage.h), which streams: text makes two passes
 * (totals and column widths first), CSV and JSON one.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../db/coverage.h"
#include "../db/db.h"
#include "cmd_coverage.h"
#include "log.h"
#include "outfile.h"

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

#define OUT_BUF	(64 * 1024)

/*
 * The output goes through a buffer of our own, written with one fwrite
 * when full: a row is some forty cells of a few bytes, and stdio's
 * per-call locking and formatting cost more than the verdict itself.
 */
struct cov_out {
	FILE		*out;
	int		 err;		/* a write failed (errno is set) */
	size_t		 blen;
	char		 buf[OUT_BUF];
	enum cov_fmt	 fmt;
	int		 pass;		/* text: 0 measure, 1 print */
	int64_t		 nrows;
	int64_t		 by_status[ENT_UNCOVERED + 1];
	size_t		 w[10];		/* text column widths */
};

static void
out_flush(struct cov_out *o)
{
	if (o->blen > 0 && !o->err &&
	    fwrite(o->buf, 1, o->blen, o->out) != o->blen)
		o->err = 1;
	o->blen = 0;
}

static void
out_write(struct cov_out *o, const char *s, size_t n)
{
	if (n > sizeof(o->buf) - o->blen) {
		out_flush(o);
		if (n > sizeof(o->buf)) {
			if (!o->err && fwrite(s, 1, n, o->out) != n)
				o->err = 1;
			return;
		}
	}
	memcpy(o->buf + o->blen, s, n);
	o->blen += n;
}

static void
out_puts(struct cov_out *o, const char *s)
{
	out_write(o, s, strlen(s));
}

static void
out_putc(struct cov_out *o, char c)
{
	if (o->blen == sizeof(o->buf))
		out_flush(o);
	o->buf[o->blen++] = c;
}

static void out_printf(struct cov_out *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* For the few lines outside the rows. */
static void
out_printf(struct cov_out *o, const char *fmt, ...)
{
	va_list	 ap;
	char	 line[512], *big;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0) {
		o->err = 1;
		return;
	}
	if ((size_t)n < sizeof(line)) {
		out_write(o, line, (size_t)n);
		return;
	}
	if ((big = malloc((size_t)n + 1)) == NULL) {
		o->err = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	out_write(o, big, (size_t)n);
	free(big);
}

/* A row's derived cells, shared by the three formats; never NULL. */
struct cells {
	const char	*kind;
	const char	*status_ev;
	const char	*contract;
	const char	*end;
	char	 status_buf[ENT_ID_LEN + 32];
	char	 contract_buf[ENT_ID_LEN + ENT_SERIAL_LEN + 8];
	char	 flags[256];
	char	 cstart[ENT_DAY_ISO_LEN], cend[ENT_DAY_ISO_LEN];
	char	 until[ENT_DAY_ISO_LEN], next[ENT_DAY_ISO_LEN];
	char	 wend[ENT_DAY_ISO_LEN], eos[ENT_DAY_ISO_LEN];
	char	 days_left[24], wmonths[24], price[24];
	const char *flag_ev[ENT_NFLAGS];
};

static const char *const kind_names[] = { "chassis", "member", "component" };

static void
day_cell(ent_day d, char *buf, size_t len)
{
	if (d == ENT_DAY_NONE || ent_day_format(d, buf, len) == -1)
		buf[0] = '\0';
}

/* v in decimal into buf (at least 21 bytes). */
static void
int_cell(int64_t v, char *buf)
{
	char		 tmp[24];
	size_t		 n = 0, i = 0;
	uint64_t	 u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		buf[i++] = '-';
	while (n > 0)
		buf[i++] = tmp[--n];
	buf[i] = '\0';
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

	c->kind = r->kind >= 0 && r->kind <= 2 ? kind_names[r->kind] : "?";
	if (v->status_src[0] != '\0')
		c->status_ev = v->status_src;
	else if (v->status == ENT_UNCOVERED && v->next_contract_id[0] != '\0') {
		snprintf(c->status_buf, sizeof(c->status_buf), "no line before "
		    "as-of; next: %s", v->next_contract_id);
		c->status_ev = c->status_buf;
	} else if (v->status == ENT_UNCOVERED)
		c->status_ev = "no contract line and no warranty";
	else
		c->status_ev = "";
	ent_flags_format(v->flags, c->flags, sizeof(c->flags));
	for (i = 0; i < ENT_NFLAGS; i++) {
		c->flag_ev[i] = NULL;
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
	if (v->via_chassis[0] != '\0') {
		snprintf(c->contract_buf, sizeof(c->contract_buf), "%s via %s",
		    v->contract_id[0] != '\0' ? v->contract_id : "-",
		    v->via_chassis);
		c->contract = c->contract_buf;
	} else
		c->contract = v->contract_id;
	day_cell(v->contract_start, c->cstart, sizeof(c->cstart));
	day_cell(v->contract_end, c->cend, sizeof(c->cend));
	day_cell(v->covered_until, c->until, sizeof(c->until));
	day_cell(v->next_start, c->next, sizeof(c->next));
	day_cell(v->warranty_end, c->wend, sizeof(c->wend));
	day_cell(r->hw != NULL ? r->hw->eos : ENT_DAY_NONE, c->eos,
	    sizeof(c->eos));
	switch (v->status) {
	case ENT_UNSUPPORTABLE:
		c->end = c->eos;
		break;
	case ENT_COVERED:
	case ENT_EXPIRING:
		c->end = c->until;
		break;
	case ENT_WARRANTY:
		c->end = c->wend;
		break;
	case ENT_LAPSED:
		c->end = c->cend;
		break;
	default:
		c->end = "";
		break;
	}
	c->days_left[0] = c->wmonths[0] = c->price[0] = '\0';
	if (v->days_left >= 0 && (v->status == ENT_COVERED ||
	    v->status == ENT_EXPIRING))
		int_cell(v->days_left, c->days_left);
	if (v->warranty_months > 0)
		int_cell(v->warranty_months, c->wmonths);
	if (r->price_cents >= 0)
		int_cell(r->price_cents, c->price);
}

/*
 * Text.
 */

/* Printable width of s; controls print as '?'. */
static void
text_put(struct cov_out *o, const char *s, size_t pad)
{
	size_t	 n = 0;

	for (; s != NULL && *s != '\0'; s++, n++)
		out_putc(o, (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
	for (; n < pad; n++)
		out_putc(o, ' ');
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
	for (i = 0; i < 10; i++)
		text_put(o, col[i], i < 9 ? o->w[i] + 2 : 0);
	out_putc(o, '\n');
	return (o->err ? -1 : 0);
}

/*
 * CSV (RFC 4180).  A cell that a spreadsheet would read as a formula
 * (= + - @ TAB CR first) gets a leading single quote.
 */
static void
csv_cell(struct cov_out *o, const char *s, int last)
{
	const char	*p;
	size_t		 n;
	int		 quote = 0;

	s = nz(s);
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' ||
	    *s == '\r')
		quote = 2;
	else if (s[n = strcspn(s, ",\"\n\r")] == '\0') {
		/* The common case: the cell as it is. */
		out_write(o, s, n);
		if (last)
			out_write(o, "\r\n", 2);
		else
			out_putc(o, ',');
		return;
	} else
		quote = 1;
	out_putc(o, '"');
	if (quote == 2)
		out_putc(o, '\'');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			out_putc(o, '"');
		out_putc(o, *p);
	}
	out_putc(o, '"');
	out_puts(o, last ? "\r\n" : ",");
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

/* Append s (length n) at buf + *off, cut to fit len; 0, -1 cut. */
static int
cat(char *buf, size_t len, size_t *off, const char *s, size_t n)
{
	int	 rc = 0;

	if (*off >= len)
		return (-1);
	if (n >= len - *off) {
		n = len - *off - 1;
		rc = -1;
	}
	memcpy(buf + *off, s, n);
	*off += n;
	buf[*off] = '\0';
	return (rc);
}

/* "EOL=hw.csv:3;UNREGISTERED=..." in flag order. */
static void
flag_evidence(const struct cells *c, char *buf, size_t len)
{
	const char	*name;
	size_t		 n = 0;
	unsigned int	 i;

	buf[0] = '\0';
	for (i = 0; i < ENT_NFLAGS; i++) {
		if (c->flag_ev[i] == NULL)
			continue;
		name = ent_flag_str(1u << i);
		if ((n > 0 && cat(buf, len, &n, ";", 1) == -1) ||
		    cat(buf, len, &n, name, strlen(name)) == -1 ||
		    cat(buf, len, &n, "=", 1) == -1 ||
		    cat(buf, len, &n, c->flag_ev[i], strlen(c->flag_ev[i])) ==
		    -1)
			break;
	}
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
		csv_cell(o, col[i], i == NCSV - 1);
	return (o->err ? -1 : 0);
}

/*
 * JSON.  Strings from the database are UTF-8 (the scan sanitises,
 * the import validates): only quotes, backslashes and controls need
 * escaping.  "" prints as null.
 */
static void
json_s(struct cov_out *o, const char *s)
{
	static const char	 hex[] = "0123456789abcdef";
	char			 esc[6] = { '\\', 'u', '0', '0', 0, 0 };
	const char		*run;

	if (s == NULL || *s == '\0') {
		out_write(o, "null", 4);
		return;
	}
	out_putc(o, '"');
	for (run = s; *s != '\0'; s++) {
		if (*s != '"' && *s != '\\' && (unsigned char)*s >= 0x20 &&
		    *s != 0x7f)
			continue;
		out_write(o, run, (size_t)(s - run));
		run = s + 1;
		if (*s == '"' || *s == '\\') {
			out_putc(o, '\\');
			out_putc(o, *s);
			continue;
		}
		esc[4] = hex[(unsigned char)*s >> 4];
		esc[5] = hex[(unsigned char)*s & 0xf];
		out_write(o, esc, sizeof(esc));
	}
	out_write(o, run, (size_t)(s - run));
	out_putc(o, '"');
}

/* ,"key": */
static void
json_key(struct cov_out *o, const char *key)
{
	out_write(o, ",\"", 2);
	out_puts(o, key);
	out_write(o, "\":", 2);
}

static void
json_kv(struct cov_out *o, const char *key, const char *s)
{
	json_key(o, key);
	json_s(o, s);
}

static void
json_num(struct cov_out *o, const char *key, const char *s)
{
	json_key(o, key);
	out_puts(o, s != NULL && *s != '\0' ? s : "null");
}

static int
json_row(struct cov_out *o, const struct cov_row *r, const struct cells *c)
{
	const struct ent_verdict	*v = &r->v;
	unsigned int			 i;
	int				 first;

	out_puts(o, o->nrows > 0 ? ",\n" : "\n");
	out_puts(o, "{\"address\":");
	json_s(o, r->address);
	json_kv(o, "hostname", r->hostname);
	json_kv(o, "device_model", r->device_model);
	json_kv(o, "device_serial", r->device_serial);
	json_kv(o, "site", r->site);
	json_kv(o, "customer", r->customer);
	json_kv(o, "kind", c->kind);
	json_kv(o, "item", r->item_name);
	json_kv(o, "serial", r->serial);
	json_kv(o, "model", r->model);
	json_kv(o, "part_number", r->part_number);
	json_kv(o, "status", ent_status_str(v->status));
	json_kv(o, "status_evidence", c->status_ev);
	json_kv(o, "contract_id", v->contract_id);
	json_kv(o, "service_level", v->service_level);
	json_kv(o, "contract_start", c->cstart);
	json_kv(o, "contract_end", c->cend);
	json_kv(o, "covered_until", c->until);
	json_num(o, "days_left", c->days_left);
	json_kv(o, "via_chassis", v->via_chassis);
	json_kv(o, "next_contract_id", v->next_contract_id);
	json_kv(o, "next_start", c->next);
	json_kv(o, "warranty_end", c->wend);
	json_num(o, "warranty_months", c->wmonths);
	json_num(o, "warranty_unknown", v->warranty_unknown ? "true" :
	    "false");
	json_kv(o, "warranty_evidence", v->warranty_src);
	json_kv(o, "warranty_term_evidence", v->warranty_term_src);
	json_kv(o, "lifecycle", v->lifecycle_known ? "known" : "UNKNOWN");
	json_kv(o, "lifecycle_evidence", r->hw != NULL ? r->hw->src : NULL);
	json_kv(o, "eos", c->eos);
	json_kv(o, "replacement", r->hw != NULL ? r->hw->replacement : NULL);
	json_kv(o, "junos_version", r->kind != ENT_KIND_COMPONENT ?
	    r->version : NULL);
	json_kv(o, "junos_train", r->junos_train);
	json_kv(o, "sw_evidence", r->sw != NULL ? r->sw->src : NULL);
	out_puts(o, ",\"flags\":[");
	for (i = 0, first = 1; i < ENT_NFLAGS; i++)
		if (c->flag_ev[i] != NULL) {
			if (!first)
				out_putc(o, ',');
			json_s(o, ent_flag_str(1u << i));
			first = 0;
		}
	out_puts(o, "],\"flag_evidence\":{");
	for (i = 0, first = 1; i < ENT_NFLAGS; i++)
		if (c->flag_ev[i] != NULL) {
			if (!first)
				out_putc(o, ',');
			out_putc(o, '"');
			out_puts(o, ent_flag_str(1u << i));
			out_write(o, "\":", 2);
			json_s(o, c->flag_ev[i]);
			first = 0;
		}
	out_putc(o, '}');
	json_kv(o, "replaced_by", v->replaced_by);
	json_kv(o, "replaced_serial", r->replaced_serial);
	json_num(o, "lapsed_needs_reinstatement",
	    v->lapsed_needs_reinstatement ? "true" : "false");
	json_num(o, "price_cents", c->price);
	json_kv(o, "currency", r->currency);
	json_kv(o, "first_seen", r->first_seen);
	json_kv(o, "last_seen", r->last_seen);
	out_putc(o, '}');
	return (o->err ? -1 : 0);
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
	out_printf(o, "Coverage as of %s (window %d days, components %s): "
	    "%" PRId64 " item%s\n", day, co->policy.window_days,
	    co->policy.component == ENT_POLICY_OWN ? "own" : "inherit",
	    total, total == 1 ? "" : "s");
	for (s = ENT_UNSUPPORTABLE; s <= ENT_UNCOVERED; s++)
		out_printf(o, "  %-14s %8" PRId64 "\n", ent_status_str(s),
		    o->by_status[s]);
	if (total == 0)
		return;
	out_putc(o, '\n');
	for (i = 0; i < 10; i++) {
		if (strlen(text_heads[i]) > o->w[i])
			o->w[i] = strlen(text_heads[i]);
		text_put(o, text_heads[i], i < 9 ? o->w[i] + 2 : 0);
	}
	out_putc(o, '\n');
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
	if (outfile_open(&of, output != NULL && strcmp(output, "-") != 0 ?
	    output : NULL, err, sizeof(err)) == NULL) {
		log_warnx("%s", err);
		goto done;
	}
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
			csv_cell(&o, csv_heads[i], i == NCSV - 1);
	} else {
		out_printf(&o, "{\"as_of\":\"%s\",\"window_days\":%d,"
		    "\"component_policy\":\"%s\",\"filters\":{\"site\":", day,
		    co.policy.window_days, co.policy.component ==
		    ENT_POLICY_OWN ? "own" : "inherit");
		json_s(&o, co.site);
		json_kv(&o, "customer", co.customer);
		json_kv(&o, "device", co.device);
		out_printf(&o, "},\"counts\":{\"items\":%" PRId64
		    ",\"contract_lines\":%" PRId64 ",\"hw_lifecycle\":%" PRId64
		    ",\"sw_lifecycle\":%" PRId64 ",\"cpo\":%" PRId64
		    ",\"registrations\":%" PRId64 ",\"warranty\":%" PRId64
		    "},\"notes\":[", counts.items, counts.contract_lines,
		    counts.hw_rows, counts.sw_rows, counts.cpo_rows,
		    counts.reg_rows, counts.warranty_rows);
		for (i = 0; i < nnotes; i++) {
			out_puts(&o, i > 0 ? "," : "");
			json_s(&o, notes[i]);
		}
		out_puts(&o, "],\"items\":[");
	}
	if ((ret = db_coverage(db, &co, on_row, &o, err, sizeof(err))) != 0)
		goto fail;
	if (o.fmt == FMT_JSON) {
		out_puts(&o, "\n],\"totals\":{");
		for (i = ENT_UNSUPPORTABLE; i <= ENT_UNCOVERED; i++)
			out_printf(&o, "%s\"%s\":%" PRId64, i > 1 ? "," : "",
			    ent_status_str((int)i), o.by_status[i]);
		out_printf(&o, "},\"rows\":%" PRId64 "}\n", o.nrows);
	}
	out_flush(&o);
	if (o.err) {
		ret = 1;
		goto fail;
	}
	opened = 0;
	if (outfile_close(&of, 1, err, sizeof(err)) == 0)
		rc = 0;
	else
		log_warnx("%s", err);
	goto done;
fail:
	if (ret == -1)
		log_warnx("%s: %s", dbpath, err);
	else
		log_warn("%s", output != NULL ? output : "stdout");
done:
	if (opened)
		(void)outfile_close(&of, 0, err, sizeof(err));
	db_close(db);
	return (rc);
}
