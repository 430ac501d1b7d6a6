/*
 * csv.c: the RFC 4180 reader of csv.h.  One byte-at-a-time state
 * machine owns the record being built (one growing buffer of
 * NUL-terminated fields plus their offsets); line counting, BOM
 * skipping and UTF-8 validation run in front of it on every byte, so
 * chunk boundaries can fall anywhere, even inside a CRLF, a BOM or a
 * multi-byte character.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

enum csv_state {
	ST_REC_START,	/* between records: blank lines are skipped */
	ST_FIELD_START,	/* at the first byte of a field */
	ST_LEAD_BLANK,	/* only blanks so far: a quote may still open */
	ST_UNQUOTED,
	ST_QUOTED,
	ST_QUOTE,	/* a quote inside a quoted field: "" or the end */
	ST_AFTER_QUOTE	/* after the closing quote: only blanks */
};

#define READ_CHUNK	(64 * 1024)

static const unsigned char	 bom_bytes[3] = { 0xef, 0xbb, 0xbf };

static void
fail(struct csv_reader *r, char *err, size_t errlen, unsigned long line,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Record the first error; the reader refuses all input after it. */
static void
fail(struct csv_reader *r, char *err, size_t errlen, unsigned long line,
    const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	r->failed = 1;
	if (errlen == 0)
		return;
	if (line > 0)
		n = snprintf(err, errlen, "%s:%lu: ", r->name, line);
	else
		n = snprintf(err, errlen, "%s: ", r->name);
	if (n < 0 || (size_t)n >= errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

/* Out of memory: a failure of the machine, not of the input. */
static void
nomem(struct csv_reader *r, char *err, size_t errlen)
{
	fail(r, err, errlen, 0, "out of memory");
	r->syserr = 1;
}

void
csv_reader_init(struct csv_reader *r, const char *name,
    const struct csv_limits *lim, csv_record_cb *cb, void *arg)
{
	memset(r, 0, sizeof(*r));
	r->name = name != NULL ? name : "-";
	if (lim != NULL)
		r->lim = *lim;
	if (r->lim.field_max == 0)
		r->lim.field_max = CSV_FIELD_MAX;
	if (r->lim.fields_max == 0)
		r->lim.fields_max = CSV_FIELDS_MAX;
	if (r->lim.lines_max == 0)
		r->lim.lines_max = CSV_LINES_MAX;
	r->cb = cb;
	r->arg = arg;
	r->state = ST_REC_START;
	r->line = 1;
}

void
csv_reader_clear(struct csv_reader *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r->offs);
	free(r->ptrs);
	free(r->lens);
	r->buf = NULL;
	r->offs = NULL;
	r->ptrs = NULL;
	r->lens = NULL;
	r->len = r->cap = r->noffs = r->capoffs = r->capptrs = 0;
}

int
csv_reader_syserr(const struct csv_reader *r)
{
	return (r->syserr);
}

unsigned long
csv_reader_records(const struct csv_reader *r)
{
	return (r->nrecords);
}

/* Make room for n more bytes in the record buffer. */
static int
reserve(struct csv_reader *r, size_t n, char *err, size_t errlen)
{
	char	*nb;
	size_t	 ncap;

	if (r->cap - r->len >= n)
		return (0);
	ncap = r->cap == 0 ? 256 : r->cap;
	while (ncap - r->len < n)
		ncap *= 2;
	if ((nb = realloc(r->buf, ncap)) == NULL) {
		nomem(r, err, errlen);
		return (-1);
	}
	r->buf = nb;
	r->cap = ncap;
	return (0);
}

/*
 * Append one byte to the current field.  The field cap is checked here,
 * so the buffer never holds more than fields_max * (field_max + 1).
 */
static int
put(struct csv_reader *r, unsigned char c, unsigned long line, char *err,
    size_t errlen)
{
	if (r->len - r->field_start >= r->lim.field_max) {
		fail(r, err, errlen, line, "field longer than %zu bytes",
		    r->lim.field_max);
		return (-1);
	}
	if (reserve(r, 1, err, errlen) == -1)
		return (-1);
	r->buf[r->len++] = (char)c;
	return (0);
}

/* Close the current field: NUL-terminate it and remember where it is. */
static int
end_field(struct csv_reader *r, unsigned long line, char *err, size_t errlen)
{
	size_t	*no;
	size_t	 ncap;

	if (r->noffs >= r->lim.fields_max) {
		fail(r, err, errlen, line, "more than %zu fields in a record",
		    r->lim.fields_max);
		return (-1);
	}
	if (reserve(r, 1, err, errlen) == -1)
		return (-1);
	r->buf[r->len++] = '\0';
	if (r->noffs == r->capoffs) {
		ncap = r->capoffs == 0 ? 16 : r->capoffs * 2;
		if ((no = reallocarray(r->offs, ncap, sizeof(*no))) == NULL) {
			nomem(r, err, errlen);
			return (-1);
		}
		r->offs = no;
		r->capoffs = ncap;
	}
	r->offs[r->noffs++] = r->field_start;
	r->field_start = r->len;
	return (0);
}

/* Close the current field and the record, and hand it over. */
static int
end_record(struct csv_reader *r, unsigned long line, char *err,
    size_t errlen)
{
	struct csv_record	 rec;
	const char		**np;
	size_t			*nl;
	size_t			 i;

	if (end_field(r, line, err, errlen) == -1)
		return (-1);
	if (r->noffs > r->capptrs) {
		if ((np = reallocarray(r->ptrs, r->capoffs,
		    sizeof(*np))) == NULL) {
			nomem(r, err, errlen);
			return (-1);
		}
		r->ptrs = np;
		if ((nl = reallocarray(r->lens, r->capoffs,
		    sizeof(*nl))) == NULL) {
			nomem(r, err, errlen);
			return (-1);
		}
		r->lens = nl;
		r->capptrs = r->capoffs;
	}
	for (i = 0; i < r->noffs; i++) {
		r->ptrs[i] = r->buf + r->offs[i];
		r->lens[i] = (i + 1 < r->noffs ? r->offs[i + 1] : r->len) -
		    r->offs[i] - 1;
	}
	rec.line = r->rec_line;
	rec.nfields = r->noffs;
	rec.fields = r->ptrs;
	rec.lens = r->lens;
	r->nrecords++;
	r->len = r->field_start = r->noffs = 0;
	r->state = ST_REC_START;
	if (r->cb != NULL && r->cb(&rec, r->arg, err, errlen) == -1) {
		r->failed = 1;
		return (-1);
	}
	return (0);
}

/*
 * UTF-8 well-formedness (Unicode 15, table 3-7): returns 0 if c may
 * come next, -1 if not.  The state survives chunk boundaries.
 */
static int
utf8_ok(struct csv_reader *r, unsigned char c)
{
	if (r->u8need > 0) {
		if (c < r->u8lo || c > r->u8hi)
			return (-1);
		r->u8need--;
		r->u8lo = 0x80;
		r->u8hi = 0xbf;
		return (0);
	}
	if (c < 0x80)
		return (0);
	r->u8lo = 0x80;
	r->u8hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf)
		r->u8need = 1;
	else if (c == 0xe0) {
		r->u8need = 2;
		r->u8lo = 0xa0;		/* no overlong forms */
	} else if (c == 0xed) {
		r->u8need = 2;
		r->u8hi = 0x9f;		/* no UTF-16 surrogates */
	} else if (c >= 0xe1 && c <= 0xef)
		r->u8need = 2;
	else if (c == 0xf0) {
		r->u8need = 3;
		r->u8lo = 0x90;
	} else if (c >= 0xf1 && c <= 0xf3)
		r->u8need = 3;
	else if (c == 0xf4) {
		r->u8need = 3;
		r->u8hi = 0x8f;		/* nothing above U+10FFFF */
	} else
		return (-1);
	return (0);
}

static int
is_blank(unsigned char c)
{
	return (c == ' ' || c == '\t');
}

static int
is_eol(unsigned char c)
{
	return (c == '\r' || c == '\n');
}

/* One byte of input, after the BOM has been dealt with. */
static int
step(struct csv_reader *r, unsigned char c, char *err, size_t errlen)
{
	unsigned long	 line;

	/* The LF of a CRLF belongs to the line its CR ended. */
	line = (c == '\n' && r->prev_cr) ? r->line - 1 : r->line;
	if (c == '\n') {
		if (!r->prev_cr)
			r->line++;
	} else if (c == '\r')
		r->line++;
	r->prev_cr = (c == '\r');

	if (line > r->lim.lines_max) {
		fail(r, err, errlen, line, "more than %lu lines",
		    r->lim.lines_max);
		return (-1);
	}
	if (c == '\0') {
		fail(r, err, errlen, line, "NUL byte");
		return (-1);
	}
	if (utf8_ok(r, c) == -1) {
		fail(r, err, errlen, line, "invalid UTF-8");
		return (-1);
	}

	switch (r->state) {
	case ST_REC_START:
		if (is_eol(c))
			return (0);
		r->rec_line = line;
		r->state = ST_FIELD_START;
		/* FALLTHROUGH */
	case ST_FIELD_START:
	case ST_LEAD_BLANK:
		if (c == '"') {
			r->len = r->field_start;	/* drop the blanks */
			r->quote_line = line;
			r->state = ST_QUOTED;
			return (0);
		}
		if (c == ',') {
			r->state = ST_FIELD_START;
			return (end_field(r, line, err, errlen));
		}
		if (is_eol(c))
			return (end_record(r, line, err, errlen));
		r->state = is_blank(c) ? ST_LEAD_BLANK : ST_UNQUOTED;
		return (put(r, c, line, err, errlen));
	case ST_UNQUOTED:
		if (c == '"') {
			fail(r, err, errlen, line, "quote in unquoted field");
			return (-1);
		}
		if (c == ',') {
			r->state = ST_FIELD_START;
			return (end_field(r, line, err, errlen));
		}
		if (is_eol(c))
			return (end_record(r, line, err, errlen));
		return (put(r, c, line, err, errlen));
	case ST_QUOTED:
		if (c == '"') {
			r->state = ST_QUOTE;
			return (0);
		}
		return (put(r, c, line, err, errlen));
	case ST_QUOTE:
		if (c == '"') {
			r->state = ST_QUOTED;
			return (put(r, c, line, err, errlen));
		}
		/* FALLTHROUGH */
	case ST_AFTER_QUOTE:
		if (c == ',') {
			r->state = ST_FIELD_START;
			return (end_field(r, line, err, errlen));
		}
		if (is_eol(c))
			return (end_record(r, line, err, errlen));
		if (is_blank(c)) {
			r->state = ST_AFTER_QUOTE;
			return (0);
		}
		fail(r, err, errlen, line, "text after closing quote");
		return (-1);
	}
	return (0);
}

/* Pass on the BOM bytes matched so far: they were not a BOM after all. */
static int
bom_replay(struct csv_reader *r, char *err, size_t errlen)
{
	int	 i, n = r->bom;

	r->bom = 3;
	for (i = 0; i < n; i++)
		if (step(r, bom_bytes[i], err, errlen) == -1)
			return (-1);
	return (0);
}

int
csv_reader_feed(struct csv_reader *r, const void *buf, size_t len,
    char *err, size_t errlen)
{
	const unsigned char	*p = buf;
	size_t			 i;

	if (r->failed) {
		snprintf(err, errlen, "%s: reader stopped by an earlier error",
		    r->name);
		return (-1);
	}
	for (i = 0; i < len; i++) {
		if (r->bom < 3) {
			if (p[i] == bom_bytes[r->bom]) {
				r->bom++;
				continue;
			}
			if (bom_replay(r, err, errlen) == -1)
				return (-1);
		}
		if (step(r, p[i], err, errlen) == -1)
			return (-1);
	}
	return (0);
}

int
csv_reader_finish(struct csv_reader *r, char *err, size_t errlen)
{
	unsigned long	 last;

	if (r->failed) {
		snprintf(err, errlen, "%s: reader stopped by an earlier error",
		    r->name);
		return (-1);
	}
	if (r->bom > 0 && r->bom < 3 && bom_replay(r, err, errlen) == -1)
		return (-1);
	/*
	 * Outside ST_REC_START and ST_QUOTED the last byte was no line end,
	 * so r->line is still its line; a cut UTF-8 sequence ends in a
	 * lead or continuation byte, never a line end.
	 */
	last = r->line;
	if (r->u8need > 0) {
		fail(r, err, errlen, last, "invalid UTF-8");
		return (-1);
	}
	switch (r->state) {
	case ST_REC_START:
		return (0);
	case ST_QUOTED:
		fail(r, err, errlen, r->quote_line,
		    "unterminated quoted field");
		return (-1);
	default:
		return (end_record(r, last, err, errlen));
	}
}

int
csv_reader_read(struct csv_reader *r, FILE *fp, char *err, size_t errlen)
{
	char	*buf;
	size_t	 n;
	int	 rc = -1;

	if ((buf = malloc(READ_CHUNK)) == NULL) {
		nomem(r, err, errlen);
		return (-1);
	}
	while ((n = fread(buf, 1, READ_CHUNK, fp)) > 0)
		if (csv_reader_feed(r, buf, n, err, errlen) == -1)
			goto done;
	if (ferror(fp)) {
		fail(r, err, errlen, 0, "%s", strerror(errno));
		r->syserr = 1;
		goto done;
	}
	rc = csv_reader_finish(r, err, errlen);
done:
	free(buf);
	return (rc);
}
