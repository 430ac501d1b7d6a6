/*
 * test_import.c: table-driven tests of entitlement/csv.c (the RFC 4180
 * reader) and entitlement/import.c (KIND tables, header aliases, --map,
 * dates, cell checks, all-or-nothing results).
 *
 * csv_cases[] run through the reader in chunks of 1, 2, 3, 5, 7 bytes
 * and whole, and must give the same records (with their starting line)
 * or the same error every time.  imp_cases[] are small files given to
 * import_mem(): each names the exact rows (as dump_rows() prints them)
 * or the exact error list.  Every alias of every kind is tried on its
 * own, in several spellings.
 *
 * The corpus tests read ../shared/corpus/eol/ *.csv (from the repository
 * root, or $IB_CORPUS) in place: the real EOL tables must import as they
 * are.  Without the corpus they print "corpus absent" and are skipped,
 * never passed.  tests/data/import/ holds our own example files.
 */
#include <sys/stat.h>

#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/golden.h"

#include "entitlement/csv.h"
#include "entitlement/import.h"

#define CORPUS_DEFAULT	"../shared/corpus"
#define EXAMPLES	"tests/data/import"
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define OUT_LEN		(64 * 1024)

static char	 corpus[PATH_MAX];
static int	 have_corpus;

/*
 * A growing text buffer for dumps.
 */
struct out {
	char	 s[OUT_LEN];
	size_t	 len;
};

static void	 out_add(struct out *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
out_add(struct out *o, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(o->s + o->len, sizeof(o->s) - o->len, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof(o->s) - o->len);
	o->len += (size_t)n;
}

/*
 * CSV reader
 */

/* Records as "LINE:[f1|f2]\n"; CR, LF, '|' and '\' escaped. */
static int
csv_dump_cb(const struct csv_record *rec, void *arg, char *err, size_t errlen)
{
	struct out	*o = arg;
	size_t		 i, j;
	const char	*f;

	(void)err;
	(void)errlen;
	out_add(o, "%lu:[", rec->line);
	for (i = 0; i < rec->nfields; i++) {
		f = rec->fields[i];
		assert_int_equal(strlen(f), rec->lens[i]);
		if (i > 0)
			out_add(o, "|");
		for (j = 0; f[j] != '\0'; j++) {
			if (f[j] == '\r')
				out_add(o, "\\r");
			else if (f[j] == '\n')
				out_add(o, "\\n");
			else if (f[j] == '|' || f[j] == '\\')
				out_add(o, "\\%c", f[j]);
			else
				out_add(o, "%c", f[j]);
		}
	}
	out_add(o, "]\n");
	return (0);
}

struct csv_case {
	const char	*name;
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	const char	*want;		/* dump; NULL if it must fail */
	const char	*err;		/* exact message when it fails */
	struct csv_limits lim;
};

static const struct csv_case csv_cases[] = {
	{ "simple", "a,b,c\n1,2,3\n", 0, "1:[a|b|c]\n2:[1|2|3]\n", NULL,
	    { 0, 0, 0 } },
	{ "no final newline", "a,b\n1,2", 0, "1:[a|b]\n2:[1|2]\n", NULL,
	    { 0, 0, 0 } },
	{ "CRLF", "a,b\r\n1,2\r\n", 0, "1:[a|b]\n2:[1|2]\n", NULL,
	    { 0, 0, 0 } },
	{ "lone CR", "a,b\r1,2\r3,4", 0, "1:[a|b]\n2:[1|2]\n3:[3|4]\n", NULL,
	    { 0, 0, 0 } },
	{ "mixed line ends", "a\r\nb\nc\rd\n", 0,
	    "1:[a]\n2:[b]\n3:[c]\n4:[d]\n", NULL, { 0, 0, 0 } },
	{ "BOM", "\xef\xbb\xbf" "a,b\n1,2\n", 0, "1:[a|b]\n2:[1|2]\n", NULL,
	    { 0, 0, 0 } },
	{ "BOM only", "\xef\xbb\xbf", 0, "", NULL, { 0, 0, 0 } },
	{ "BOM-like character kept", "\xef\xbb\xbex,y\n", 0,
	    "1:[\xef\xbb\xbex|y]\n", NULL, { 0, 0, 0 } },
	{ "BOM then quote", "\xef\xbb\xbf\"a\",b", 0, "1:[a|b]\n", NULL,
	    { 0, 0, 0 } },
	{ "second BOM is data", "\xef\xbb\xbf\xef\xbb\xbf" "a\n", 0,
	    "1:[\xef\xbb\xbf" "a]\n", NULL, { 0, 0, 0 } },
	{ "empty file", "", 0, "", NULL, { 0, 0, 0 } },
	{ "blank lines skipped", "\n\na,b\n\r\n\nc,d\n\n", 0,
	    "3:[a|b]\n6:[c|d]\n", NULL, { 0, 0, 0 } },
	{ "empty fields", ",,\n", 0, "1:[||]\n", NULL, { 0, 0, 0 } },
	{ "one empty quoted field", "\"\"\n", 0, "1:[]\n", NULL,
	    { 0, 0, 0 } },
	{ "quoted comma", "\"a,b\",c\n", 0, "1:[a,b|c]\n", NULL,
	    { 0, 0, 0 } },
	{ "doubled quotes", "\"say \"\"hi\"\"\",\"\"\"\"\n", 0,
	    "1:[say \"hi\"|\"]\n", NULL, { 0, 0, 0 } },
	{ "embedded LF: lines after it", "h1,h2\n\"line1\nline2\",x\nnext,y\n",
	    0, "1:[h1|h2]\n2:[line1\\nline2|x]\n4:[next|y]\n", NULL,
	    { 0, 0, 0 } },
	{ "embedded CRLF kept", "\"a\r\nb\",c\r\nd,e\r\n", 0,
	    "1:[a\\r\\nb|c]\n3:[d|e]\n", NULL, { 0, 0, 0 } },
	{ "embedded blank lines", "\"a\n\n\nb\"\nc\n", 0,
	    "1:[a\\n\\n\\nb]\n5:[c]\n", NULL, { 0, 0, 0 } },
	{ "blanks around quoted field", "  \"a\"  , b ,\t\"c\"\n", 0,
	    "1:[a| b |c]\n", NULL, { 0, 0, 0 } },
	{ "unquoted blanks kept", " a , b \n", 0, "1:[ a | b ]\n", NULL,
	    { 0, 0, 0 } },
	{ "blank-only line is a record", "   \n", 0, "1:[   ]\n", NULL,
	    { 0, 0, 0 } },
	{ "ragged records pass", "a,b,c\n1\n1,2,3,4\n", 0,
	    "1:[a|b|c]\n2:[1]\n3:[1|2|3|4]\n", NULL, { 0, 0, 0 } },
	{ "quoted last field, no newline", "a,\"b\"", 0, "1:[a|b]\n", NULL,
	    { 0, 0, 0 } },
	{ "trailing comma, no newline", "a,", 0, "1:[a|]\n", NULL,
	    { 0, 0, 0 } },
	{ "UTF-8", "\xc3\xa9,\xe2\x82\xac,\xf0\x9f\x98\x80\n", 0,
	    "1:[\xc3\xa9|\xe2\x82\xac|\xf0\x9f\x98\x80]\n", NULL, { 0, 0, 0 } },
	{ "field at the cap", "abcd\n\"ab\"\"\"\n", 0, "1:[abcd]\n2:[ab\"]\n",
	    NULL, { 4, 0, 0 } },
	{ "fields at the cap", "a,b,c\n", 0, "1:[a|b|c]\n", NULL,
	    { 0, 3, 0 } },
	{ "lines at the cap", "a\r\nb\r\n", 0, "1:[a]\n2:[b]\n", NULL,
	    { 0, 0, 2 } },

	{ "unterminated quote", "a,b\n\"open,x\ny\n", 0, NULL,
	    "t.csv:2: unterminated quoted field", { 0, 0, 0 } },
	{ "unterminated empty quote", "\"", 0, NULL,
	    "t.csv:1: unterminated quoted field", { 0, 0, 0 } },
	{ "quote in unquoted field", "a,b\"c\n", 0, NULL,
	    "t.csv:1: quote in unquoted field", { 0, 0, 0 } },
	{ "quote after blank and text", "x\n a\"\n", 0, NULL,
	    "t.csv:2: quote in unquoted field", { 0, 0, 0 } },
	{ "text after closing quote", "\"a\"b\n", 0, NULL,
	    "t.csv:1: text after closing quote", { 0, 0, 0 } },
	{ "text after quote and blank", "\"a\" b\n", 0, NULL,
	    "t.csv:1: text after closing quote", { 0, 0, 0 } },
	{ "error line after embedded newlines", "\"a\nb\nc\",d\"\n", 0, NULL,
	    "t.csv:3: quote in unquoted field", { 0, 0, 0 } },
	{ "NUL byte", "a\nb\0c\n", 6, NULL, "t.csv:2: NUL byte",
	    { 0, 0, 0 } },
	{ "NUL in quotes", "\"a\0\"\n", 5, NULL, "t.csv:1: NUL byte",
	    { 0, 0, 0 } },
	{ "Latin-1", "a\ncaf\xe9\n", 0, NULL, "t.csv:2: invalid UTF-8",
	    { 0, 0, 0 } },
	{ "overlong", "\xc0\xaf\n", 0, NULL, "t.csv:1: invalid UTF-8",
	    { 0, 0, 0 } },
	{ "overlong 3-byte", "\xe0\x80\xaf\n", 0, NULL,
	    "t.csv:1: invalid UTF-8", { 0, 0, 0 } },
	{ "surrogate", "\xed\xa0\x80\n", 0, NULL, "t.csv:1: invalid UTF-8",
	    { 0, 0, 0 } },
	{ "above U+10FFFF", "\xf4\x90\x80\x80\n", 0, NULL,
	    "t.csv:1: invalid UTF-8", { 0, 0, 0 } },
	{ "lone continuation byte", "a\n\x80\n", 0, NULL,
	    "t.csv:2: invalid UTF-8", { 0, 0, 0 } },
	{ "cut sequence before newline", "\xe2\x82\nx\n", 0, NULL,
	    "t.csv:1: invalid UTF-8", { 0, 0, 0 } },
	{ "cut sequence at EOF", "a\nb\xe2\x82", 0, NULL,
	    "t.csv:2: invalid UTF-8", { 0, 0, 0 } },
	{ "UTF-16 BOM", "\xff\xfe" "a\0", 4, NULL,
	    "t.csv:1: invalid UTF-8", { 0, 0, 0 } },
	{ "field over the cap", "abcd\nabcde\n", 0, NULL,
	    "t.csv:2: field longer than 4 bytes", { 4, 0, 0 } },
	{ "quoted field over the cap", "\"ab\ncde\"\n", 0, NULL,
	    "t.csv:2: field longer than 4 bytes", { 4, 0, 0 } },
	{ "too many fields", "a,b,c\na,b,c,d\n", 0, NULL,
	    "t.csv:2: more than 3 fields in a record", { 0, 3, 0 } },
	{ "too many lines", "a\nb\nc\n", 0, NULL,
	    "t.csv:3: more than 2 lines", { 0, 0, 2 } },
	{ "blank lines count", "a\n\n\n", 0, NULL,
	    "t.csv:3: more than 2 lines", { 0, 0, 2 } },
	{ "lines inside quotes count", "\"a\nb\nc\"\n", 0, NULL,
	    "t.csv:3: more than 2 lines", { 0, 0, 2 } },
};

/* Feed in chunks of chunk bytes (0: all at once). */
static int
csv_run(const struct csv_case *tc, size_t chunk, struct out *o, char *err,
    size_t errlen)
{
	struct csv_reader	 r;
	size_t			 len = tc->len ? tc->len : strlen(tc->in), off;
	size_t			 n;
	int			 rc = 0;

	memset(o, 0, sizeof(*o));
	err[0] = '\0';
	csv_reader_init(&r, "t.csv", &tc->lim, csv_dump_cb, o);
	for (off = 0; off < len && rc == 0; off += n) {
		n = chunk == 0 || len - off < chunk ? len - off : chunk;
		rc = csv_reader_feed(&r, tc->in + off, n, err, errlen);
	}
	if (rc == 0)
		rc = csv_reader_finish(&r, err, errlen);
	if (rc == -1)
		assert_int_equal(csv_reader_syserr(&r), 0);
	csv_reader_clear(&r);
	return (rc);
}

static void
test_csv_cases(void **state)
{
	static const size_t	 chunks[] = { 0, 1, 2, 3, 5, 7 };
	struct out		*o;
	char			 err[256];
	size_t			 i, c;
	int			 rc;

	(void)state;
	o = malloc(sizeof(*o));
	assert_non_null(o);
	for (i = 0; i < NELEM(csv_cases); i++)
		for (c = 0; c < NELEM(chunks); c++) {
			rc = csv_run(&csv_cases[i], chunks[c], o, err,
			    sizeof(err));
			if (csv_cases[i].want != NULL) {
				if (rc != 0 || strcmp(o->s,
				    csv_cases[i].want) != 0)
					fail_msg("%s (chunk %zu): rc %d err "
					    "\"%s\" got\n%s", csv_cases[i].name,
					    chunks[c], rc, err, o->s);
			} else if (rc != -1 ||
			    strcmp(err, csv_cases[i].err) != 0)
				fail_msg("%s (chunk %zu): rc %d, err \"%s\", "
				    "want \"%s\"", csv_cases[i].name,
				    chunks[c], rc, err, csv_cases[i].err);
		}
	free(o);
}

static int
csv_stop_cb(const struct csv_record *rec, void *arg, char *err, size_t errlen)
{
	int	*n = arg;

	if (++*n == 2) {
		snprintf(err, errlen, "stopped at line %lu", rec->line);
		return (-1);
	}
	return (0);
}

/* The callback can stop the reader; a stopped reader stays stopped. */
static void
test_csv_stop(void **state)
{
	struct csv_reader	 r;
	char			 err[128];
	int			 n = 0;

	(void)state;
	csv_reader_init(&r, "t.csv", NULL, csv_stop_cb, &n);
	assert_int_equal(csv_reader_feed(&r, "a\nb\nc\n", 6, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "stopped at line 2");
	assert_int_equal(csv_reader_syserr(&r), 0);
	assert_int_equal(csv_reader_records(&r), 2);
	assert_int_equal(csv_reader_feed(&r, "d\n", 2, err, sizeof(err)), -1);
	assert_string_equal(err, "t.csv: reader stopped by an earlier error");
	assert_int_equal(csv_reader_finish(&r, err, sizeof(err)), -1);
	csv_reader_clear(&r);
	csv_reader_clear(NULL);
}

/* csv_reader_read() from a FILE, with the default caps. */
static void
test_csv_read_fp(void **state)
{
	static char		 text[] = "a,\"b\nc\"\r\nd,e";
	struct csv_reader	 r;
	struct out		*o;
	char			 err[128];
	FILE			*fp;

	(void)state;
	o = calloc(1, sizeof(*o));
	assert_non_null(o);
	fp = fmemopen(text, strlen(text), "r");
	assert_non_null(fp);
	csv_reader_init(&r, "mem", NULL, csv_dump_cb, o);
	assert_int_equal(csv_reader_read(&r, fp, err, sizeof(err)), 0);
	assert_string_equal(o->s, "1:[a|b\\nc]\n3:[d|e]\n");
	assert_int_equal(csv_reader_records(&r), 2);
	csv_reader_clear(&r);
	fclose(fp);
	free(o);
}

/* A hostile record: the default caps hold and the error is prompt. */
static void
test_csv_default_caps(void **state)
{
	struct csv_reader	 r;
	char			 err[128], *big;
	size_t			 n = CSV_FIELD_MAX + 1, i;
	int			 rc;

	(void)state;
	big = malloc(n);
	assert_non_null(big);
	memset(big, 'x', n);
	csv_reader_init(&r, "big", NULL, NULL, NULL);
	assert_int_equal(csv_reader_feed(&r, big, n, err, sizeof(err)), -1);
	assert_string_equal(err, "big:1: field longer than 65536 bytes");
	csv_reader_clear(&r);

	for (i = 0; i < n; i++)
		big[i] = (i % 2) ? ',' : 'a';
	csv_reader_init(&r, "wide", NULL, NULL, NULL);
	rc = csv_reader_feed(&r, big, n, err, sizeof(err));
	assert_int_equal(rc, -1);
	assert_string_equal(err, "wide:1: more than 256 fields in a record");
	csv_reader_clear(&r);
	free(big);
}

/*
 * Import: helpers
 */

/* Rows as "LINE: field=value ..." lines, empty fields left out. */
static void
dump_rows(const struct import_result *res, struct out *o)
{
	const struct import_field	*fds, *fd;
	const struct import_list	*l;
	const struct import_row		*row;
	const char			*p, *s;
	char				 iso[16];
	size_t				 nf, i, f, j;
	long				 day;
	long long			 m;
	int				 v;

	fds = import_fields(res->kind, &nf);
	for (i = 0; i < res->nrows; i++) {
		row = &res->rows[i];
		assert_ptr_equal(row->file, res->file);
		out_add(o, "%lu:", row->line);
		for (f = 0; f < nf; f++) {
			fd = &fds[f];
			p = (const char *)&row->u + fd->offset;
			switch (fd->type) {
			case IMPORT_DATE:
				memcpy(&day, p, sizeof(day));
				if (day == IMPORT_NO_DATE)
					continue;
				assert_int_equal(import_date_iso(day, iso,
				    sizeof(iso)), 0);
				out_add(o, " %s=%s", fd->name, iso);
				break;
			case IMPORT_MONEY:
				memcpy(&m, p, sizeof(m));
				if (m == IMPORT_NO_MONEY)
					continue;
				out_add(o, " %s=%lld.%02lld", fd->name, m / 100,
				    m % 100);
				break;
			case IMPORT_INT:
				memcpy(&v, p, sizeof(v));
				if (v == IMPORT_NO_INT)
					continue;
				out_add(o, " %s=%d", fd->name, v);
				break;
			case IMPORT_ENUM:
				memcpy(&v, p, sizeof(v));
				if (v == IMPORT_NO_ENUM)
					continue;
				out_add(o, " %s=%s", fd->name,
				    fd->values[v].word);
				break;
			case IMPORT_PATTERNS:
				l = (const struct import_list *)(const void *)p;
				if (l->n == 0)
					continue;
				out_add(o, " %s=", fd->name);
				for (j = 0; j < l->n; j++)
					out_add(o, "%s%s", j > 0 ? "|" : "",
					    l->v[j]);
				break;
			default:
				memcpy(&s, p, sizeof(s));
				if (s == NULL)
					continue;
				out_add(o, " %s=%s", fd->name, s);
				break;
			}
		}
		out_add(o, "\n");
	}
}

static void
dump_list(char *const *v, size_t n, struct out *o)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		out_add(o, "%s\n", v[i]);
}

struct imp_case {
	const char		*name;
	enum import_kind	 kind;
	const char		*map;		/* --map, or NULL */
	enum import_datefmt	 fmt;
	const char		*in;
	const char		*rows;		/* want, when it imports */
	const char		*errors;	/* want, when it must not */
	const char		*warnings;	/* NULL: none */
	const char		*unused;	/* NULL: none */
};

/* Run one case; returns the dumps in o (rows or errors). */
static int
imp_run(const struct imp_case *tc, struct import_result *res, int strict,
    size_t max_errors, char *err, size_t errlen)
{
	struct import_map	 m;
	struct import_opts	 opts;
	char			 merr[512];
	int			 rc;

	memset(&opts, 0, sizeof(opts));
	opts.datefmt = tc->fmt;
	opts.strict = strict;
	opts.max_errors = max_errors;
	import_map_init(&m);
	if (tc->map != NULL) {
		if (import_map_parse(&m, tc->kind, tc->map, merr,
		    sizeof(merr)) == -1)
			fail_msg("%s: map: %s", tc->name, merr);
		opts.map = &m;
	}
	import_init(res);
	rc = import_mem(res, tc->kind, "t.csv", tc->in, strlen(tc->in), &opts,
	    err, errlen);
	import_map_clear(&m);
	return (rc);
}

static void
imp_check(const struct imp_case *tc, int strict)
{
	struct import_result	 res;
	struct out		*o;
	char			 err[512];
	int			 rc;

	o = calloc(1, sizeof(*o));
	assert_non_null(o);
	rc = imp_run(tc, &res, strict, 0, err, sizeof(err));
	if (tc->rows != NULL) {
		if (rc != 0) {
			dump_list(res.errors, res.nerrors, o);
			fail_msg("%s: rc %d (%s):\n%s", tc->name, rc, err, o->s);
		}
		dump_rows(&res, o);
		if (strcmp(o->s, tc->rows) != 0)
			fail_msg("%s: rows\n%swant\n%s", tc->name, o->s,
			    tc->rows);
	} else {
		if (rc != -1 || res.nerrors == 0) {
			dump_rows(&res, o);
			fail_msg("%s: rc %d (%s), rows:\n%s", tc->name, rc, err,
			    o->s);
		}
		assert_int_equal(res.nrows, 0);
		assert_null(res.rows);
		dump_list(res.errors, res.nerrors, o);
		if (strcmp(o->s, tc->errors) != 0)
			fail_msg("%s: errors\n%swant\n%s", tc->name, o->s,
			    tc->errors);
	}
	memset(o, 0, sizeof(*o));
	dump_list(res.warnings, res.nwarnings, o);
	if (strcmp(o->s, tc->warnings != NULL ? tc->warnings : "") != 0)
		fail_msg("%s: warnings\n%swant\n%s", tc->name, o->s,
		    tc->warnings != NULL ? tc->warnings : "");
	memset(o, 0, sizeof(*o));
	dump_list(res.unused, res.nunused, o);
	if (strcmp(o->s, tc->unused != NULL ? tc->unused : "") != 0)
		fail_msg("%s: unused\n%swant\n%s", tc->name, o->s,
		    tc->unused != NULL ? tc->unused : "");
	import_clear(&res);
	free(o);
}

#define C	IMPORT_CONTRACTS
#define HW	IMPORT_HW_LIFECYCLE
#define SW	IMPORT_SW_LIFECYCLE
#define CPO	IMPORT_CPO
#define WAR	IMPORT_WARRANTY
#define REG	IMPORT_REGISTRATIONS
#define AUTO	IMPORT_DATE_AUTO
#define HDR	"contract_id,serial,start,end\n"

static const struct imp_case imp_cases[] = {
	/* contracts: every field, canonical names */
	{ "contracts, all fields", C, NULL, AUTO,
	    "contract_id,serial,sku,level,start,end,site,customer,price,"
	    "currency\n"
	    "C1,ab123,EX4300-48T,Core Plus,2025-01-01,2025-12-31,Site A,"
	    "Cust,10.50,USD\n",
	    "2: contract_id=C1 serial=AB123 sku=EX4300-48T level=Core Plus "
	    "start=2025-01-01 end=2025-12-31 site=Site A customer=Cust "
	    "price=10.50 currency=USD\n", NULL, NULL, NULL },
	{ "contracts, issue 5 spellings", C, NULL, AUTO,
	    "Contract Number,Serial No,Service SKU,Start Date,Service End,"
	    "Install Site\n"
	    "C1,X1,SVC-CP-EX,2025-01-01,2025-12-31,HQ\n",
	    "2: contract_id=C1 serial=X1 level=SVC-CP-EX start=2025-01-01 "
	    "end=2025-12-31 site=HQ\n", NULL, NULL, NULL },
	{ "header spelling: case, blanks, punctuation", C, NULL, AUTO,
	    "  CONTRACT_ID , serial-number. ,START  DATE,#End Date#\n"
	    "C1,X1,2025-01-01,2025-12-31\n",
	    "2: contract_id=C1 serial=X1 start=2025-01-01 end=2025-12-31\n",
	    NULL, NULL, NULL },
	{ "cells trimmed, NBSP too", C, NULL, AUTO,
	    HDR " C1 ,\t X1\xc2\xa0, 2025-01-01 ,\"2025-12-31 \"\n",
	    "2: contract_id=C1 serial=X1 start=2025-01-01 end=2025-12-31\n",
	    NULL, NULL, NULL },
	{ "header only", C, NULL, AUTO, HDR, "", NULL, NULL, NULL },
	{ "all-empty records skipped", C, NULL, AUTO,
	    HDR ",,,\n , ,\"\",\nC1,X1,2025-01-01,2025-12-31\n,,,,,,\n",
	    "4: contract_id=C1 serial=X1 start=2025-01-01 end=2025-12-31\n",
	    NULL, NULL, NULL },
	{ "extra empty cells allowed", C, NULL, AUTO,
	    HDR "C1,X1,2025-01-01,2025-12-31,, ,\n",
	    "2: contract_id=C1 serial=X1 start=2025-01-01 end=2025-12-31\n",
	    NULL, NULL, NULL },
	{ "unknown columns listed, empty header ignored", C, NULL, AUTO,
	    "Contract,Serial,Begin Date,Expires,Colour,,Notes\n"
	    "C1,X1,2025-01-01,2025-12-31,red,,n\n",
	    "2: contract_id=C1 serial=X1 start=2025-01-01 end=2025-12-31\n",
	    NULL, NULL, "Colour\nNotes\n" },
	{ "quoted cells, embedded newline, line numbers", C, NULL, AUTO,
	    HDR "C1,X1,2025-01-01,2025-12-31\n"
	    "\"C,2\",X2,2025-01-01,2025-12-31\n"
	    "C3,\"X3\",\"2025-01-01\",2025-12-31\n",
	    "2: contract_id=C1 serial=X1 start=2025-01-01 end=2025-12-31\n"
	    "3: contract_id=C,2 serial=X2 start=2025-01-01 end=2025-12-31\n"
	    "4: contract_id=C3 serial=X3 start=2025-01-01 end=2025-12-31\n",
	    NULL, NULL, NULL },
	{ "line numbers after an embedded newline", C, NULL, AUTO,
	    "contract_id,serial,start,end,site\n"
	    "C1,X1,2025-01-01,2025-12-31,\"Bldg 1\nFloor 2\"\n"
	    "C2,N/A,2025-01-01,2025-12-31,\n"
	    "C3,X3,2025-01-01,2025-12-31,\"a\r\nb\r\nc\"\n"
	    "C4,,2025-01-01,2025-12-31,\n", NULL,
	    "t.csv:4: serial: placeholder \"N/A\" is not a serial number\n"
	    "t.csv:8: serial: missing\n", NULL, NULL },

	/* serials */
	{ "serial normalised", C, NULL, AUTO,
	    HDR "C1,s/n ab-12.3,2025-01-01,2025-12-31\n"
	    "C2,S/N: zz9,2025-01-01,2025-12-31\n",
	    "2: contract_id=C1 serial=AB-12.3 start=2025-01-01 "
	    "end=2025-12-31\n"
	    "3: contract_id=C2 serial=ZZ9 start=2025-01-01 end=2025-12-31\n",
	    NULL, NULL, NULL },
	{ "serial errors", C, NULL, AUTO,
	    HDR "C1,BUILTIN,2025-01-01,2025-12-31\n"
	    "C2,000000,2025-01-01,2025-12-31\n"
	    "C3,AB 12,2025-01-01,2025-12-31\n"
	    "C4,AB*,2025-01-01,2025-12-31\n"
	    "C5,0123456789012345678901234567890123456789012345678901234567890"
	    "123,2025-01-01,2025-12-31\n"
	    "C6,AB\xc3\xa9,2025-01-01,2025-12-31\n"
	    "C7,x123456789012345678901234567890123456789012345678901234567890"
	    "1234567890123456789012345678901234567890123456789012345678901234"
	    "5678,2025-01-01,2025-12-31\n", NULL,
	    "t.csv:2: serial: placeholder \"BUILTIN\" is not a serial number\n"
	    "t.csv:3: serial: placeholder \"000000\" is not a serial number\n"
	    "t.csv:4: serial: bad character in \"AB 12\"\n"
	    "t.csv:5: serial: bad character in \"AB*\"\n"
	    "t.csv:6: serial: too long (64 bytes, max 63)\n"
	    "t.csv:7: serial: bad character in \"AB\xc3\xa9\"\n"
	    "t.csv:8: serial: too long (129 bytes, max 63)\n", NULL, NULL },
	{ "serial: the prefix does not count", C, NULL, AUTO,
	    HDR "C7,S/N 012345678901234567890123456789012345678901234567890123"
	    "456789012,2025-01-01,2025-12-31\n",
	    "2: contract_id=C7 serial=012345678901234567890123456789012345678"
	    "901234567890123456789012 start=2025-01-01 end=2025-12-31\n", NULL,
	    NULL, NULL },

	/* dates: forms */
	{ "date forms", C, NULL, AUTO,
	    HDR "C1,X1,2024-02-29,2025-12-31\n"
	    "C2,X2,\"Jan 31, 2025\",\"January 31 2026\"\n"
	    "C3,X3,31 Jan 2025,31-jan-2026\n"
	    "C4,X4,\"Sept 5, 2025\",5 SEPTEMBER 2026\n"
	    "C5,X5,1/2/2025,12/25/2025\n",
	    "2: contract_id=C1 serial=X1 start=2024-02-29 end=2025-12-31\n"
	    "3: contract_id=C2 serial=X2 start=2025-01-31 end=2026-01-31\n"
	    "4: contract_id=C3 serial=X3 start=2025-01-31 end=2026-01-31\n"
	    "5: contract_id=C4 serial=X4 start=2025-09-05 end=2026-09-05\n"
	    "6: contract_id=C5 serial=X5 start=2025-01-02 end=2025-12-25\n",
	    NULL, NULL, NULL },
	{ "date errors", C, NULL, AUTO,
	    HDR "C1,X1,2025-02-30,2025-12-31\n"
	    "C2,X2,2025/01/02,2025-12-31\n"
	    "C3,X3,1/2/25,2025-12-31\n"
	    "C4,X4,1899-12-31,2025-12-31\n"
	    "C5,X5,2025-1-2,2025-12-31\n"
	    "C6,X6,\"Feb 30, 2025\",2025-12-31\n"
	    "C7,X7,Foo 3 2025,2025-12-31\n"
	    "C8,X8,2025-01-01T00:00,2025-12-31\n"
	    "C9,X9,13/13/2025,2025-12-31\n"
	    "C10,X10,2025-00-10,2200-01-01\n", NULL,
	    "t.csv:2: start: no such date \"2025-02-30\"\n"
	    "t.csv:3: start: bad date \"2025/01/02\"\n"
	    "t.csv:4: start: bad date \"1/2/25\"\n"
	    "t.csv:5: start: year out of range in \"1899-12-31\" (1900-2199)\n"
	    "t.csv:6: start: bad date \"2025-1-2\"\n"
	    "t.csv:7: start: no such date \"Feb 30, 2025\"\n"
	    "t.csv:8: start: bad date \"Foo 3 2025\"\n"
	    "t.csv:9: start: bad date \"2025-01-01T00:00\"\n"
	    "t.csv:10: start: no such date \"13/13/2025\" (MM/DD/YYYY)\n"
	    "t.csv:11: start: no such date \"2025-00-10\"; end: year out of "
	    "range in \"2200-01-01\" (1900-2199)\n", NULL, NULL },

	/* dates: which slash format */
	{ "ambiguous dates", C, NULL, AUTO,
	    HDR "C1,X1,2025-01-01,2025-12-31\n"
	    "C2,X2,05/05/2025,03/04/2026\n"
	    "C3,X3,02/01/2025,01/02/2026\n", NULL,
	    "t.csv:3: end: ambiguous date \"03/04/2026\": MM/DD/YYYY or "
	    "DD/MM/YYYY, and no date in the file has a number above 12; give "
	    "--date-format us or eu\n", NULL, NULL },
	{ "ambiguous, --date-format us", C, NULL, IMPORT_DATE_US,
	    HDR "C2,X2,05/05/2025,03/04/2026\n",
	    "2: contract_id=C2 serial=X2 start=2025-05-05 end=2026-03-04\n",
	    NULL, NULL, NULL },
	{ "ambiguous, --date-format eu", C, NULL, IMPORT_DATE_EU,
	    HDR "C2,X2,05/05/2025,03/04/2026\n",
	    "2: contract_id=C2 serial=X2 start=2025-05-05 end=2026-04-03\n",
	    NULL, NULL, NULL },
	{ "decided US by a later row", C, NULL, AUTO,
	    HDR "C1,X1,03/04/2025,03/04/2026\n"
	    "C2,X2,12/25/2025,12/31/2026\n",
	    "2: contract_id=C1 serial=X1 start=2025-03-04 end=2026-03-04\n"
	    "3: contract_id=C2 serial=X2 start=2025-12-25 end=2026-12-31\n",
	    NULL, NULL, NULL },
	{ "decided EU by a later row", C, NULL, AUTO,
	    HDR "C1,X1,03/04/2025,03/04/2026\n"
	    "C2,X2,25/12/2025,31/12/2026\n",
	    "2: contract_id=C1 serial=X1 start=2025-04-03 end=2026-04-03\n"
	    "3: contract_id=C2 serial=X2 start=2025-12-25 end=2026-12-31\n",
	    NULL, NULL, NULL },
	{ "same both ways is not ambiguous", C, NULL, AUTO,
	    HDR "C1,X1,05/05/2025,12/12/2025\n",
	    "2: contract_id=C1 serial=X1 start=2025-05-05 end=2025-12-12\n",
	    NULL, NULL, NULL },
	{ "mixed US and EU", C, NULL, AUTO,
	    HDR "C1,X1,12/25/2025,12/31/2026\n"
	    "C2,X2,25/12/2025,31/12/2026\n", NULL,
	    "t.csv:3: start: date \"25/12/2025\" is DD/MM/YYYY but line 2 "
	    "has \"12/25/2025\", MM/DD/YYYY; give --date-format us or eu\n",
	    NULL, NULL },
	{ "mixed EU then US", C, NULL, AUTO,
	    HDR "C1,X1,25/12/2025,31/12/2026\n"
	    "C2,X2,12/25/2025,12/31/2026\n", NULL,
	    "t.csv:3: start: date \"12/25/2025\" is MM/DD/YYYY but line 2 "
	    "has \"25/12/2025\", DD/MM/YYYY; give --date-format us or eu\n",
	    NULL, NULL },
	{ "mixed, --date-format us decides", C, NULL, IMPORT_DATE_US,
	    HDR "C1,X1,12/25/2025,12/31/2026\n"
	    "C2,X2,25/12/2025,31/12/2026\n", NULL,
	    "t.csv:3: start: no such date \"25/12/2025\" (MM/DD/YYYY); end: "
	    "no such date \"31/12/2026\" (MM/DD/YYYY)\n", NULL, NULL },
	{ "--date-format eu rejects US", C, NULL, IMPORT_DATE_EU,
	    HDR "C1,X1,12/25/2025,2026-01-01\n", NULL,
	    "t.csv:2: start: no such date \"12/25/2025\" (DD/MM/YYYY)\n", NULL,
	    NULL },
	{ "--date-format iso", C, NULL, IMPORT_DATE_ISO,
	    HDR "C1,X1,2025-01-01,\"Dec 31, 2025\"\n"
	    "C2,X2,12/25/2025,2025-12-31\n", NULL,
	    "t.csv:3: start: \"12/25/2025\" is not YYYY-MM-DD "
	    "(--date-format iso)\n", NULL, NULL },
	{ "ragged rows do not vote", C, NULL, AUTO,
	    HDR "C1,X1,03/04/2025,03/04/2026\n"
	    "C2,X2,25/12/2025\n"
	    "C3,X3,12/25/2025,12/31/2026\n", NULL,
	    "t.csv:3: 3 fields, header has 4\n", NULL, NULL },

	/* ragged and cross-field */
	{ "ragged rows", C, NULL, AUTO,
	    HDR "C1,X1,2025-01-01\n"
	    "C2,X2,2025-01-01,2025-12-31,extra\n"
	    "C3,X3,2025-01-01,2025-12-31,,\"\",x\n", NULL,
	    "t.csv:2: 3 fields, header has 4\n"
	    "t.csv:3: 5 fields, header has 4\n"
	    "t.csv:4: 7 fields, header has 4\n", NULL, NULL },
	{ "end before start; same day ok", C, NULL, AUTO,
	    HDR "C1,X1,2025-02-01,2025-01-31\nC2,X2,2025-02-01,2025-02-01\n",
	    NULL, "t.csv:2: end: 2025-01-31 is before start 2025-02-01\n",
	    NULL, NULL },
	{ "several reasons, every bad row", C, NULL, AUTO,
	    "contract_id,serial,start,end,price,site\n"
	    ",,,,,\x01\n"
	    "C1,X1,2025-01-01,2025-12-31,1,ok\n"
	    ",X2,bad,2025-12-31,x,\n"
	    "C3,X3,2025-01-01,bad,,\n", NULL,
	    "t.csv:2: contract_id: missing; serial: missing; start: missing; "
	    "end: missing; site: control character in \"\\x01\"\n"
	    "t.csv:4: contract_id: missing; start: bad date \"bad\"; price: "
	    "bad amount \"x\"\n"
	    "t.csv:5: end: bad date \"bad\"\n", NULL, NULL },
	{ "text: newline kept, TAB kept", C, NULL, AUTO,
	    "contract_id,serial,start,end,site\n"
	    "C1,X1,2025-01-01,2025-12-31,\"a\tb\nc\"\n",
	    "2: contract_id=C1 serial=X1 start=2025-01-01 end=2025-12-31 "
	    "site=a\tb\nc\n", NULL, NULL, NULL },

	/* money */
	{ "amounts", C, NULL, AUTO,
	    "contract_id,serial,start,end,price,currency\n"
	    "C1,X1,2025-01-01,2025-12-31,\"$1,234.56\",\n"
	    "C2,X2,2025-01-01,2025-12-31,1234,\n"
	    "C3,X3,2025-01-01,2025-12-31,\"1,234,567.5\",\n"
	    "C4,X4,2025-01-01,2025-12-31,USD 99,\n"
	    "C5,X5,2025-01-01,2025-12-31,0.05 EUR,eur\n"
	    "C6,X6,2025-01-01,2025-12-31,\xe2\x82\xac" "7,EUR\n"
	    "C7,X7,2025-01-01,2025-12-31,\xc2\xa3" "0,\n",
	    "2: contract_id=C1 serial=X1 start=2025-01-01 end=2025-12-31 "
	    "price=1234.56\n"
	    "3: contract_id=C2 serial=X2 start=2025-01-01 end=2025-12-31 "
	    "price=1234.00\n"
	    "4: contract_id=C3 serial=X3 start=2025-01-01 end=2025-12-31 "
	    "price=1234567.50\n"
	    "5: contract_id=C4 serial=X4 start=2025-01-01 end=2025-12-31 "
	    "price=99.00 currency=USD\n"
	    "6: contract_id=C5 serial=X5 start=2025-01-01 end=2025-12-31 "
	    "price=0.05 currency=eur\n"
	    "7: contract_id=C6 serial=X6 start=2025-01-01 end=2025-12-31 "
	    "price=7.00 currency=EUR\n"
	    "8: contract_id=C7 serial=X7 start=2025-01-01 end=2025-12-31 "
	    "price=0.00\n", NULL, NULL, NULL },
	{ "amount errors", C, NULL, AUTO,
	    "contract_id,serial,start,end,price,currency\n"
	    "C1,X1,2025-01-01,2025-12-31,\"1,23.00\",\n"
	    "C2,X2,2025-01-01,2025-12-31,12.345,\n"
	    "C3,X3,2025-01-01,2025-12-31,-5,\n"
	    "C4,X4,2025-01-01,2025-12-31,\"1,2345\",\n"
	    "C5,X5,2025-01-01,2025-12-31,100 EUR,USD\n"
	    "C6,X6,2025-01-01,2025-12-31,10000000000000.01,\n"
	    "C7,X7,2025-01-01,2025-12-31,.5,\n"
	    "C8,X8,2025-01-01,2025-12-31,5.,\n", NULL,
	    "t.csv:2: price: bad amount \"1,23.00\"\n"
	    "t.csv:3: price: bad amount \"12.345\"\n"
	    "t.csv:4: price: bad amount \"-5\"\n"
	    "t.csv:5: price: bad amount \"1,2345\"\n"
	    "t.csv:6: price: currency EUR differs from currency \"USD\"\n"
	    "t.csv:7: price: bad amount \"10000000000000.01\"\n"
	    "t.csv:8: price: bad amount \".5\"\n"
	    "t.csv:9: price: bad amount \"5.\"\n", NULL, NULL },

	/* header errors */
	{ "empty file", C, NULL, AUTO, "", NULL,
	    "t.csv:1: no header line (empty file)\n", NULL, NULL },
	{ "blank lines only", C, NULL, AUTO, "\n\r\n\n", NULL,
	    "t.csv:1: no header line (empty file)\n", NULL, NULL },
	{ "missing required columns", C, NULL, AUTO,
	    "\n\nSerial,Price\nX1,1\n", NULL,
	    "t.csv:3: no column for contract_id (headers accepted: "
	    "contract_id, Contract Number, Contract No, Contract ID, "
	    "Contract, Service Contract, Service Contract Number, Agreement, "
	    "Agreement Number, Agreement ID)\n"
	    "t.csv:3: no column for start (headers accepted: start, Contract "
	    "Start Date, Start Date, Service Start, Service Start Date, Begin "
	    "Date, Coverage Start, Effective Date)\n"
	    "t.csv:3: no column for end (headers accepted: end, Contract End "
	    "Date, End Date, Service End, Service End Date, Expiration Date, "
	    "Expiry Date, Expires, Coverage End, Termination Date)\n", NULL,
	    NULL },
	{ "two columns for one field", C, NULL, AUTO,
	    "Contract,Serial Number,SN,Start Date,End Date,S/N\n"
	    "C1,X1,X1,2025-01-01,2025-12-31,X1\n", NULL,
	    "t.csv:1: columns \"Serial Number\" and \"SN\" both map to serial; "
	    "drop one with --map\n"
	    "t.csv:1: columns \"Serial Number\" and \"S/N\" both map to serial; "
	    "drop one with --map\n", NULL, NULL },
	{ "hw: neither model nor part column", HW, NULL, AUTO,
	    "psn,End of Support\nP1,2025-01-01\n", NULL,
	    "t.csv:1: no column for model or part (headers accepted: model, "
	    "Model, Models, Model Number, Model Numbers, Product, Products, "
	    "Product SKU, SKU, Product ID; part, Part Number, Part Numbers, "
	    "Part No, Part, Parts, Assembly Number, Assembly)\n", NULL, NULL },

	/* --map applied */
	{ "--map names odd headers", C,
	    "Cust Ref=contract_id, Box = serial", AUTO,
	    "Cust Ref,Box,Start Date,End Date\nC1,X1,2025-01-01,2025-12-31\n",
	    "2: contract_id=C1 serial=X1 start=2025-01-01 end=2025-12-31\n",
	    NULL, NULL, NULL },
	{ "--map beats an alias", C, "Box=serial", AUTO,
	    "Contract,Serial,Box,Start Date,End Date\n"
	    "C1,OLD,X1,2025-01-01,2025-12-31\n",
	    "2: contract_id=C1 serial=X1 start=2025-01-01 end=2025-12-31\n",
	    NULL, NULL, "Serial\n" },
	{ "--map drops a column", C, "sn=-", AUTO,
	    "Contract,Serial,SN,Start Date,End Date\n"
	    "C1,X1,junk,2025-01-01,2025-12-31\n",
	    "2: contract_id=C1 serial=X1 start=2025-01-01 end=2025-12-31\n",
	    NULL, NULL, NULL },
	{ "--map header matched like an alias", C, "CUST_REF=contract-id",
	    AUTO, "cust ref,Serial,End Date,Start Date\n"
	    "C1,X1,2025-12-31,2025-01-01\n",
	    "2: contract_id=C1 serial=X1 start=2025-01-01 end=2025-12-31\n",
	    NULL, NULL, NULL },
	{ "--map column absent", C, "Box=serial,Nothing=-", AUTO,
	    "Contract,Start Date,End Date\nC1,2025-01-01,2025-12-31\n", NULL,
	    "t.csv:1: --map: no column \"Box\" in the file\n"
	    "t.csv:1: --map: no column \"Nothing\" in the file\n"
	    "t.csv:1: no column for serial (headers accepted: serial, Serial "
	    "Number, Serial No, Serial Num, Serial, SN, S/N, Serial #, "
	    "Product Serial Number, Product Serial, Chassis Serial, Chassis "
	    "Serial Number)\n", NULL, NULL },
	{ "--map maps two columns to one field", C, "a b=serial", AUTO,
	    "Contract,A B,a_b,Start Date,End Date\n"
	    "C1,X1,X2,2025-01-01,2025-12-31\n", NULL,
	    "t.csv:1: columns \"A B\" and \"a_b\" both map to serial; drop one "
	    "with --map\n", NULL, NULL },

	/* hw-lifecycle */
	{ "hw: all fields", HW, NULL, AUTO,
	    "PSN,Model,Part Number,Description,EOL Announce,End of Sale,"
	    "Last Date to Convert Warranty,Same-day Support Discontinued,"
	    "Next-day Support Discontinued,End of New JUNOS Release Support,"
	    "EOS,Suggested Replacement,quad_pic,Quad PIC Possible,PIM FPC\n"
	    "P1,\"MX-FPC*; MX-FPC2 ,EX 4200\",750-1;750-2,Card,2020-01-31,"
	    "2020-07-31,2021-07-31,2022-07-31,2024-07-31,2023-07-31,"
	    "2025-07-31,MPC7E,,,\n"
	    "P2,,750-3,,,,,,,,2026-01-01,,x,y,z\n",
	    "2: model=MX-FPC*|MX-FPC2|EX 4200 part=750-1|750-2 psn=P1 "
	    "description=Card announce=2020-01-31 last_order=2020-07-31 "
	    "convert_by=2021-07-31 same_day_end=2022-07-31 "
	    "next_day_end=2024-07-31 sw_end=2023-07-31 eos=2025-07-31 "
	    "replacement=MPC7E\n"
	    "3: part=750-3 psn=P2 eos=2026-01-01\n", NULL, NULL, NULL },
	{ "hw: row errors", HW, NULL, AUTO,
	    "model,part,announce,eos\n"
	    ",,2020-01-01,2025-01-01\n"
	    "A,,,\n"
	    "\"A;;B\",,,2025-01-01\n"
	    "A\xc3\xa9,,,2025-01-01\n"
	    "A,\"1\x02\",,2025-01-01\n"
	    "01234567890123456789012345678901234567890123456789012345678901"
	    "234567890123456789012345678901234567890123456789012345678901234"
	    "567,,,2025-01-01\n", NULL,
	    "t.csv:2: model or part: missing\n"
	    "t.csv:3: no milestone date\n"
	    "t.csv:4: model: empty pattern in \"A;;B\"\n"
	    "t.csv:5: model: bad character in \"A\xc3\xa9\"\n"
	    "t.csv:6: part: bad character in \"1\\x02\"\n"
	    "t.csv:7: model: pattern too long (128 bytes, max 127)\n", NULL,
	    NULL },
	{ "hw: lenient milestones", HW, NULL, AUTO,
	    "model,announce,last_order,eos\n"
	    "A,02/29/2023,07/31/021,12/31/2025\n"
	    "B,04/31/2020,,12/31/2025\n",
	    "2: model=A announce=2023-02-28 eos=2025-12-31\n"
	    "3: model=B announce=2020-04-30 eos=2025-12-31\n", NULL,
	    "t.csv:2: announce: no such date \"02/29/2023\", read as "
	    "2023-02-28 (end of month)\n"
	    "t.csv:2: last_order: bad date \"07/31/021\", left empty\n"
	    "t.csv:3: announce: no such date \"04/31/2020\", read as "
	    "2020-04-30 (end of month)\n", NULL },
	{ "hw: End of Support is never guessed", HW, NULL, IMPORT_DATE_US,
	    "model,announce,eos\n"
	    "A,2020-01-01,06/31/2025\n"
	    "B,2020-01-01,06/30/202\n"
	    "C,13/01/2020,12/31/2025\n", NULL,
	    "t.csv:2: eos: no such date \"06/31/2025\" (MM/DD/YYYY)\n"
	    "t.csv:3: eos: bad date \"06/30/202\"\n"
	    "t.csv:4: announce: no such date \"13/01/2020\" (MM/DD/YYYY)\n",
	    NULL, NULL },

	/* sw-lifecycle */
	{ "sw: trains and types", SW, NULL, AUTO,
	    "Release Train,FRS,EOE,EOL,Type\n"
	    "21.4,12/20/2021,12/20/2024,06/20/2025,EEOL\n"
	    "15.1x49,06/30/2015,,06/30/2021,standard\n"
	    "9.0,02/15/2008,,,\n"
	    "12.3X48,,,06/30/2022,Extended EOL\n",
	    "2: train=21.4 first_release=2021-12-20 eoe=2024-12-20 "
	    "eos=2025-06-20 release_type=EEOL\n"
	    "3: train=15.1X49 first_release=2015-06-30 eos=2021-06-30 "
	    "release_type=EOL\n"
	    "4: train=9.0 first_release=2008-02-15\n"
	    "5: train=12.3X48 eos=2022-06-30 release_type=EEOL\n", NULL, NULL,
	    NULL },
	{ "sw: errors", SW, NULL, AUTO,
	    "train,first_release,eoe,eos,release_type\n"
	    "21.4R3,2021-01-01,,,\n"
	    "021.4,2021-01-01,,,\n"
	    "21,2021-01-01,,,\n"
	    "0.1,2021-01-01,,,\n"
	    "15.1X049,2021-01-01,,,\n"
	    "15.1X1000,2021-01-01,,,\n"
	    "21.4,,,,\n"
	    "22.1,2021-01-01,,,LTS\n"
	    "22.2,2021-01-01,,,\n"
	    "22.2,2022-01-01,,,\n"
	    "21.10,2021-01-01,,,\n", NULL,
	    "t.csv:2: train: bad release train \"21.4R3\" (like 21.4 or "
	    "15.1X49)\n"
	    "t.csv:3: train: bad release train \"021.4\" (like 21.4 or "
	    "15.1X49)\n"
	    "t.csv:4: train: bad release train \"21\" (like 21.4 or 15.1X49)\n"
	    "t.csv:5: train: bad release train \"0.1\" (like 21.4 or "
	    "15.1X49)\n"
	    "t.csv:6: train: bad release train \"15.1X049\" (like 21.4 or "
	    "15.1X49)\n"
	    "t.csv:7: train: bad release train \"15.1X1000\" (like 21.4 or "
	    "15.1X49)\n"
	    "t.csv:8: no milestone date\n"
	    "t.csv:9: release_type: bad value \"LTS\" (expected EOL, EEOL)\n"
	    "t.csv:11: train: 22.2 also on line 10\n", NULL, NULL },

	/* cpo */
	{ "cpo", CPO, NULL, AUTO,
	    "Serial,SKU,Purchase Date,CPO Line,Juniper Care\n"
	    "x1,EX-RF,2025-01-02,Current,Yes\n"
	    "X2,,2025-01-02,EOP,n\n"
	    "X3,,2025-01-02,end of production,\n"
	    "X4,,2025-01-02,end_of_production,X\n",
	    "2: serial=X1 sku=EX-RF purchase=2025-01-02 line=current "
	    "care=yes\n"
	    "3: serial=X2 purchase=2025-01-02 line=end-of-production care=no\n"
	    "4: serial=X3 purchase=2025-01-02 line=end-of-production\n"
	    "5: serial=X4 purchase=2025-01-02 line=end-of-production "
	    "care=yes\n", NULL, NULL, NULL },
	{ "cpo errors", CPO, NULL, AUTO,
	    "serial,purchase,line,care\n"
	    "X1,2025-01-02,refurbished,maybe\n"
	    "X2,,,\n", NULL,
	    "t.csv:2: line: bad value \"refurbished\" (expected current, "
	    "end-of-production); care: bad value \"maybe\" (expected no, "
	    "yes)\n"
	    "t.csv:3: purchase: missing; line: missing\n", NULL, NULL },

	/* warranty */
	{ "warranty", WAR, NULL, AUTO,
	    "Product,Months,Warranty Type\n"
	    "*,12,default\nEX*,060,\nMX480,0,none\n",
	    "2: pattern=* months=12 description=default\n"
	    "3: pattern=EX* months=60\n"
	    "4: pattern=MX480 months=0 description=none\n", NULL, NULL,
	    NULL },
	{ "warranty errors", WAR, NULL, AUTO,
	    "pattern,months\n"
	    "EX*,12\nex*,24\nA;B,12\nC,twelve\nD,601\nE,-1\nF,\n", NULL,
	    "t.csv:3: pattern: \"ex*\" also on line 2\n"
	    "t.csv:4: pattern: one pattern per row, not \"A;B\"\n"
	    "t.csv:5: months: bad number \"twelve\"\n"
	    "t.csv:6: months: \"601\" out of range (0-600)\n"
	    "t.csv:7: months: bad number \"-1\"\n"
	    "t.csv:8: months: missing\n", NULL, NULL },

	/* registrations */
	{ "registrations", REG, NULL, AUTO,
	    "Serial Number,Product,Shipped,Site,Customer Name\n"
	    "X1,EX4300-48T,2024-05-02,HQ,ACME\nX2,,,,\n",
	    "2: serial=X1 sku=EX4300-48T ship=2024-05-02 site=HQ "
	    "customer=ACME\n"
	    "3: serial=X2\n", NULL, NULL, NULL },

	/* CSV errors come through as they are */
	{ "CSV syntax error", C, NULL, AUTO,
	    HDR "C1,X1,2025-01-01,2025-12-31\nC2,X\"2,2025-01-01,2025-12-31\n",
	    NULL, "t.csv:3: quote in unquoted field\n", NULL, NULL },
	{ "CSV error in the header", C, NULL, AUTO, "a,\"b\n", NULL,
	    "t.csv:1: unterminated quoted field\n", NULL, NULL },
	{ "invalid UTF-8", C, NULL, AUTO,
	    HDR "C1,X1,2025-01-01,2025-12-31,Caf\xe9\n", NULL,
	    "t.csv:2: invalid UTF-8\n", NULL, NULL },
};

static void
test_import_cases(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < NELEM(imp_cases); i++)
		imp_check(&imp_cases[i], 0);
}

/* --strict: the lenient lifecycle dates become errors. */
static void
test_import_strict(void **state)
{
	static const struct imp_case tc = { "strict", HW, NULL, AUTO,
	    "model,announce,last_order,eos\n"
	    "A,02/29/2023,07/31/021,12/31/2025\n", NULL,
	    "t.csv:2: announce: no such date \"02/29/2023\" (MM/DD/YYYY); "
	    "last_order: bad date \"07/31/021\"\n", NULL, NULL };
	static const struct imp_case sw = { "strict sw", SW, NULL, AUTO,
	    "train,eoe\n21.4,\"Feb 30, 2025\"\n", NULL,
	    "t.csv:2: eoe: no such date \"Feb 30, 2025\"\n", NULL, NULL };
	static const struct imp_case sw_lenient = { "lenient sw", SW, NULL,
	    AUTO, "train,eoe\n21.4,\"Feb 30, 2025\"\n",
	    "2: train=21.4 eoe=2025-02-28\n", NULL,
	    "t.csv:2: eoe: no such date \"Feb 30, 2025\", read as 2025-02-28 "
	    "(end of month)\n", NULL };

	(void)state;
	imp_check(&tc, 1);
	imp_check(&sw, 1);
	imp_check(&sw_lenient, 0);
}

/* max_errors lists the first ones and counts the rest. */
static void
test_import_max_errors(void **state)
{
	static const struct imp_case tc = { "max", C, NULL, AUTO,
	    HDR "C1,,2025-01-01,2025-12-31\nC2,,2025-01-01,2025-12-31\n"
	    "C3,,2025-01-01,2025-12-31\nC4,X4,2025-01-01,2025-12-31\n"
	    "C5,,2025-01-01,2025-12-31\nC6,,2025-01-01,2025-12-31\n",
	    NULL, NULL, NULL, NULL };
	struct import_result	 res;
	char			 err[256];

	(void)state;
	assert_int_equal(imp_run(&tc, &res, 0, 2, err, sizeof(err)), -1);
	assert_int_equal(res.nerrors, 3);
	assert_int_equal(res.nbad, 5);
	assert_string_equal(res.errors[0], "t.csv:2: serial: missing");
	assert_string_equal(res.errors[1], "t.csv:3: serial: missing");
	assert_string_equal(res.errors[2], "t.csv: 3 more errors not listed");
	assert_string_equal(err, "t.csv: 5 errors, nothing imported");
	import_clear(&res);

	assert_int_equal(imp_run(&tc, &res, 0, 0, err, sizeof(err)), -1);
	assert_int_equal(res.nerrors, 5);
	import_clear(&res);
}

/* Warnings are capped like errors; text has its own cap; bad kinds. */
static void
test_import_caps_and_kinds(void **state)
{
	static const struct imp_case tc = { "warn cap", HW, NULL, AUTO,
	    "model,announce,eos\nA,x,2025-01-01\nB,y,2025-01-01\n"
	    "C,z,2025-01-01\n", NULL, NULL, NULL, NULL };
	struct import_result	 res;
	struct import_map	 m;
	char			 err[256], *in;
	size_t			 n;

	(void)state;
	assert_int_equal(imp_run(&tc, &res, 0, 2, err, sizeof(err)), 0);
	assert_int_equal(res.nrows, 3);
	assert_int_equal(res.nwarnings, 3);
	assert_string_equal(res.warnings[0],
	    "t.csv:2: announce: bad date \"x\", left empty");
	assert_string_equal(res.warnings[1],
	    "t.csv:3: announce: bad date \"y\", left empty");
	assert_string_equal(res.warnings[2],
	    "t.csv: 1 more warning not listed");
	import_clear(&res);

	/* A text cell of IMPORT_TEXT_MAX bytes passes, one more does not. */
	n = strlen(HDR) + 64 + IMPORT_TEXT_MAX + 1;
	in = malloc(n + 64);
	assert_non_null(in);
	snprintf(in, n + 64, "contract_id,serial,start,end,site\n"
	    "C1,X1,2025-01-01,2025-12-31,%0*d\n", IMPORT_TEXT_MAX, 0);
	import_init(&res);
	assert_int_equal(import_mem(&res, C, "t.csv", in, strlen(in), NULL,
	    err, sizeof(err)), 0);
	assert_int_equal(strlen(res.rows[0].u.contract.site), IMPORT_TEXT_MAX);
	snprintf(in, n + 64, "contract_id,serial,start,end,site\n"
	    "C1,X1,2025-01-01,2025-12-31,%0*d\n", IMPORT_TEXT_MAX + 1, 0);
	assert_int_equal(import_mem(&res, C, "t.csv", in, strlen(in), NULL,
	    err, sizeof(err)), -1);
	assert_int_equal(res.nerrors, 1);
	assert_string_equal(res.errors[0],
	    "t.csv:2: site: too long (4097 bytes, max 4096)");
	import_clear(&res);
	free(in);

	import_init(&res);
	assert_int_equal(import_mem(&res, (enum import_kind)IMPORT_NKINDS,
	    "t.csv", "a\n", 2, NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "t.csv: no such import kind");
	assert_int_equal(res.nerrors, 0);
	import_clear(&res);
	import_map_init(&m);
	assert_int_equal(import_map_parse(&m, (enum import_kind)IMPORT_NKINDS,
	    "a=b", err, sizeof(err)), -1);
	assert_string_equal(err, "--map: no such kind");
	assert_string_equal(import_kind_name((enum import_kind)IMPORT_NKINDS),
	    "?");
	assert_null(import_fields((enum import_kind)IMPORT_NKINDS, &n));
	assert_int_equal(n, 0);
}

/* Limits pass through to the reader. */
static void
test_import_limits(void **state)
{
	struct import_result	 res;
	struct import_opts	 opts;
	char			 err[256];
	const char		*in = HDR "C1,X1,2025-01-01,2025-12-31\n"
				    "C2,X2,2025-01-01,2025-12-31\n";

	(void)state;
	memset(&opts, 0, sizeof(opts));
	opts.limits.lines_max = 2;
	import_init(&res);
	assert_int_equal(import_mem(&res, C, "t.csv", in, strlen(in), &opts,
	    err, sizeof(err)), -1);
	assert_int_equal(res.nerrors, 1);
	assert_string_equal(res.errors[0], "t.csv:3: more than 2 lines");
	assert_string_equal(err, "t.csv: 1 error, nothing imported");
	import_clear(&res);
}

/*
 * Every alias of every field, in several spellings, alone in a file whose
 * other columns use canonical names.
 */
static const char *
sample(const struct import_field *fd)
{
	switch (fd->type) {
	case IMPORT_SERIAL:
		return ("AB123");
	case IMPORT_DATE:
		return ("2025-01-02");
	case IMPORT_INT:
		return ("12");
	case IMPORT_MONEY:
		return ("10.00");
	case IMPORT_ENUM:
		return (fd->values[0].word);
	case IMPORT_PATTERN:
	case IMPORT_PATTERNS:
		return ("EX*");
	case IMPORT_TRAIN:
		return ("21.4");
	default:
		return ("x");
	}
}

/* "Serial Number" -> "SERIAL_NUMBER", "serial-number.", " serial number " */
static void
spell(const char *alias, int how, char *out, size_t outlen)
{
	size_t	 i, o = 0;

	if (how == 3)
		out[o++] = ' ';
	for (i = 0; alias[i] != '\0' && o + 3 < outlen; i++) {
		if (how == 1)
			out[o++] = alias[i] == ' ' ? '_' :
			    (char)(alias[i] >= 'a' && alias[i] <= 'z' ?
			    alias[i] - 32 : alias[i]);
		else if (how == 2)
			out[o++] = alias[i] == ' ' ? '-' :
			    (char)(alias[i] >= 'A' && alias[i] <= 'Z' ?
			    alias[i] + 32 : alias[i]);
		else
			out[o++] = alias[i];
	}
	if (how == 2)
		out[o++] = '.';
	if (how == 3)
		out[o++] = ' ';
	out[o] = '\0';
}

static void
test_import_every_alias(void **state)
{
	const struct import_field	*fds;
	struct import_result		 res;
	char				 hdr[2048], row[1024], in[4096];
	char				 name[256], err[512], want[64];
	const char			*an;
	struct out			*o;
	size_t				 nf, f, g, a, tried = 0;
	int				 k, how, rc;

	(void)state;
	o = malloc(sizeof(*o));
	assert_non_null(o);
	for (k = 0; k < IMPORT_NKINDS; k++) {
		fds = import_fields((enum import_kind)k, &nf);
		assert_true(nf > 0 && nf <= IMPORT_MAX_FIELDS);
		for (f = 0; f < nf; f++)
			for (a = 0;; a++) {
				an = a == 0 ? fds[f].name : fds[f].aliases[a - 1];
				if (an == NULL)
					break;
				for (how = 0; how < 4; how++) {
					spell(an, how, name, sizeof(name));
					hdr[0] = row[0] = '\0';
					for (g = 0; g < nf; g++) {
						snprintf(hdr + strlen(hdr),
						    sizeof(hdr) - strlen(hdr),
						    "%s\"%s\"", g ? "," : "",
						    g == f ? name :
						    fds[g].name);
						snprintf(row + strlen(row),
						    sizeof(row) - strlen(row),
						    "%s%s", g ? "," : "",
						    sample(&fds[g]));
					}
					snprintf(in, sizeof(in), "%s\n%s\n",
					    hdr, row);
					import_init(&res);
					rc = import_mem(&res,
					    (enum import_kind)k, "a.csv", in,
					    strlen(in), NULL, err, sizeof(err));
					memset(o, 0, sizeof(*o));
					dump_list(res.errors, res.nerrors, o);
					if (rc != 0 || res.nrows != 1 ||
					    res.nunused != 0)
						fail_msg("%s %s: alias \"%s\": "
						    "rc %d\n%s",
						    import_kind_name(
						    (enum import_kind)k),
						    fds[f].name, name, rc, o->s);
					memset(o, 0, sizeof(*o));
					dump_rows(&res, o);
					snprintf(want, sizeof(want), " %s=",
					    fds[f].name);
					if (strstr(o->s, want) == NULL)
						fail_msg("%s: alias \"%s\" did "
						    "not fill it: %s",
						    fds[f].name, name, o->s);
					import_clear(&res);
					tried++;
				}
			}
	}
	assert_true(tried > 400);
	free(o);
}

/* No alias key may name two fields of one kind, or a field and a flag. */
static void
test_import_alias_unique(void **state)
{
	const struct import_field	*fds;
	struct import_result		 res;
	char				 in[512], err[512];
	const char			*an;
	size_t				 nf, f, a;
	int				 k;

	(void)state;
	for (k = 0; k < IMPORT_NKINDS; k++) {
		fds = import_fields((enum import_kind)k, &nf);
		for (f = 0; f < nf; f++)
			for (a = 0;; a++) {
				an = a == 0 ? fds[f].name : fds[f].aliases[a - 1];
				if (an == NULL)
					break;
				/*
				 * Alone in a header, the alias must land on
				 * its field: a header error names a field,
				 * so "no column for <this field>" must not
				 * appear.
				 */
				snprintf(in, sizeof(in), "\"%s\"\n", an);
				import_init(&res);
				(void)import_mem(&res, (enum import_kind)k,
				    "u.csv", in, strlen(in), NULL, err,
				    sizeof(err));
				for (size_t e = 0; e < res.nerrors; e++) {
					char	 pat[128];

					snprintf(pat, sizeof(pat), "no column "
					    "for %s ", fds[f].name);
					if (strstr(res.errors[e], pat) != NULL)
						fail_msg("%s: \"%s\" does not "
						    "reach %s",
						    import_kind_name(
						    (enum import_kind)k), an,
						    fds[f].name);
				}
				assert_int_equal(res.nunused, 0);
				import_clear(&res);
			}
	}
}

/*
 * --map parsing
 */

struct map_case {
	enum import_kind	 kind;
	const char		*spec;
	const char		*want;	/* "header>field;..." or the error */
	int			 rc;
};

static const struct map_case map_cases[] = {
	{ C, "Cust Ref=contract_id", "Cust Ref>contract_id;", 0 },
	{ C, " a = serial , b=Contract-ID,c=-", "a>serial;b>contract_id;c>-;",
	    0 },
	{ C, "A\\,B=serial", "A,B>serial;", 0 },
	{ C, "a=b=serial", "a=b>serial;", 0 },
	{ C, "x\\=y=serial", "x=y>serial;", 0 },
	{ C, "back\\\\slash=serial", "back\\slash>serial;", 0 },
	{ HW, "Models=model,Parts=part", "Models>model;Parts>part;", 0 },
	{ SW, "Product=train", "Product>train;", 0 },
	{ C, "", "--map: empty", -1 },
	{ C, "  ", "--map: empty", -1 },
	{ C, "a=serial,,b=sku", "--map: empty entry", -1 },
	{ C, "a=serial,", "--map: empty entry", -1 },
	{ C, "serial", "--map: \"serial\": expected HEADER=FIELD", -1 },
	{ C, " =serial", "--map: \"=serial\": empty header", -1 },
	{ C, "a =", "--map: \"a\": empty field", -1 },
	{ C, "a=bogus", "--map: \"a\": no field \"bogus\" in contracts "
	    "(fields: contract_id, serial, sku, level, start, end, site, "
	    "customer, price, currency)", -1 },
	{ SW, "a=serial", "--map: \"a\": no field \"serial\" in sw-lifecycle "
	    "(fields: train, first_release, eoe, eos, release_type)", -1 },
	{ C, "a=serial,A=sku", "--map: header \"A\" given twice", -1 },
	{ C, "a b=serial,A_B=-", "--map: header \"A_B\" given twice", -1 },
	{ C, "a=serial,b=serial",
	    "--map: field serial given twice (\"a\" and \"b\")", -1 },
	{ C, "a\\x=serial", "--map: \"\\x\": only \\, \\= and \\\\ are "
	    "escapes", -1 },
	{ C, "a=serial\\", "--map: backslash at the end", -1 },
};

static void
test_map_parse(void **state)
{
	struct import_map	 m;
	const struct import_field *fds;
	struct out		*o;
	char			 err[512];
	size_t			 i, j, nf;
	int			 rc;

	(void)state;
	o = malloc(sizeof(*o));
	assert_non_null(o);
	for (i = 0; i < NELEM(map_cases); i++) {
		import_map_init(&m);
		memset(o, 0, sizeof(*o));
		err[0] = '\0';
		rc = import_map_parse(&m, map_cases[i].kind, map_cases[i].spec,
		    err, sizeof(err));
		if (rc != map_cases[i].rc)
			fail_msg("map \"%s\": rc %d (%s)", map_cases[i].spec, rc,
			    err);
		if (rc == -1) {
			assert_string_equal(err, map_cases[i].want);
			assert_int_equal(m.n, 0);
			continue;
		}
		fds = import_fields(map_cases[i].kind, &nf);
		for (j = 0; j < m.n; j++)
			out_add(o, "%s>%s;", m.v[j].header, m.v[j].field < 0 ?
			    "-" : fds[m.v[j].field].name);
		if (strcmp(o->s, map_cases[i].want) != 0)
			fail_msg("map \"%s\": %s", map_cases[i].spec, o->s);
		import_map_clear(&m);
	}
	free(o);
}

/* Several --map options add up; a failed one changes nothing. */
static void
test_map_accumulate(void **state)
{
	struct import_map	 m;
	struct import_result	 res;
	struct import_opts	 opts;
	char			 err[256];
	const char		*in = "x,y\nX1,C1\n";

	(void)state;
	import_map_init(&m);
	assert_int_equal(import_map_parse(&m, C, "x=serial", err,
	    sizeof(err)), 0);
	assert_int_equal(import_map_parse(&m, C, "y=contract_id,x=sku", err,
	    sizeof(err)), -1);
	assert_string_equal(err, "--map: header \"x\" given twice");
	assert_int_equal(m.n, 1);
	assert_int_equal(import_map_parse(&m, C, "y=contract_id", err,
	    sizeof(err)), 0);
	assert_int_equal(m.n, 2);
	assert_int_equal(import_map_parse(&m, CPO, "z=serial", err,
	    sizeof(err)), -1);
	assert_string_equal(err, "--map: earlier entries are for contracts");

	/* A contracts map given to another kind. */
	memset(&opts, 0, sizeof(opts));
	opts.map = &m;
	import_init(&res);
	assert_int_equal(import_mem(&res, CPO, "t.csv", in, strlen(in), &opts,
	    err, sizeof(err)), -1);
	assert_int_equal(res.nerrors, 0);
	assert_string_equal(err, "--map names contracts fields, not cpo");
	import_clear(&res);
	import_map_clear(&m);
	import_map_clear(NULL);
}

/*
 * Small public helpers.
 */
static void
test_names_and_dates(void **state)
{
	static const struct {
		const char	*s;
		int		 fmt;
		const char	*iso;	/* NULL: must fail */
	} d[] = {
		{ "1970-01-01", IMPORT_DATE_AUTO, "1970-01-01" },
		{ "2000-02-29", IMPORT_DATE_AUTO, "2000-02-29" },
		{ "1900-02-29", IMPORT_DATE_AUTO, NULL },
		{ "1900-01-01", IMPORT_DATE_AUTO, "1900-01-01" },
		{ "2199-12-31", IMPORT_DATE_AUTO, "2199-12-31" },
		{ "12/25/2025", IMPORT_DATE_AUTO, "2025-12-25" },
		{ "25/12/2025", IMPORT_DATE_AUTO, "2025-12-25" },
		{ "03/04/2025", IMPORT_DATE_AUTO, NULL },
		{ "03/04/2025", IMPORT_DATE_US, "2025-03-04" },
		{ "03/04/2025", IMPORT_DATE_EU, "2025-04-03" },
		{ "03/04/2025", IMPORT_DATE_ISO, NULL },
		{ "4/4/2025", IMPORT_DATE_AUTO, "2025-04-04" },
		{ "Dec 1, 1999", IMPORT_DATE_ISO, "1999-12-01" },
		{ "1 dec. 1999", IMPORT_DATE_AUTO, NULL },
		{ "", IMPORT_DATE_AUTO, NULL },
		{ " 2025-01-01", IMPORT_DATE_AUTO, NULL },
	};
	enum import_kind	 k;
	enum import_datefmt	 fmt;
	char			 buf[16];
	long			 day;
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(d); i++) {
		if (d[i].iso == NULL) {
			if (import_date_parse(d[i].s, d[i].fmt, &day) != -1)
				fail_msg("\"%s\" parsed", d[i].s);
			continue;
		}
		if (import_date_parse(d[i].s, d[i].fmt, &day) != 0)
			fail_msg("\"%s\" did not parse", d[i].s);
		assert_int_equal(import_date_iso(day, buf, sizeof(buf)), 0);
		assert_string_equal(buf, d[i].iso);
	}
	assert_int_equal(import_date_parse(NULL, IMPORT_DATE_AUTO, &day), -1);
	assert_int_equal(import_date_parse("1970-01-01", 0, &day), 0);
	assert_int_equal(day, 0);
	assert_int_equal(import_date_parse("1969-12-31", 0, &day), 0);
	assert_int_equal(day, -1);
	assert_int_equal(import_date_parse("2025-01-01", 0, &day), 0);
	assert_int_equal(day, 20089);
	assert_int_equal(import_date_iso(20089, buf, 10), -1);
	assert_string_equal(buf, "");
	assert_int_equal(import_date_iso(20089, buf, 11), 0);

	for (k = 0; k < IMPORT_NKINDS; k++) {
		enum import_kind	 back;

		assert_int_equal(import_kind_parse(import_kind_name(k), &back),
		    0);
		assert_int_equal(back, k);
	}
	assert_string_equal(import_kind_name(IMPORT_HW_LIFECYCLE),
	    "hw-lifecycle");
	assert_int_equal(import_kind_parse("contract", &k), -1);
	assert_int_equal(import_kind_parse(NULL, &k), -1);
	assert_int_equal(import_datefmt_parse("EU", &fmt), 0);
	assert_int_equal(fmt, IMPORT_DATE_EU);
	assert_int_equal(import_datefmt_parse("us", &fmt), 0);
	assert_int_equal(fmt, IMPORT_DATE_US);
	assert_int_equal(import_datefmt_parse("iso", &fmt), 0);
	assert_int_equal(fmt, IMPORT_DATE_ISO);
	assert_int_equal(import_datefmt_parse("auto", &fmt), 0);
	assert_int_equal(fmt, IMPORT_DATE_AUTO);
	assert_int_equal(import_datefmt_parse("dmy", &fmt), -1);
}

/*
 * Files: our examples, a missing file, the corpus.
 */

static void
test_file_missing(void **state)
{
	struct import_result	 res;
	char			 err[256];

	(void)state;
	import_init(&res);
	assert_int_equal(import_file(&res, C, "tests/data/import/nonexistent",
	    NULL, err, sizeof(err)), -1);
	assert_int_equal(res.nerrors, 0);
	assert_string_equal(err,
	    "tests/data/import/nonexistent: No such file or directory");
	import_clear(&res);
}

static void
import_path(enum import_kind kind, const char *path, int strict,
    struct import_result *res, char *err, size_t errlen)
{
	struct import_opts	 opts;

	memset(&opts, 0, sizeof(opts));
	opts.strict = strict;
	import_init(res);
	(void)import_file(res, kind, path, &opts, err, errlen);
}

static void
test_examples(void **state)
{
	static const struct {
		enum import_kind	 kind;
		const char		*file;
		const char		*rows;
		const char		*unused;
	} ex[] = {
		{ C, "example-contracts.csv",
		    "2: contract_id=EXAMPLE-C-1001 serial=ZZ0000000001 "
		    "sku=EX4300-48T level=Core Plus start=2025-01-15 "
		    "end=2026-01-14 site=Example Site A, Building 1 "
		    "customer=Example Customer price=1234.50\n"
		    "3: contract_id=EXAMPLE-C-1001 serial=ZZ0000000002 "
		    "sku=MX204 level=Next Day start=2025-01-15 end=2026-01-14 "
		    "site=Example Site B\r\nRack 12 customer=Example Customer "
		    "price=99.00 currency=USD\n"
		    "5: contract_id=EXAMPLE-C-1002 serial=ZZ0000000003 "
		    "sku=SRX340 level=Same Day start=2024-03-01 end=2025-02-28 "
		    "customer=Example \"Quoted\" Customer\n", "" },
		{ HW, "example-hw-lifecycle.csv",
		    "2: model=EXAMPLE-SW-48* psn=EXAMPLE-PSN-1 "
		    "description=Example 48-port switch family "
		    "announce=2024-01-31 last_order=2024-07-31 "
		    "convert_by=2025-07-31 same_day_end=2027-07-31 "
		    "next_day_end=2029-07-31 eos=2029-07-31 "
		    "replacement=EXAMPLE-SW2-48P\n"
		    "3: model=EXAMPLE-FPC-1|EXAMPLE-FPC-1-R "
		    "part=999-000001|999-000002 psn=EXAMPLE-PSN-2 "
		    "description=Example line card, rev 1 announce=2023-03-31 "
		    "last_order=2023-09-30 eos=2028-09-30\n"
		    "4: part=999-000003 psn=EXAMPLE-PSN-3 description=Example "
		    "power supply (part number only) announce=2022-06-30 "
		    "last_order=2022-12-31 convert_by=2023-12-31 "
		    "same_day_end=2024-12-31 next_day_end=2026-12-31 "
		    "eos=2027-12-31\n", "" },
		{ SW, "example-sw-lifecycle.csv",
		    "2: train=99.4 first_release=2023-12-26 eoe=2028-12-26 "
		    "eos=2029-06-26 release_type=EEOL\n"
		    "3: train=99.3 first_release=2023-10-09 eoe=2024-04-09 "
		    "eos=2024-10-09 release_type=EOL\n"
		    "4: train=99.1X70 first_release=2023-02-01\n", "" },
		{ CPO, "example-cpo.csv",
		    "2: serial=ZZ0000000020 sku=EXAMPLE-SW-48T-RF "
		    "purchase=2025-01-31 line=current care=yes\n"
		    "3: serial=ZZ0000000021 sku=EXAMPLE-RTR-RF "
		    "purchase=2024-03-31 line=end-of-production care=no\n"
		    "4: serial=ZZ0000000022 sku=EXAMPLE-RTR-RF "
		    "purchase=2024-06-15 line=end-of-production\n", "" },
		{ WAR, "example-warranty.csv",
		    "2: pattern=* months=12 description=Example default: one "
		    "year\n"
		    "3: pattern=EXAMPLE-SW-* months=60 description=Example "
		    "switch family: five years\n"
		    "4: pattern=EXAMPLE-RTR-* months=12\n", "" },
		{ REG, "example-registrations.csv",
		    "2: serial=ZZ0000000030 sku=EXAMPLE-SW-48T ship=2024-05-02 "
		    "site=Example Site A customer=Example Customer\n"
		    "3: serial=ZZ0000000031 sku=EXAMPLE-RTR ship=2024-05-03\n"
		    "4: serial=ZZ0000000032 sku=EXAMPLE-RTR site=Example Site B "
		    "customer=Example Customer\n", "Sales Order\n" },
	};
	struct import_result	 res;
	struct out		*o;
	char			 path[PATH_MAX], err[256];
	size_t			 i;

	(void)state;
	o = malloc(sizeof(*o));
	assert_non_null(o);
	for (i = 0; i < NELEM(ex); i++) {
		snprintf(path, sizeof(path), "%s/%s", EXAMPLES, ex[i].file);
		import_path(ex[i].kind, path, 0, &res, err, sizeof(err));
		memset(o, 0, sizeof(*o));
		dump_list(res.errors, res.nerrors, o);
		if (res.nerrors != 0)
			fail_msg("%s: %s\n%s", path, err, o->s);
		dump_rows(&res, o);
		if (strcmp(o->s, ex[i].rows) != 0)
			fail_msg("%s:\n%s", path, o->s);
		memset(o, 0, sizeof(*o));
		dump_list(res.unused, res.nunused, o);
		assert_string_equal(o->s, ex[i].unused);
		assert_int_equal(res.nwarnings, 0);
		import_clear(&res);
	}
	free(o);
}

/* The bad example's errors are exactly its .expect file. */
static void
test_example_bad(void **state)
{
	struct import_result	 res;
	struct out		*o;
	char			 err[256], want[4096];
	FILE			*fp;
	size_t			 n;

	(void)state;
	o = calloc(1, sizeof(*o));
	assert_non_null(o);
	fp = fopen(EXAMPLES "/example-contracts-bad.expect", "r");
	assert_non_null(fp);
	n = fread(want, 1, sizeof(want) - 1, fp);
	want[n] = '\0';
	fclose(fp);
	import_path(C, EXAMPLES "/example-contracts-bad.csv", 0, &res, err,
	    sizeof(err));
	assert_int_equal(res.nrows, 0);
	assert_int_equal(res.nbad, 6);
	dump_list(res.errors, res.nerrors, o);
	assert_string_equal(o->s, want);
	assert_string_equal(err, EXAMPLES "/example-contracts-bad.csv: 6 "
	    "errors, nothing imported");
	import_clear(&res);
	free(o);
}

/* Find a row by its line; fail if absent. */
static const struct import_row *
row_at(const struct import_result *res, unsigned long line)
{
	size_t	 i;

	for (i = 0; i < res->nrows; i++)
		if (res->rows[i].line == line)
			return (&res->rows[i]);
	fail_msg("no row at line %lu", line);
	return (NULL);
}

static const char *
iso(long day)
{
	static char	 buf[4][16];
	static int	 n;

	n = (n + 1) % 4;
	if (day == IMPORT_NO_DATE)
		return ("-");
	assert_int_equal(import_date_iso(day, buf[n], sizeof(buf[n])), 0);
	return (buf[n]);
}

/* juniper_eol.csv: sw-lifecycle as it is, 100 trains. */
static void
test_corpus_juniper_eol(void **state)
{
	struct import_result		 res;
	const struct import_sw_lifecycle *s;
	char				 path[PATH_MAX + 32], err[256];

	(void)state;
	if (!have_corpus)
		skip();
	snprintf(path, sizeof(path), "%s/eol/juniper_eol.csv", corpus);
	import_path(SW, path, 1, &res, err, sizeof(err));
	if (res.nerrors > 0 || res.nrows == 0)
		fail_msg("%s: %s: %s", path, err, res.nerrors ?
		    res.errors[0] : "");
	assert_int_equal(res.nrows, 100);
	assert_int_equal(res.nwarnings, 0);
	assert_int_equal(res.nunused, 0);
	assert_int_equal(res.datefmt, IMPORT_DATE_US);
	assert_int_equal(res.header_line, 1);

	s = &row_at(&res, 2)->u.sw;		/* 23.4,12/26/2023,... */
	assert_string_equal(s->train, "23.4");
	assert_string_equal(iso(s->first_release), "2023-12-26");
	assert_string_equal(iso(s->eoe), "2028-12-26");
	assert_string_equal(iso(s->eos), "2029-06-26");
	assert_int_equal(s->release_type, IMPORT_REL_EEOL);
	s = &row_at(&res, 32)->u.sw;		/* 15.1X49 */
	assert_string_equal(s->train, "15.1X49");
	assert_string_equal(iso(s->eos), "2021-06-30");
	s = &row_at(&res, 41)->u.sw;		/* 13.2: a 29 February */
	assert_string_equal(s->train, "13.2");
	assert_string_equal(iso(s->eos), "2016-02-29");
	assert_int_equal(s->release_type, IMPORT_REL_EOL);
	s = &row_at(&res, 101)->u.sw;		/* 4.4,04/30/2001,,, */
	assert_string_equal(s->train, "4.4");
	assert_string_equal(iso(s->first_release), "2001-04-30");
	assert_int_equal(s->eoe, IMPORT_NO_DATE);
	assert_int_equal(s->eos, IMPORT_NO_DATE);
	assert_int_equal(s->release_type, IMPORT_NO_ENUM);
	import_clear(&res);
}

/* eol-scanner's Junos versions: junos_release, FRS, EOE, EOL (= EoS). */
static void
test_corpus_versions(void **state)
{
	struct import_result		 res;
	const struct import_sw_lifecycle *s;
	char				 path[PATH_MAX + 64], err[256];

	(void)state;
	if (!have_corpus)
		skip();
	snprintf(path, sizeof(path),
	    "%s/eol/junoscriptorium_eol-scanner_junos-versions.csv", corpus);
	import_path(SW, path, 1, &res, err, sizeof(err));
	if (res.nerrors > 0 || res.nrows == 0)
		fail_msg("%s: %s: %s", path, err, res.nerrors ?
		    res.errors[0] : "");
	assert_int_equal(res.nrows, 44);
	assert_int_equal(res.nwarnings, 0);
	assert_int_equal(res.nunused, 0);
	s = &row_at(&res, 3)->u.sw;		/* 10.4,12/08/2010,... */
	assert_string_equal(s->train, "10.4");
	assert_string_equal(iso(s->first_release), "2010-12-08");
	assert_string_equal(iso(s->eoe), "2013-12-08");
	assert_string_equal(iso(s->eos), "2014-12-08");
	import_clear(&res);
}

/*
 * eol-scanner's parts: every milestone column lands in its field; the
 * three typos the table has (lines 188, 189, 278) are read leniently,
 * and with strict they are the only errors.
 */
static void
test_corpus_parts(void **state)
{
	struct import_result		 res;
	const struct import_hw_lifecycle *h;
	char				 path[PATH_MAX + 64], err[256];
	char				 w[PATH_MAX + 256];
	size_t				 i;

	(void)state;
	if (!have_corpus)
		skip();
	snprintf(path, sizeof(path),
	    "%s/eol/junoscriptorium_eol-scanner_parts.csv", corpus);
	import_path(HW, path, 0, &res, err, sizeof(err));
	if (res.nerrors > 0 || res.nrows == 0)
		fail_msg("%s: %s: %s", path, err, res.nerrors ?
		    res.errors[0] : "");
	assert_int_equal(res.nrows, 290);
	assert_int_equal(res.nunused, 0);	/* flags known, not unused */
	assert_int_equal(res.nwarnings, 3);
	snprintf(w, sizeof(w), "%s:188: sw_end: no such date \"06/31/2009\", "
	    "read as 2009-06-30 (end of month)", path);
	assert_string_equal(res.warnings[0], w);
	snprintf(w, sizeof(w), "%s:189: sw_end: no such date \"06/31/2009\", "
	    "read as 2009-06-30 (end of month)", path);
	assert_string_equal(res.warnings[1], w);
	snprintf(w, sizeof(w), "%s:278: same_day_end: bad date \"07/31/021\", "
	    "left empty", path);
	assert_string_equal(res.warnings[2], w);

	/* PSN-2011-07-314,DPCE-R-2XGE-XFP,750-020503,,,,, + 7 dates */
	h = &row_at(&res, 2)->u.hw;
	assert_string_equal(h->psn, "PSN-2011-07-314");
	assert_int_equal(h->model.n, 1);
	assert_string_equal(h->model.v[0], "DPCE-R-2XGE-XFP");
	assert_int_equal(h->part.n, 1);
	assert_string_equal(h->part.v[0], "750-020503");
	assert_null(h->description);
	assert_string_equal(iso(h->announce), "2011-07-18");
	assert_string_equal(iso(h->last_order), "2012-07-31");
	assert_string_equal(iso(h->convert_by), "2013-07-31");
	assert_string_equal(iso(h->same_day_end), "2014-07-31");
	assert_string_equal(iso(h->next_day_end), "2016-07-31");
	assert_string_equal(iso(h->sw_end), "2016-10-31");
	assert_string_equal(iso(h->eos), "2017-07-31");
	/* RE-850-1536-S;RE-850-1536-WW-S;RE-850-1536-R;RE-850-1536-BB */
	h = &row_at(&res, 9)->u.hw;
	assert_int_equal(h->model.n, 4);
	assert_string_equal(h->model.v[3], "RE-850-1536-BB");
	/* T640-FPC1-E2 with 710-025478;710-013553 */
	h = &row_at(&res, 10)->u.hw;
	assert_int_equal(h->part.n, 2);
	assert_string_equal(h->part.v[1], "710-013553");
	h = &row_at(&res, 278)->u.hw;
	assert_int_equal(h->same_day_end, IMPORT_NO_DATE);
	assert_string_equal(iso(h->next_day_end), "2003-07-31");
	for (i = 0; i < res.nrows; i++) {
		h = &res.rows[i].u.hw;
		assert_true(h->model.n > 0);
		assert_true(h->eos != IMPORT_NO_DATE);
	}
	import_clear(&res);

	import_path(HW, path, 1, &res, err, sizeof(err));
	assert_int_equal(res.nrows, 0);
	assert_int_equal(res.nerrors, 3);
	snprintf(w, sizeof(w), "%s:278: same_day_end: bad date \"07/31/021\"",
	    path);
	assert_string_equal(res.errors[2], w);
	import_clear(&res);
}

/*
 * The corpus is relative to the repository root: when run from
 * elsewhere, move there from build/tests/test_import.
 */
static void
find_corpus(const char *argv0)
{
	char	dir[PATH_MAX + 16];

	golden_find_root(argv0, "entitlement/import.h", "test_import");
	have_corpus = golden_corpus(CORPUS_DEFAULT, "eol", corpus,
	    sizeof(corpus), dir, sizeof(dir));
}

int
main(int argc, char *argv[])
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_cases),
		cmocka_unit_test(test_csv_stop),
		cmocka_unit_test(test_csv_read_fp),
		cmocka_unit_test(test_csv_default_caps),
		cmocka_unit_test(test_import_cases),
		cmocka_unit_test(test_import_strict),
		cmocka_unit_test(test_import_max_errors),
		cmocka_unit_test(test_import_limits),
		cmocka_unit_test(test_import_caps_and_kinds),
		cmocka_unit_test(test_import_every_alias),
		cmocka_unit_test(test_import_alias_unique),
		cmocka_unit_test(test_map_parse),
		cmocka_unit_test(test_map_accumulate),
		cmocka_unit_test(test_names_and_dates),
		cmocka_unit_test(test_file_missing),
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_example_bad),
		cmocka_unit_test(test_corpus_juniper_eol),
		cmocka_unit_test(test_corpus_versions),
		cmocka_unit_test(test_corpus_parts),
	};

	(void)argc;
	find_corpus(argv[0]);
	return (cmocka_run_group_tests_name("import", tests, NULL, NULL));
}
