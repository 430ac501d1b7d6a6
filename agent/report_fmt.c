/*
 * report_fmt.c: documents of typed tables rendered as text, CSV, JSON or
 * one self-contained HTML page (report_fmt.h).
 *
 * Every value may come from a device or an imported file, so nothing is
 * trusted: each format has one escaper that every cell goes through,
 * invalid UTF-8 never reaches the output (text and CSV print '?', JSON
 * \ufffd, HTML U+FFFD), and text output replaces controls so a hostile
 * sysDescr cannot drive the terminal.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../collector/utf8.h"
#include "report_fmt.h"

#define TEXT_MAXW	48	/* a text column is never padded wider */
#define CHART_MAXBARS	40	/* bars drawn; the table has them all */

struct rtable {
	struct rdoc		*doc;
	char			*id;
	char			*title;
	const struct rcol	*cols;
	size_t			 ncols;
	size_t			 nrows;
	size_t			*width;		/* text: widest cell, capped */
	FILE			*spool;		/* rows: len32 + bytes */
	struct rtable		*next;
};

struct rdoc {
	enum rfmt	 fmt;
	char		*report;
	char		*title;
	char		**fact;		/* key, value, key, value... */
	size_t		 nfact;
	char		**note;
	size_t		 nnote;
	int		 empty;
	struct rtable	*tables;
	struct rtable	**tail;
	struct rchart	*chart;
	size_t		 nchart;
	int		 failed;	/* a spool write failed */
};

/* A row read back from a spool; cells point into buf. */
struct rrow {
	char		*buf;
	size_t		 cap;
	const char	**cell;
	size_t		 ncell;		/* cells allocated */
	size_t		*at;		/* offsets of the cells in buf */
};

#define NULL_LEN	0xffffffffu

/* A JSON number (RFC 8259 grammar); anything else renders as null. */
static int
is_number(const char *s)
{
	const char	*p = s;

	if (s == NULL)
		return (0);
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return (0);
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return (0);
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return (*p == '\0');
}

int
rfmt_parse(const char *s, enum rfmt *f)
{
	static const char *const names[] = { "text", "csv", "json", "html" };
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0) {
			*f = (enum rfmt)i;
			return (0);
		}
	return (-1);
}

struct rdoc *
rdoc_new(enum rfmt fmt, const char *report, const char *title)
{
	struct rdoc	*d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return (NULL);
	d->fmt = fmt;
	d->tail = &d->tables;
	if ((d->report = strdup(report)) == NULL ||
	    (d->title = strdup(title)) == NULL) {
		rdoc_free(d);
		return (NULL);
	}
	return (d);
}

void
rdoc_free(struct rdoc *d)
{
	struct rtable	*t, *next;
	size_t		 i;

	if (d == NULL)
		return;
	for (t = d->tables; t != NULL; t = next) {
		next = t->next;
		if (t->spool != NULL)
			fclose(t->spool);
		free(t->id);
		free(t->title);
		free(t->width);
		free(t);
	}
	for (i = 0; i < d->nfact; i++)
		free(d->fact[i]);
	for (i = 0; i < d->nnote; i++)
		free(d->note[i]);
	free(d->fact);
	free(d->note);
	free(d->chart);
	free(d->report);
	free(d->title);
	free(d);
}

/* Append a copy of s (NULL stays NULL) to the array *v of *n. */
static int
push(char ***v, size_t *n, const char *s)
{
	char	**nv, *c = NULL;

	if (s != NULL && (c = strdup(s)) == NULL)
		return (-1);
	if ((nv = reallocarray(*v, *n + 1, sizeof(**v))) == NULL) {
		free(c);
		return (-1);
	}
	nv[(*n)++] = c;
	*v = nv;
	return (0);
}

int
rdoc_fact(struct rdoc *d, const char *key, const char *value)
{
	if (push(&d->fact, &d->nfact, key) == -1)
		return (-1);
	if (push(&d->fact, &d->nfact, value) == -1) {
		free(d->fact[--d->nfact]);
		return (-1);
	}
	return (0);
}

int
rdoc_note(struct rdoc *d, const char *fmt, ...)
{
	va_list	 ap;
	char	 buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return (push(&d->note, &d->nnote, buf));
}

void
rdoc_set_empty(struct rdoc *d)
{
	d->empty = 1;
}

struct rtable *
rdoc_table(struct rdoc *d, const char *id, const char *title,
    const struct rcol *cols, size_t ncols)
{
	struct rtable	*t;
	size_t		 i;

	if (ncols == 0 || ncols > 64 || (t = calloc(1, sizeof(*t))) == NULL)
		return (NULL);
	t->doc = d;
	t->cols = cols;
	t->ncols = ncols;
	if ((t->id = strdup(id)) == NULL ||
	    (t->title = strdup(title)) == NULL ||
	    (t->width = calloc(ncols, sizeof(*t->width))) == NULL ||
	    (t->spool = tmpfile()) == NULL) {
		if (t->spool != NULL)
			fclose(t->spool);
		free(t->id);
		free(t->title);
		free(t->width);
		free(t);
		return (NULL);
	}
	for (i = 0; i < ncols; i++)
		t->width[i] = rfmt_text_width(cols[i].title);
	*d->tail = t;
	d->tail = &t->next;
	return (t);
}

int
rtable_row(struct rtable *t, const char *const *cells)
{
	uint32_t	len;
	size_t		i, w;

	for (i = 0; i < t->ncols; i++) {
		len = cells[i] == NULL ? NULL_LEN : (uint32_t)strlen(cells[i]);
		if (fwrite(&len, sizeof(len), 1, t->spool) != 1 ||
		    (len != NULL_LEN && len > 0 &&
		    fwrite(cells[i], 1, len, t->spool) != len)) {
			t->doc->failed = 1;
			return (-1);
		}
		if (t->doc->fmt == RF_TEXT) {
			w = rfmt_text_width(cells[i]);
			if (w > TEXT_MAXW)
				w = TEXT_MAXW;
			if (w > t->width[i])
				t->width[i] = w;
		}
	}
	t->nrows++;
	return (0);
}

void
rtable_to_end(struct rtable *t)
{
	struct rdoc	*d = t->doc;
	struct rtable	**pp;

	for (pp = &d->tables; *pp != NULL; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	t->next = NULL;
	for (pp = &d->tables; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = t;
	d->tail = &t->next;
}

size_t
rtable_nrows(const struct rtable *t)
{
	return (t->nrows);
}

int
rdoc_chart(struct rdoc *d, const struct rchart *c)
{
	struct rchart	*nc;

	if ((nc = reallocarray(d->chart, d->nchart + 1, sizeof(*nc))) == NULL)
		return (-1);
	nc[d->nchart++] = *c;
	d->chart = nc;
	return (0);
}

/* Start reading t's rows from the first. */
static int
spool_rewind(struct rtable *t)
{
	if (fflush(t->spool) == EOF)
		return (-1);
	return (fseek(t->spool, 0, SEEK_SET));
}

/* The next row of t into r; 1 a row, 0 the end, -1 an error. */
static int
spool_next(struct rtable *t, struct rrow *r)
{
	uint32_t	 len;
	size_t		 i, off = 0, need, *at;
	char		*nb;

	if (r->ncell < t->ncols) {
		free(r->cell);
		free(r->at);
		r->ncell = 0;
		r->at = NULL;
		if ((r->cell = calloc(t->ncols, sizeof(*r->cell))) == NULL ||
		    (r->at = calloc(t->ncols, sizeof(*r->at))) == NULL)
			return (-1);
		r->ncell = t->ncols;
	}
	at = r->at;
	for (i = 0; i < t->ncols; i++) {
		if (fread(&len, sizeof(len), 1, t->spool) != 1)
			return (i == 0 && feof(t->spool) ? 0 : -1);
		if (len == NULL_LEN) {
			at[i] = SIZE_MAX;
			continue;
		}
		need = off + len + 1;
		if (need > r->cap) {
			if ((nb = realloc(r->buf, need * 2)) == NULL)
				return (-1);
			r->buf = nb;
			r->cap = need * 2;
		}
		if (len > 0 && fread(r->buf + off, 1, len, t->spool) != len)
			return (-1);
		r->buf[off + len] = '\0';
		at[i] = off;
		off += len + 1;
	}
	/* Pointers only now: the buffer may have moved above. */
	for (i = 0; i < t->ncols; i++)
		r->cell[i] = at[i] == SIZE_MAX ? NULL : r->buf + at[i];
	return (1);
}

static void
rrow_clear(struct rrow *r)
{
	free(r->buf);
	free(r->cell);
	free(r->at);
	memset(r, 0, sizeof(*r));
}

/* Escapers. */

void
rfmt_csv_cell(FILE *out, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, i, len;
	uint32_t		 c;
	int			 quote = 0;

	if (s == NULL)
		return;
	n = strlen(s);
	/* The common cell: printable ASCII, nothing to quote or neutralise. */
	for (i = 0; i < n && p[i] >= 0x20 && p[i] < 0x7f && p[i] != ',' &&
	    p[i] != '"'; i++)
		;
	if (i == n && (n == 0 || (s[0] != ' ' && s[n - 1] != ' ' &&
	    strchr("=+-@", s[0]) == NULL))) {
		fwrite(s, 1, n, out);
		return;
	}
	if (strpbrk(s, ",\"\r\n") != NULL ||
	    (n > 0 && (s[0] == ' ' || s[n - 1] == ' ')))
		quote = 1;
	if (quote)
		putc('"', out);
	/* A formula for a spreadsheet: make it text. */
	if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
	    s[0] == '\t' || s[0] == '\r')
		putc('\'', out);
	for (i = 0; i < n; i += len) {
		if ((len = utf8_next(p + i, n - i, &c)) == 0) {
			putc('?', out);
			len = 1;
		} else if (c == '"')
			fputs("\"\"", out);
		else
			fwrite(p + i, 1, len, out);
	}
	if (quote)
		putc('"', out);
}

void
rfmt_json_str(FILE *out, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, i, len;
	uint32_t		 c;

	if (s == NULL) {
		fputs("null", out);
		return;
	}
	n = strlen(s);
	putc('"', out);
	for (i = 0; i < n; i += len) {
		if ((len = utf8_next(p + i, n - i, &c)) == 0) {
			fputs("\\ufffd", out);
			len = 1;
			continue;
		}
		if (c == '"')
			fputs("\\\"", out);
		else if (c == '\\')
			fputs("\\\\", out);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\r')
			fputs("\\r", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029)
			fprintf(out, "\\u%04x", (unsigned int)c);
		else if (c == '<')
			fputs("\\u003c", out);	/* safe inside <script> too */
		else
			fwrite(p + i, 1, len, out);
	}
	putc('"', out);
}

void
rfmt_html_str(FILE *out, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, i, len;
	uint32_t		 c;

	if (s == NULL)
		return;
	n = strlen(s);
	for (i = 0; i < n; i += len) {
		if ((len = utf8_next(p + i, n - i, &c)) == 0) {
			fputs("&#xfffd;", out);
			len = 1;
			continue;
		}
		switch (c) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			if ((c < 0x20 && c != '\n' && c != '\t') ||
			    (c >= 0x7f && c < 0xa0))
				fputs("&#xfffd;", out);
			else
				fwrite(p + i, 1, len, out);
		}
	}
}

size_t
rfmt_text_width(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, i, len, w = 0;
	uint32_t		 c;

	if (s == NULL || *s == '\0')
		return (1);		/* "-" */
	n = strlen(s);
	for (i = 0; i < n; i += len, w++)
		if ((len = utf8_next(p + i, n - i, &c)) == 0)
			len = 1;
	return (w);
}

void
rfmt_text_cell(FILE *out, const char *s, size_t width, int right)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, i, len, w;
	uint32_t		 c;

	w = rfmt_text_width(s);
	for (; right && w < width; w++)
		putc(' ', out);
	if (s == NULL || *s == '\0')
		putc('-', out);
	n = s == NULL ? 0 : strlen(s);
	for (i = 0; i < n; i += len) {
		if ((len = utf8_next(p + i, n - i, &c)) == 0) {
			putc('?', out);
			len = 1;
		} else if (c < 0x20 || (c >= 0x7f && c < 0xa0))
			putc('?', out);
		else
			fwrite(p + i, 1, len, out);
	}
	for (; !right && w < width; w++)
		putc(' ', out);
}

/* Rendering. */

static const char *
fact_value(const struct rdoc *d, const char *key)
{
	size_t	i;

	for (i = 0; i + 1 < d->nfact; i += 2)
		if (strcmp(d->fact[i], key) == 0)
			return (d->fact[i + 1]);
	return (NULL);
}

static int
render_text(struct rdoc *d, FILE *out)
{
	struct rtable	*t;
	struct rrow	 r;
	size_t		 i, j;
	int		 rc;

	memset(&r, 0, sizeof(r));
	fprintf(out, "%s\n", d->title);
	for (i = 0; i + 1 < d->nfact; i += 2)
		if (d->fact[i + 1] != NULL) {
			fprintf(out, "  %s: ", d->fact[i]);
			rfmt_text_cell(out, d->fact[i + 1], 0, 0);
			putc('\n', out);
		}
	for (i = 0; i < d->nnote; i++) {
		fputs("NOTE: ", out);
		rfmt_text_cell(out, d->note[i], 0, 0);
		putc('\n', out);
	}
	for (t = d->tables; t != NULL; t = t->next) {
		fprintf(out, "\n%s", t->title);
		fprintf(out, " (%zu row%s)\n", t->nrows,
		    t->nrows == 1 ? "" : "s");
		if (t->nrows == 0) {
			fputs("  (none)\n", out);
			continue;
		}
		for (j = 0; j < t->ncols; j++) {
			if (j > 0)
				fputs("  ", out);
			rfmt_text_cell(out, t->cols[j].title,
			    j + 1 == t->ncols && t->cols[j].type != RC_NUM ?
			    0 : t->width[j], t->cols[j].type == RC_NUM);
		}
		putc('\n', out);
		for (j = 0; j < t->ncols; j++) {
			if (j > 0)
				fputs("  ", out);
			for (i = 0; i < t->width[j]; i++)
				putc('-', out);
		}
		putc('\n', out);
		if (spool_rewind(t) == -1)
			goto fail;
		while ((rc = spool_next(t, &r)) == 1) {
			for (j = 0; j < t->ncols; j++) {
				if (j > 0)
					fputs("  ", out);
				rfmt_text_cell(out, r.cell[j],
				    j + 1 == t->ncols &&
				    t->cols[j].type != RC_NUM ? 0 :
				    t->width[j], t->cols[j].type == RC_NUM);
			}
			putc('\n', out);
		}
		if (rc == -1)
			goto fail;
	}
	rrow_clear(&r);
	return (0);
fail:
	rrow_clear(&r);
	return (-1);
}

static int
render_csv(struct rdoc *d, FILE *out, struct rtable *t)
{
	struct rrow	 r;
	size_t		 j;
	int		 rc;

	(void)d;
	memset(&r, 0, sizeof(r));
	for (j = 0; j < t->ncols; j++) {
		if (j > 0)
			putc(',', out);
		rfmt_csv_cell(out, t->cols[j].key);
	}
	fputs("\r\n", out);
	if (spool_rewind(t) == -1)
		return (-1);
	while ((rc = spool_next(t, &r)) == 1) {
		for (j = 0; j < t->ncols; j++) {
			if (j > 0)
				putc(',', out);
			/* Numbers were checked: "-3" is not a formula. */
			if (t->cols[j].type == RC_NUM)
				fputs(is_number(r.cell[j]) ? r.cell[j] : "",
				    out);
			else
				rfmt_csv_cell(out, r.cell[j]);
		}
		fputs("\r\n", out);
	}
	rrow_clear(&r);
	return (rc);
}

static void
json_value(FILE *out, const struct rcol *c, const char *v)
{
	if (c->type == RC_NUM)
		fputs(is_number(v) ? v : "null", out);
	else
		rfmt_json_str(out, v);
}

static int
render_json(struct rdoc *d, FILE *out)
{
	struct rtable	*t;
	struct rrow	 r;
	size_t		 i, j;
	int		 rc, first;

	memset(&r, 0, sizeof(r));
	fputs("{\"report\": ", out);
	rfmt_json_str(out, d->report);
	fputs(", \"title\": ", out);
	rfmt_json_str(out, d->title);
	for (i = 0; i + 1 < d->nfact; i += 2) {
		fputs(", ", out);
		rfmt_json_str(out, d->fact[i]);
		fputs(": ", out);
		rfmt_json_str(out, d->fact[i + 1]);
	}
	fprintf(out, ", \"empty\": %s, \"notes\": [",
	    d->empty ? "true" : "false");
	for (i = 0; i < d->nnote; i++) {
		if (i > 0)
			fputs(", ", out);
		rfmt_json_str(out, d->note[i]);
	}
	putc(']', out);
	for (t = d->tables; t != NULL; t = t->next) {
		fputs(",\n", out);
		rfmt_json_str(out, t->id);
		fputs(": [", out);
		if (spool_rewind(t) == -1)
			goto fail;
		first = 1;
		while ((rc = spool_next(t, &r)) == 1) {
			fputs(first ? "\n {" : ",\n {", out);
			first = 0;
			for (j = 0; j < t->ncols; j++) {
				if (j > 0)
					fputs(", ", out);
				rfmt_json_str(out, t->cols[j].key);
				fputs(": ", out);
				json_value(out, &t->cols[j], r.cell[j]);
			}
			putc('}', out);
		}
		if (rc == -1)
			goto fail;
		fputs(first ? "]" : "\n]", out);
	}
	fputs("}\n", out);
	rrow_clear(&r);
	return (0);
fail:
	rrow_clear(&r);
	return (-1);
}

static const char html_head[] =
"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
"style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";

static const char html_style[] =
"<style>\n"
"body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
"margin:24px 32px;color:#1d2733;background:#fff}\n"
"h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:28px 0 8px}\n"
"dl.facts{display:flex;flex-wrap:wrap;gap:4px 24px;margin:0 0 12px;"
"color:#445}\n"
"dl.facts dt{font-weight:600}dl.facts dt:after{content:':'}"
"dl.facts dd{margin:0 0 0 4px}\n"
"dl.facts div{display:flex}\n"
"p.note{background:#fff4d6;border-left:4px solid #e0a800;padding:8px 12px;"
"margin:8px 0}\n"
".charts{display:flex;flex-wrap:wrap;gap:16px}\n"
"figure{margin:0;border:1px solid #dde3ea;border-radius:6px;padding:10px 12px;"
"background:#fafbfc}\n"
"figcaption{font-weight:600;margin-bottom:6px}\n"
".legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;"
"max-width:620px}\n"
".legend i{display:inline-block;width:11px;height:11px;margin-right:4px;"
"vertical-align:-1px}\n"
"svg text{font:12px system-ui,sans-serif;fill:#1d2733}\n"
"table{border-collapse:collapse;margin:4px 0 8px;font-size:13px}\n"
"th,td{border-bottom:1px solid #e3e8ee;padding:4px 10px;text-align:left;"
"white-space:nowrap}\n"
"th{background:#eef2f6;cursor:pointer;user-select:none;position:sticky;top:0}\n"
"th.num,td.num{text-align:right}\n"
"th[data-dir=asc]:after{content:' \\25b2'}"
"th[data-dir=desc]:after{content:' \\25bc'}\n"
"tbody tr:nth-child(even){background:#f7f9fb}\n"
"td.none{color:#99a}\n"
"</style>\n";

/*
 * Click a header to sort by that column; numbers as numbers, text as
 * text, empty cells last.  No fetches, no eval.
 */
static const char html_script[] =
"<script>\n"
"document.querySelectorAll('table.sortable th').forEach(function(th,i){\n"
" th.addEventListener('click',function(){\n"
"  var t=th.closest('table'),b=t.tBodies[0],r=Array.prototype.slice.call(b.rows),"
"asc=th.getAttribute('data-dir')!=='asc',num=th.classList.contains('num');\n"
"  t.querySelectorAll('th').forEach(function(h){h.removeAttribute('data-dir')});\n"
"  th.setAttribute('data-dir',asc?'asc':'desc');\n"
"  function k(row){var c=row.cells[i];return c.classList.contains('none')?null:"
"(num?parseFloat(c.textContent):c.textContent)}\n"
"  r.sort(function(x,y){var a=k(x),c=k(y);if(a===null)return c===null?0:1;"
"if(c===null)return -1;var o=num?a-c:String(a).localeCompare(String(c));"
"return asc?o:-o});\n"
"  r.forEach(function(row){b.appendChild(row)});\n"
" });\n"
"});\n"
"</script>\n";

static struct rtable *
find_table(struct rdoc *d, const char *id)
{
	struct rtable	*t;

	for (t = d->tables; t != NULL; t = t->next)
		if (id == NULL || strcmp(t->id, id) == 0)
			return (t);
	return (NULL);
}

static double
num_of(const char *s)
{
	return (is_number(s) ? strtod(s, NULL) : 0.0);
}

static const char *
series_color(const struct rchart *c, int s, const char *label)
{
	static const char *const palette[] = { "#2f7ed8", "#8bbc21",
	    "#f28f43", "#910000", "#77a1e5", "#c42525", "#a6c96a",
	    "#492970" };
	const char *const *p;

	if (c->nseries == 1 && c->by_label != NULL && label != NULL)
		for (p = c->by_label; p[0] != NULL && p[1] != NULL; p += 2)
			if (strcmp(p[0], label) == 0)
				return (p[1]);
	if (c->colors[s] != NULL)
		return (c->colors[s]);
	return (palette[s % 8]);
}

/* Print a number the way the table printed it (it is that text). */
static void
html_num(FILE *out, const char *s)
{
	rfmt_html_str(out, is_number(s) ? s : "0");
}

static int
render_chart(struct rdoc *d, FILE *out, const struct rchart *c)
{
	struct rtable	*t;
	struct rrow	 r;
	double		 max = 0, tot, v, x, bw;
	size_t		 n = 0, i;
	int		 rc, s, width = 620, h;

	memset(&r, 0, sizeof(r));
	if ((t = find_table(d, c->table)) == NULL)
		return (0);
	if (t->nrows == 0)
		return (0);
	/* Pass 1: the scale. */
	if (spool_rewind(t) == -1)
		return (-1);
	while (n < CHART_MAXBARS && (rc = spool_next(t, &r)) == 1) {
		for (tot = 0, s = 0; s < c->nseries; s++)
			tot += num_of(r.cell[c->value_cols[s]]);
		if (tot > max)
			max = tot;
		n++;
	}
	if (max <= 0)
		max = 1;
	if (c->type == RCHART_HBAR)
		h = (int)n * 24 + 10;
	else {
		h = 240;
		width = n > 8 ? 70 * (int)n + 20 : width;
	}
	fprintf(out, "<figure class=\"chart\" data-table=\"");
	rfmt_html_str(out, t->id);
	fputs("\"><figcaption>", out);
	rfmt_html_str(out, c->title);
	fprintf(out, "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n",
	    width, h, width, h);
	if (spool_rewind(t) == -1)
		return (-1);
	bw = n > 0 ? (double)(width - 20) / (double)n : 0;
	for (i = 0; i < n && (rc = spool_next(t, &r)) == 1; i++) {
		const char *label = r.cell[c->label_col];

		for (tot = 0, s = 0; s < c->nseries; s++)
			tot += num_of(r.cell[c->value_cols[s]]);
		fputs("<g class=\"bar\" data-label=\"", out);
		rfmt_html_str(out, label != NULL ? label : "-");
		fprintf(out, "\" data-value=\"%g\">", tot);
		if (c->type == RCHART_HBAR) {
			double y = (double)i * 24 + 4;

			fprintf(out, "<text x=\"150\" y=\"%.0f\" "
			    "text-anchor=\"end\">", y + 14);
			rfmt_html_str(out, label != NULL ? label : "-");
			fputs("</text>", out);
			x = 158;
			for (s = 0; s < c->nseries; s++) {
				v = num_of(r.cell[c->value_cols[s]]);
				if (v <= 0)
					continue;
				fprintf(out, "<rect x=\"%.1f\" y=\"%.0f\" "
				    "width=\"%.1f\" height=\"18\" fill=\"%s\">"
				    "<title>", x, y, v / max * 380,
				    series_color(c, s, label));
				rfmt_html_str(out, t->cols[c->value_cols[s]].title);
				fputs(": ", out);
				html_num(out, r.cell[c->value_cols[s]]);
				fputs("</title></rect>", out);
				x += v / max * 380;
			}
			fprintf(out, "<text class=\"value\" x=\"%.1f\" "
			    "y=\"%.0f\">%g</text>", x + 6, y + 14, tot);
		} else {
			double bh = tot / max * (h - 60);

			x = 10 + (double)i * bw;
			fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			    "height=\"%.1f\" fill=\"%s\"><title>", x + bw * 0.15,
			    (double)h - 40 - bh, bw * 0.7, bh,
			    series_color(c, 0, label));
			rfmt_html_str(out, label != NULL ? label : "-");
			fprintf(out, ": %g</title></rect>", tot);
			fprintf(out, "<text class=\"value\" x=\"%.1f\" y=\"%.1f\" "
			    "text-anchor=\"middle\">%g</text>", x + bw / 2,
			    (double)h - 46 - bh, tot);
			fprintf(out, "<text x=\"%.1f\" y=\"%d\" "
			    "text-anchor=\"middle\" font-size=\"11\">",
			    x + bw / 2, h - 24);
			rfmt_html_str(out, label != NULL ? label : "-");
			fputs("</text>", out);
		}
		fputs("</g>\n", out);
	}
	fputs("</svg>", out);
	if (c->nseries > 1) {
		fputs("<div class=\"legend\">", out);
		for (s = 0; s < c->nseries; s++) {
			fprintf(out, "<span><i style=\"background:%s\"></i>",
			    series_color(c, s, NULL));
			rfmt_html_str(out, t->cols[c->value_cols[s]].title);
			fputs("</span>", out);
		}
		fputs("</div>", out);
	}
	if (t->nrows > n)
		fprintf(out, "<p>first %zu of %zu</p>", n, t->nrows);
	fputs("</figure>\n", out);
	rrow_clear(&r);
	return (0);
}

static int
render_html(struct rdoc *d, FILE *out)
{
	struct rtable	*t;
	struct rrow	 r;
	size_t		 i, j;
	int		 rc;

	memset(&r, 0, sizeof(r));
	fputs(html_head, out);
	fputs("<title>", out);
	rfmt_html_str(out, d->title);
	if (fact_value(d, "as_of") != NULL) {
		fputs(" as of ", out);
		rfmt_html_str(out, fact_value(d, "as_of"));
	}
	fputs("</title>\n", out);
	fputs(html_style, out);
	fprintf(out, "</head>\n<body data-report=\"");
	rfmt_html_str(out, d->report);
	fprintf(out, "\" data-empty=\"%s\">\n<h1>", d->empty ? "true" :
	    "false");
	rfmt_html_str(out, d->title);
	fputs("</h1>\n<dl class=\"facts\">", out);
	for (i = 0; i + 1 < d->nfact; i += 2) {
		if (d->fact[i + 1] == NULL)
			continue;
		fputs("<div><dt>", out);
		rfmt_html_str(out, d->fact[i]);
		fputs("</dt><dd data-key=\"", out);
		rfmt_html_str(out, d->fact[i]);
		fputs("\">", out);
		rfmt_html_str(out, d->fact[i + 1]);
		fputs("</dd></div>", out);
	}
	fputs("</dl>\n", out);
	for (i = 0; i < d->nnote; i++) {
		fputs("<p class=\"note\">", out);
		rfmt_html_str(out, d->note[i]);
		fputs("</p>\n", out);
	}
	if (d->nchart > 0) {
		fputs("<div class=\"charts\">\n", out);
		for (i = 0; i < d->nchart; i++)
			if (render_chart(d, out, &d->chart[i]) == -1)
				return (-1);
		fputs("</div>\n", out);
	}
	for (t = d->tables; t != NULL; t = t->next) {
		fputs("<section><h2>", out);
		rfmt_html_str(out, t->title);
		fprintf(out, " <small>(%zu)</small></h2>\n", t->nrows);
		fputs("<table class=\"sortable\" data-table=\"", out);
		rfmt_html_str(out, t->id);
		fputs("\"><thead><tr>", out);
		for (j = 0; j < t->ncols; j++) {
			fprintf(out, "<th%s data-key=\"",
			    t->cols[j].type == RC_NUM ? " class=\"num\"" : "");
			rfmt_html_str(out, t->cols[j].key);
			fputs("\">", out);
			rfmt_html_str(out, t->cols[j].title);
			fputs("</th>", out);
		}
		fputs("</tr></thead>\n<tbody>\n", out);
		if (spool_rewind(t) == -1)
			goto fail;
		while ((rc = spool_next(t, &r)) == 1) {
			fputs("<tr>", out);
			for (j = 0; j < t->ncols; j++) {
				const char *v = r.cell[j];

				if (t->cols[j].type == RC_NUM && !is_number(v))
					v = NULL;
				if (v == NULL || *v == '\0')
					fprintf(out, "<td class=\"none%s\">-"
					    "</td>", t->cols[j].type ==
					    RC_NUM ? " num" : "");
				else {
					fputs(t->cols[j].type == RC_NUM ?
					    "<td class=\"num\">" : "<td>", out);
					rfmt_html_str(out, v);
					fputs("</td>", out);
				}
			}
			fputs("</tr>\n", out);
		}
		if (rc == -1)
			goto fail;
		fputs("</tbody></table></section>\n", out);
	}
	fputs(html_script, out);
	fputs("</body>\n</html>\n", out);
	rrow_clear(&r);
	return (0);
fail:
	rrow_clear(&r);
	return (-1);
}

int
rdoc_render(struct rdoc *d, FILE *out, const char *csv_table, char *err,
    size_t errlen)
{
	struct rtable	*t;
	int		 rc = -1;

	if (d->failed) {
		snprintf(err, errlen, "spooling rows: %s", strerror(errno));
		return (-1);
	}
	switch (d->fmt) {
	case RF_TEXT:
		rc = render_text(d, out);
		break;
	case RF_CSV:
		if ((t = find_table(d, csv_table)) == NULL && d->empty) {
			/* An empty report: its notes say why, as CSV. */
			size_t i;

			fputs("note\r\n", out);
			for (i = 0; i < d->nnote; i++) {
				rfmt_csv_cell(out, d->note[i]);
				fputs("\r\n", out);
			}
			rc = 0;
			break;
		}
		if (t == NULL) {
			snprintf(err, errlen, "no table '%s' in this report",
			    csv_table != NULL ? csv_table : "");
			return (-1);
		}
		rc = render_csv(d, out, t);
		break;
	case RF_JSON:
		rc = render_json(d, out);
		break;
	case RF_HTML:
		rc = render_html(d, out);
		break;
	}
	if (rc == -1) {
		snprintf(err, errlen, "reading back rows: %s", strerror(errno));
		return (-1);
	}
	if (fflush(out) == EOF || ferror(out)) {
		snprintf(err, errlen, "writing the report: %s",
		    strerror(errno));
		return (-1);
	}
	return (0);
}
