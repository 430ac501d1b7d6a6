/*
 * test_xmlparse.c: unit and golden tests of collector/xmlparse.c.
 *
 * Golden tests parse every relevant Junos XML reply of the corpus
 * (xml/ under ../shared/corpus from the repository root, or $IB_CORPUS:
 * software, chassis inventory and Virtual Chassis replies, and the error
 * replies) and our own fixtures (tests/data/xml), and compare, byte for
 * byte, what build/tools/ibxml prints for them (three lines per reply,
 * then facts_dump()) with tests/data/golden_xml/<name>.out.  <name> is
 * the path below the corpus' xml/ with '/' written "__", or
 * "fixture__<file>" for ours; "fixture__<device>.all" parses the
 * replies of one poll of one device into one dev_facts.  Goldens are
 * written with ibxml and checked by hand against the XML; without the
 * corpus its cases are skipped, never passed.
 *
 * Unit tests cover what no golden can: hostile input (billion laughs in
 * UTF-8 and UTF-16, external entities, DOCTYPE, XInclude, truncation,
 * garbage, 17 MB, too many items, deep nesting) with f left unchanged and
 * nothing on stderr; error replies; namespaces; master selection; the
 * release rules; merging in any RPC order; agreement with the SNMP
 * parser on the devices both have fixtures for.
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <libxml/parser.h>

#include "collector/facts.h"
#include "collector/parse.h"
#include "collector/vb.h"
#include "collector/xmlparse.h"
#include "tests/golden.h"

#define GOLDEN_DIR	"tests/data/golden_xml"
#define FIXTURE_DIR	"tests/data/xml"
#define HOSTILE_DIR	"tests/data/xml/hostile"
#define SNMPREC_DIR	"tests/data/snmprec"
#define CORPUS_DEFAULT	"../shared/corpus"
#define MAX_STEPS	3

static char	 corpus[PATH_MAX];
static int	 have_corpus;

/*
 * Helpers.
 */

static char *
must_slurp(const char *path, size_t *lenp)
{
	char	*b;

	if ((b = golden_slurp(path, SIZE_MAX, lenp)) == NULL)
		fail_msg("cannot read %s: %s", path, strerror(errno));
	return (b);
}

static int
parse_str(enum xml_rpc rpc, const char *xml, struct dev_facts *f, char *err,
    size_t errlen)
{
	return (xmlparse_reply(rpc, xml, strlen(xml), f, err, errlen));
}

static int
parse_file(enum xml_rpc rpc, const char *path, struct dev_facts *f,
    char *err, size_t errlen)
{
	char	*buf;
	size_t	 len;
	int	 r;

	buf = must_slurp(path, &len);
	r = xmlparse_reply(rpc, buf, len, f, err, errlen);
	free(buf);
	return (r);
}

static const struct item *
find_item(const struct dev_facts *f, const char *name)
{
	size_t	 i;

	for (i = 0; i < f->nitems; i++)
		if (strcmp(f->items[i].name, name) == 0)
			return (&f->items[i]);
	return (NULL);
}

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static long
maxrss_kb(void)
{
	struct rusage	 ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_maxrss);
}

/*
 * stderr into a temporary file while hostile input is parsed: libxml2
 * must print nothing (the daemon's stderr is its log with -d).
 */
struct quiet {
	int	 saved;
	FILE	*tmp;
};

static void
quiet_begin(struct quiet *q)
{
	fflush(stderr);
	q->tmp = tmpfile();
	assert_non_null(q->tmp);
	q->saved = dup(STDERR_FILENO);
	assert_true(q->saved >= 0);
	assert_true(dup2(fileno(q->tmp), STDERR_FILENO) >= 0);
}

/* Returns the number of bytes written to stderr meanwhile. */
static long
quiet_end(struct quiet *q)
{
	long	 n;

	fflush(stderr);
	assert_true(dup2(q->saved, STDERR_FILENO) >= 0);
	close(q->saved);
	n = (long)lseek(fileno(q->tmp), 0, SEEK_END);
	fclose(q->tmp);
	return (n);
}

/*
 * Golden files.
 */

struct step {
	enum xml_rpc	 rpc;
	char		 path[PATH_MAX + NAME_MAX + 32];
};

enum gkind { G_CORPUS, G_FIXTURE, G_COMBINED, G_ORPHAN };

struct golden {
	char		 name[NAME_MAX + 1];	/* golden file without .out */
	enum gkind	 kind;
	size_t		 nsteps;
	struct step	 steps[MAX_STEPS];
	char		 test_name[NAME_MAX + 32];
};

/* One poll of one device: several replies into one dev_facts. */
static const struct {
	const char	*name;
	const char	*files[MAX_STEPS];	/* in tests/data/xml, in order */
} combined[] = {
	{ "ex4300-vc8.all", { "ex4300-vc8_get-software-information.xml",
	    "ex4300-vc8_get-chassis-inventory.xml",
	    "ex4300-vc8_get-virtual-chassis-information.xml" } },
	{ "srx345-cluster.all", { "srx345-cluster_get-software-information.xml",
	    "srx345-cluster_get-chassis-inventory.xml", NULL } },
};

/*
 * Which RPC a reply file answers, from its name: the RPC name in it (the
 * PyEZ and napalm fixtures are named so), PyEZ's "*_command.xml" ("show
 * version" through the CLI), and two error replies named otherwise.
 * Returns 0 for files of other RPCs (route-engine, cluster status...).
 */
static int
classify(const char *file, enum xml_rpc *rpc)
{
	size_t	 n = strlen(file);

	if (n < 4 || strcmp(file + n - 4, ".xml") != 0)
		return (0);
	if (strstr(file, "get-software-information") != NULL ||
	    (n > 12 && strcmp(file + n - 12, "_command.xml") == 0) ||
	    strcmp(file, "sw_info_dual_other_re_off.xml") == 0)
		*rpc = XRPC_SOFTWARE;
	else if (strstr(file, "get-chassis-inventory") != NULL)
		*rpc = XRPC_CHASSIS;
	else if (strstr(file, "get-virtual-chassis-information") != NULL)
		*rpc = XRPC_VC;
	else if (strcmp(file, "cluster_false_get-chassis-cluster-status.xml") == 0)
		*rpc = XRPC_CHASSIS;	/* an <xnm:error>: any RPC will do */
	else
		return (0);
	return (1);
}

static struct golden *
golden_add(struct golden **g, size_t *n, const char *name)
{
	struct golden	*ng;
	size_t		 i;

	for (i = 0; i < *n; i++)
		if (strcmp((*g)[i].name, name) == 0)
			return (&(*g)[i]);
	if ((ng = realloc(*g, (*n + 1) * sizeof(**g))) == NULL)
		abort();
	*g = ng;
	memset(&ng[*n], 0, sizeof(**g));
	snprintf(ng[*n].name, sizeof(ng[*n].name), "%s", name);
	ng[*n].kind = G_ORPHAN;
	return (&ng[(*n)++]);
}

/* Every relevant reply below corpus/xml/rel, recursively. */
static void
list_corpus(const char *rel, struct golden **g, size_t *n)
{
	char		 dir[PATH_MAX + 16], sub[PATH_MAX];
	char		 name[PATH_MAX + NAME_MAX + 32];
	DIR		*d;
	struct dirent	*de;
	struct stat	 sb;
	struct golden	*e;
	enum xml_rpc	 rpc;
	size_t		 i;

	snprintf(dir, sizeof(dir), "%s/xml%s%s", corpus, *rel ? "/" : "", rel);
	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "",
		    de->d_name);
		snprintf(name, sizeof(name), "%s/%s", dir, de->d_name);
		if (stat(name, &sb) == -1)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			list_corpus(sub, g, n);
			continue;
		}
		if (!classify(de->d_name, &rpc))
			continue;
		/* golden name: the relative path, '/' written "__" */
		for (i = 0; sub[i] != '\0' && strlen(sub) + 2 < sizeof(sub); ) {
			if (sub[i] == '/') {
				memmove(sub + i + 2, sub + i + 1, strlen(sub + i + 1) + 1);
				sub[i] = sub[i + 1] = '_';
				i += 2;
			} else
				i++;
		}
		e = golden_add(g, n, sub);
		e->kind = G_CORPUS;
		e->nsteps = 1;
		e->steps[0].rpc = rpc;
		snprintf(e->steps[0].path, sizeof(e->steps[0].path), "%s", name);
	}
	closedir(d);
}

static void
list_fixtures(struct golden **g, size_t *n)
{
	char		 name[NAME_MAX + 16];
	DIR		*d;
	struct dirent	*de;
	struct golden	*e;
	enum xml_rpc	 rpc;
	size_t		 i, j;

	if ((d = opendir(FIXTURE_DIR)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (!classify(de->d_name, &rpc))
				continue;
			snprintf(name, sizeof(name), "fixture__%s", de->d_name);
			e = golden_add(g, n, name);
			e->kind = G_FIXTURE;
			e->nsteps = 1;
			e->steps[0].rpc = rpc;
			snprintf(e->steps[0].path, sizeof(e->steps[0].path),
			    "%s/%s", FIXTURE_DIR, de->d_name);
		}
		closedir(d);
	}
	for (i = 0; i < sizeof(combined) / sizeof(combined[0]); i++) {
		snprintf(name, sizeof(name), "fixture__%s", combined[i].name);
		e = golden_add(g, n, name);
		e->kind = G_COMBINED;
		for (j = 0; j < MAX_STEPS && combined[i].files[j] != NULL; j++) {
			if (!classify(combined[i].files[j], &e->steps[j].rpc))
				abort();
			snprintf(e->steps[j].path, sizeof(e->steps[j].path),
			    "%s/%s", FIXTURE_DIR, combined[i].files[j]);
		}
		e->nsteps = j;
	}
}

/* Every golden, so that one whose reply is gone fails. */
static void
list_goldens(struct golden **g, size_t *n)
{
	char		 name[NAME_MAX + 1];
	DIR		*d;
	struct dirent	*de;
	size_t		 len;

	if ((d = opendir(GOLDEN_DIR)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 4 || strcmp(de->d_name + len - 4, ".out") != 0)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(len - 4), de->d_name);
		(void)golden_add(g, n, name);
	}
	closedir(d);
}

/* What ibxml prints for these replies, parsed in order into one f. */
static char *
run_steps(const struct step *s, size_t n)
{
	struct dev_facts	 f;
	char			 err[512], *out = NULL;
	size_t			 len = 0, i;
	FILE			*fp;
	int			 r;

	facts_init(&f);
	fp = open_memstream(&out, &len);
	assert_non_null(fp);
	for (i = 0; i < n; i++) {
		r = parse_file(s[i].rpc, s[i].path, &f, err, sizeof(err));
		fprintf(fp, "xml.%zu.rpc=%s\n", i, xml_rpc_name(s[i].rpc));
		fprintf(fp, "xml.%zu.rc=%d\n", i, r);
		fprintf(fp, "xml.%zu.err=%s\n", i, err);
	}
	facts_dump(fp, &f);
	assert_int_equal(fclose(fp), 0);
	facts_free(&f);
	return (out);
}

static void
test_golden(void **state)
{
	const struct golden	*g = *state;
	char			 gold[PATH_MAX + NAME_MAX + 32];
	char			*want, *got;
	const char		*a, *b;
	size_t			 wlen, i;
	int			 line;

	if (g->kind == G_ORPHAN && strncmp(g->name, "fixture__", 9) != 0 &&
	    !have_corpus)
		skip();
	if (g->kind == G_CORPUS && !have_corpus)
		skip();
	snprintf(gold, sizeof(gold), "%s/%s.out", GOLDEN_DIR, g->name);
	if (g->kind == G_ORPHAN)
		fail_msg("%s: golden without a reply", gold);
	if ((want = golden_slurp(gold, SIZE_MAX, &wlen)) == NULL)
		fail_msg("%s: no golden for %s (write it with build/tools/ibxml "
		    "and review it)", gold, g->steps[0].path);
	got = run_steps(g->steps, g->nsteps);
	if (wlen != strlen(got) || memcmp(want, got, wlen) != 0) {
		line = golden_first_diff(want, got, &a, &b);
		print_error("%s:%d: want: %.*s\n", gold, line,
		    (int)strcspn(a, "\n"), a);
		print_error("%s:%d: got:  %.*s\n", gold, line,
		    (int)strcspn(b, "\n"), b);
		for (i = 0; i < g->nsteps; i++)
			print_error("  reply %zu: %s\n", i, g->steps[i].path);
		free(want);
		free(got);
		fail_msg("%s differs", gold);
	}
	free(want);
	free(got);
}

static int
golden_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct golden *)a)->name,
	    ((const struct golden *)b)->name));
}

/*
 * Unit tests.
 */

static void
test_rpc_names(void **state)
{
	(void)state;
	assert_string_equal(xml_rpc_name(XRPC_SOFTWARE),
	    "get-software-information");
	assert_string_equal(xml_rpc_name(XRPC_CHASSIS), "get-chassis-inventory");
	assert_string_equal(xml_rpc_name(XRPC_VC),
	    "get-virtual-chassis-information");
}

static void
test_empty_input(void **state)
{
	struct dev_facts	 f;
	char			 err[128];

	(void)state;
	facts_init(&f);
	assert_int_equal(xmlparse_reply(XRPC_SOFTWARE, NULL, 0, &f, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "empty reply");
	assert_int_equal(xmlparse_reply(XRPC_SOFTWARE, "", 0, &f, err,
	    sizeof(err)), -1);
	/* No err buffer is allowed. */
	assert_int_equal(xmlparse_reply(XRPC_SOFTWARE, "<x/>", 4, &f, NULL, 0),
	    -1);
	assert_int_equal(parse_str(XRPC_SOFTWARE, "<rpc-reply><ok/></rpc-reply>",
	    &f, err, sizeof(err)), -1);
	assert_string_equal(err, "reply has no <software-information>");
	assert_int_equal(parse_str(XRPC_VC, "<rpc-reply/>", &f, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "reply has no <virtual-chassis-information>");
	assert_int_equal(f.nitems, 0);
	assert_int_equal(f.os, OS_UNKNOWN);
	facts_free(&f);
}

/* Facts that hostile replies must leave exactly as they were. */
static void
load_base(struct dev_facts *f)
{
	char	 err[256];

	facts_init(f);
	assert_int_equal(parse_file(XRPC_CHASSIS, FIXTURE_DIR
	    "/qfx5100-dupserial_get-chassis-inventory.xml", f, err,
	    sizeof(err)), 0);
}

static void
test_hostile_files(void **state)
{
	static const struct {
		const char	*file;
		enum xml_rpc	 rpc;
		const char	*err;		/* err starts with this */
	} t[] = {
		{ "billion-laughs.xml", XRPC_SOFTWARE,
		  "DOCTYPE or entity declaration refused" },
		{ "xxe-file.xml", XRPC_SOFTWARE,
		  "DOCTYPE or entity declaration refused" },
		{ "xxe-parameter.xml", XRPC_SOFTWARE,
		  "DOCTYPE or entity declaration refused" },
		{ "doctype-plain.xml", XRPC_SOFTWARE,
		  "DOCTYPE or entity declaration refused" },
		{ "truncated.xml", XRPC_CHASSIS,
		  "XML parse error at line 18: Premature end of data" },
		{ "garbage.txt", XRPC_CHASSIS,
		  "XML parse error at line 1: " },
	};
	struct dev_facts	 f;
	struct quiet		 q;
	char			 err[512], path[PATH_MAX], *before, *after;
	size_t			 i;
	long			 noise;
	int			 r[sizeof(t) / sizeof(t[0])];

	(void)state;
	load_base(&f);
	before = golden_dump(&f, NULL);
	quiet_begin(&q);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", HOSTILE_DIR, t[i].file);
		r[i] = parse_file(t[i].rpc, path, &f, err, sizeof(err));
		if (r[i] != -1 || strncmp(err, t[i].err, strlen(t[i].err)) != 0 ||
		    strstr(err, "root:") != NULL) {
			noise = quiet_end(&q);
			fail_msg("%s: rc %d, err \"%s\", want -1 \"%s...\"",
			    t[i].file, r[i], err, t[i].err);
		}
	}
	noise = quiet_end(&q);
	assert_int_equal(noise, 0);
	after = golden_dump(&f, NULL);
	assert_string_equal(before, after);
	free(before);
	free(after);
	facts_free(&f);
}

/* The file as UTF-16LE with a BOM: invisible to a byte scan for "<!". */
static char *
utf16le(const char *s, size_t *lenp)
{
	size_t	 n = strlen(s), i;
	char	*b;

	b = malloc(2 * n + 2);
	assert_non_null(b);
	b[0] = (char)0xff;
	b[1] = (char)0xfe;
	for (i = 0; i < n; i++) {
		b[2 + 2 * i] = s[i];
		b[3 + 2 * i] = 0;
	}
	*lenp = 2 * n + 2;
	return (b);
}

static void
test_hostile_utf16(void **state)
{
	static const char *const files[] = {
		"billion-laughs.xml", "xxe-file.xml", "xxe-parameter.xml",
		"doctype-plain.xml"
	};
	struct dev_facts	 f;
	struct quiet		 q;
	char			 err[512], path[PATH_MAX], *src, *b, *before, *after;
	size_t			 i, len;
	double			 t0, dt;
	long			 rss0, rss1;
	int			 r;

	(void)state;
	load_base(&f);
	before = golden_dump(&f, NULL);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", HOSTILE_DIR, files[i]);
		src = must_slurp(path, NULL);
		/* Drop the <?xml?> declaration: it would say UTF-8. */
		b = utf16le(strstr(src, "<!DOCTYPE"), &len);
		free(src);
		assert_null(memmem(b, len, "<!DOCTYPE", 9));
		rss0 = maxrss_kb();
		t0 = now_s();
		quiet_begin(&q);
		r = xmlparse_reply(XRPC_SOFTWARE, b, len, &f, err, sizeof(err));
		assert_int_equal(quiet_end(&q), 0);
		dt = now_s() - t0;
		rss1 = maxrss_kb();
		free(b);
		if (r != -1 || strcmp(err,
		    "DOCTYPE or entity declaration refused") != 0)
			fail_msg("%s (UTF-16): rc %d, err \"%s\"", files[i], r, err);
		/* Refused before any expansion: fast and small. */
		assert_true(dt < 1.0);
		assert_true(rss1 - rss0 < 32 * 1024);
	}
	after = golden_dump(&f, NULL);
	assert_string_equal(before, after);
	free(before);
	free(after);
	facts_free(&f);
}

static void
test_billion_laughs_fast(void **state)
{
	struct dev_facts	 f;
	char			 err[256], *b;
	size_t			 len;
	double			 t0;
	long			 rss0;
	int			 i;

	(void)state;
	facts_init(&f);
	b = must_slurp(HOSTILE_DIR "/billion-laughs.xml", &len);
	rss0 = maxrss_kb();
	t0 = now_s();
	for (i = 0; i < 1000; i++)
		assert_int_equal(xmlparse_reply(XRPC_SOFTWARE, b, len, &f, err,
		    sizeof(err)), -1);
	assert_true(now_s() - t0 < 2.0);
	assert_true(maxrss_kb() - rss0 < 16 * 1024);
	assert_int_equal(f.nitems, 0);
	assert_string_equal(f.hostname, "");
	free(b);
	facts_free(&f);
}

static void
test_xinclude_ignored(void **state)
{
	struct dev_facts	 f;
	char			 err[256], *d;
	const struct item	*it;

	(void)state;
	facts_init(&f);
	assert_int_equal(parse_file(XRPC_CHASSIS, HOSTILE_DIR "/xinclude.xml",
	    &f, err, sizeof(err)), 0);
	d = golden_dump(&f, NULL);
	assert_null(strstr(d, "root:"));
	free(d);
	assert_int_equal(f.nitems, 2);
	it = &f.items[1];
	assert_string_equal(it->name, "FPC with an XInclude for a name");
	facts_free(&f);
}

/* A reply with n bytes of padding in comments; valid XML. */
static char *
big_reply(size_t n, size_t *lenp)
{
	static const char head[] = "<rpc-reply><software-information>"
	    "<host-name>big</host-name><junos-version>21.4R3-S5.4"
	    "</junos-version></software-information>\n";
	static const char tail[] = "</rpc-reply>\n";
	char	*b, *p;
	size_t	 len = sizeof(head) - 1 + n + sizeof(tail) - 1, left;

	b = malloc(len + 1);
	assert_non_null(b);
	memcpy(b, head, sizeof(head) - 1);
	p = b + sizeof(head) - 1;
	for (left = n; left >= 1024; left -= 1024, p += 1024) {
		memcpy(p, "<!--", 4);
		memset(p + 4, 'x', 1024 - 8);
		memcpy(p + 1020, "-->\n", 4);
	}
	memset(p, ' ', left);
	p += left;
	memcpy(p, tail, sizeof(tail) - 1);
	b[len] = '\0';
	*lenp = len;
	return (b);
}

static void
test_size_limit(void **state)
{
	struct dev_facts	 f;
	char			 err[256], *b;
	size_t			 len;

	(void)state;
	facts_init(&f);
	/* 17 MB: refused without parsing. */
	b = big_reply(17u * 1024 * 1024, &len);
	assert_int_equal(xmlparse_reply(XRPC_SOFTWARE, b, len, &f, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "reply too large"));
	/* One byte over the limit: refused. */
	assert_int_equal(xmlparse_reply(XRPC_SOFTWARE, b, XML_REPLY_MAX + 1,
	    &f, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "reply too large"));
	free(b);
	assert_string_equal(f.hostname, "");
	/* Just under it: parsed. */
	b = big_reply(XML_REPLY_MAX - 4096, &len);
	assert_true(len <= XML_REPLY_MAX);
	assert_int_equal(xmlparse_reply(XRPC_SOFTWARE, b, len, &f, err,
	    sizeof(err)), 0);
	assert_string_equal(f.hostname, "big");
	assert_string_equal(f.version, "21.4R3-S5.4");
	free(b);
	facts_free(&f);
}

/* A chassis with n modules, each with a serial. */
static char *
many_modules(size_t n)
{
	char	*b = NULL;
	size_t	 len = 0, i;
	FILE	*fp;

	fp = open_memstream(&b, &len);
	assert_non_null(fp);
	fputs("<rpc-reply><chassis-inventory><chassis><name>Chassis</name>"
	    "<serial-number>JN11AA001AFA</serial-number>", fp);
	for (i = 0; i < n; i++)
		fprintf(fp, "<chassis-module><name>M %zu</name><serial-number>"
		    "S%07zu</serial-number></chassis-module>", i, i);
	fputs("</chassis></chassis-inventory></rpc-reply>", fp);
	assert_int_equal(fclose(fp), 0);
	return (b);
}

static void
test_item_limit(void **state)
{
	struct dev_facts	 f;
	char			 err[256], *b;

	(void)state;
	facts_init(&f);
	b = many_modules(16383);	/* + the chassis = 16384 */
	assert_int_equal(parse_str(XRPC_CHASSIS, b, &f, err, sizeof(err)), 0);
	free(b);
	assert_int_equal(f.nitems, 16384);
	assert_string_equal(f.items[16383].serial, "S0016382");
	facts_free(&f);

	facts_init(&f);
	b = many_modules(16384);
	assert_int_equal(parse_str(XRPC_CHASSIS, b, &f, err, sizeof(err)), -1);
	assert_string_equal(err, "more than 16384 items in one reply");
	assert_int_equal(f.nitems, 0);
	assert_string_equal(f.serial, "");
	free(b);
	facts_free(&f);
}

/* A chassis whose modules nest n deep. */
static char *
nested(size_t n)
{
	char	*b = NULL;
	size_t	 len = 0, i;
	FILE	*fp;

	fp = open_memstream(&b, &len);
	assert_non_null(fp);
	fputs("<rpc-reply><chassis-inventory><chassis><name>Chassis</name>"
	    "<serial-number>JN11AA001AFA</serial-number>", fp);
	for (i = 0; i < n; i++)
		fprintf(fp, "<chassis-%smodule><name>L%zu</name>",
		    i == 0 ? "" : "sub-", i);
	for (i = n; i > 0; i--)
		fprintf(fp, "</chassis-%smodule>", i == 1 ? "" : "sub-");
	fputs("</chassis></chassis-inventory></rpc-reply>", fp);
	assert_int_equal(fclose(fp), 0);
	return (b);
}

static void
test_deep_nesting(void **state)
{
	struct dev_facts	 f;
	struct quiet		 q;
	char			 err[256], want[ITEM_REF_LEN + 512], *b;
	size_t			 i, o;

	(void)state;
	facts_init(&f);
	b = nested(32);
	assert_int_equal(parse_str(XRPC_CHASSIS, b, &f, err, sizeof(err)), 0);
	free(b);
	assert_int_equal(f.nitems, 33);
	for (i = 1; i < f.nitems; i++)
		assert_int_equal(f.items[i].parent, (int)i - 1);
	/* The path, cut at the field's size. */
	o = (size_t)snprintf(want, sizeof(want), "get-chassis-inventory:");
	for (i = 0; i < 32; i++)
		o += (size_t)snprintf(want + o, sizeof(want) - o, "%sL%zu",
		    i ? "/" : "", i);
	want[ITEM_REF_LEN - 1] = '\0';
	assert_string_equal(f.items[32].source_ref, want);
	facts_free(&f);

	facts_init(&f);
	b = nested(33);
	assert_int_equal(parse_str(XRPC_CHASSIS, b, &f, err, sizeof(err)), -1);
	assert_string_equal(err, "modules nested deeper than 32");
	free(b);
	/* Deeper than libxml2's limit (256 without XML_PARSE_HUGE). */
	b = nested(5000);
	quiet_begin(&q);
	assert_int_equal(parse_str(XRPC_CHASSIS, b, &f, err, sizeof(err)), -1);
	assert_int_equal(quiet_end(&q), 0);
	assert_non_null(strstr(err, "XML parse error at line 1: "));
	free(b);
	assert_int_equal(f.nitems, 0);
	facts_free(&f);
}

/* Elements match by local name, whatever namespace or prefix. */
static void
test_namespaces(void **state)
{
	static const char plain[] =
	    "<rpc-reply><chassis-inventory><chassis><name>Chassis</name>"
	    "<serial-number>jn11aa001afa</serial-number><description>MX480"
	    "</description><chassis-module><name>FPC 0</name>"
	    "<serial-number>CAAB1234</serial-number><part-number>750-045715"
	    "</part-number></chassis-module></chassis></chassis-inventory>"
	    "</rpc-reply>";
	static const char prefixed[] =
	    "<nc:rpc-reply xmlns:nc=\"urn:ietf:params:xml:ns:netconf:base:1.0\""
	    " xmlns:junos=\"http://xml.juniper.net/junos/21.4R3/junos\">"
	    "<jc:chassis-inventory xmlns:jc=\"http://xml.juniper.net/junos/"
	    "21.4R3/junos-chassis\"><jc:chassis junos:style=\"inventory\">"
	    "<jc:name>Chassis</jc:name><jc:serial-number>jn11aa001afa"
	    "</jc:serial-number><jc:description>MX480</jc:description>"
	    "<jc:chassis-module><jc:name>FPC 0</jc:name><jc:serial-number>"
	    "CAAB1234</jc:serial-number><jc:part-number>750-045715"
	    "</jc:part-number></jc:chassis-module></jc:chassis>"
	    "</jc:chassis-inventory></nc:rpc-reply>";
	/* An undeclared prefix is a namespace error, not a fatal one. */
	static const char undeclared[] =
	    "<rpc-reply><chassis-inventory><chassis junos:style=\"inventory\">"
	    "<name>Chassis</name><serial-number>jn11aa001afa</serial-number>"
	    "<description>MX480</description><chassis-module><name>FPC 0"
	    "</name><serial-number>CAAB1234</serial-number><part-number>"
	    "750-045715</part-number></chassis-module></chassis>"
	    "</chassis-inventory></rpc-reply>";
	struct dev_facts	 f1, f2, f3;
	struct quiet		 q;
	char			 err[256], *d1, *d2, *d3;

	(void)state;
	facts_init(&f1);
	facts_init(&f2);
	facts_init(&f3);
	assert_int_equal(parse_str(XRPC_CHASSIS, plain, &f1, err, sizeof(err)), 0);
	assert_int_equal(parse_str(XRPC_CHASSIS, prefixed, &f2, err,
	    sizeof(err)), 0);
	quiet_begin(&q);
	assert_int_equal(parse_str(XRPC_CHASSIS, undeclared, &f3, err,
	    sizeof(err)), 0);
	assert_int_equal(quiet_end(&q), 0);
	d1 = golden_dump(&f1, NULL);
	d2 = golden_dump(&f2, NULL);
	d3 = golden_dump(&f3, NULL);
	assert_string_equal(d1, d2);
	assert_string_equal(d1, d3);
	assert_int_equal(f1.nitems, 2);
	assert_string_equal(f1.serial, "JN11AA001AFA");
	assert_string_equal(f1.items[1].source_ref,
	    "get-chassis-inventory:FPC 0");
	free(d1);
	free(d2);
	free(d3);
	facts_free(&f1);
	facts_free(&f2);
	facts_free(&f3);
}

/* The reply element alone, without <rpc-reply> (what a CLI pipe gives). */
static void
test_bare_elements(void **state)
{
	struct dev_facts	 f;
	char			 err[256];

	(void)state;
	facts_init(&f);
	assert_int_equal(parse_str(XRPC_SOFTWARE, "<software-information>"
	    "<host-name>pe1</host-name><product-model>mx960</product-model>"
	    "<junos-version>23.2R1.14</junos-version></software-information>",
	    &f, err, sizeof(err)), 0);
	assert_string_equal(f.hostname, "pe1");
	assert_string_equal(f.model, "MX960");
	assert_string_equal(f.version, "23.2R1.14");
	assert_int_equal(f.os, OS_JUNOS);
	facts_free(&f);
	facts_init(&f);
	assert_int_equal(parse_str(XRPC_SOFTWARE,
	    "<multi-routing-engine-results><multi-routing-engine-item>"
	    "<re-name>re0</re-name><software-information><host-name>pe2"
	    "</host-name><junos-version>22.4R3.25</junos-version>"
	    "</software-information></multi-routing-engine-item>"
	    "</multi-routing-engine-results>", &f, err, sizeof(err)), 0);
	assert_string_equal(f.hostname, "pe2");
	assert_string_equal(f.version_source,
	    "get-software-information:re0/junos-version");
	assert_int_equal(f.nitems, 0);		/* re0 is no member */
	facts_free(&f);
}

static void
test_error_replies(void **state)
{
	static const struct {
		const char	*xml;
		int		 rc;
		const char	*err;
	} t[] = {
		{ "<rpc-reply><rpc-error><error-severity>error</error-severity>"
		  "<error-message>syntax error</error-message></rpc-error>"
		  "</rpc-reply>", 1, "syntax error" },
		{ "<rpc-reply><rpc-error><error-tag>operation-failed"
		  "</error-tag></rpc-error></rpc-reply>", 1, "operation-failed" },
		{ "<rpc-reply xmlns:xnm=\"http://xml.juniper.net/xnm/1.1/xnm\">"
		  "<xnm:error><message>error: permission denied</message>"
		  "</xnm:error></rpc-reply>", 1, "error: permission denied" },
		{ "<xnm:error xmlns:xnm=\"http://xml.juniper.net/xnm/1.1/xnm\">"
		  "<message>bare</message></xnm:error>", 1, "bare" },
		{ "<rpc-reply><error>\n  Some error\n  message.\n</error>"
		  "</rpc-reply>", 1, "Some error message." },
		{ "<rpc-reply><rpc-error/></rpc-reply>", 1,
		  "error without a message" },
		{ "<rpc-reply><rpc-error><error-message>one</error-message>"
		  "</rpc-error><rpc-error><error-message>two</error-message>"
		  "</rpc-error></rpc-reply>", 1, "one (and 1 more errors)" },
		/* A warning alone is no answer and no error. */
		{ "<rpc-reply><rpc-error><error-severity>warning"
		  "</error-severity><error-message>w</error-message>"
		  "</rpc-error></rpc-reply>", -1,
		  "reply has no <software-information>" },
		/* Errors inside multi-RE items, nothing else. */
		{ "<rpc-reply><multi-routing-engine-results>"
		  "<multi-routing-engine-item><re-name>re1</re-name>"
		  "<xnm:error xmlns:xnm=\"x\"><message>re1 down</message>"
		  "</xnm:error></multi-routing-engine-item>"
		  "</multi-routing-engine-results></rpc-reply>", 1,
		  "re1: re1 down" },
	};
	struct dev_facts	 f;
	char			 err[256], *before, *after;
	size_t			 i;
	int			 r;

	(void)state;
	load_base(&f);
	before = golden_dump(&f, NULL);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		r = parse_str(XRPC_SOFTWARE, t[i].xml, &f, err, sizeof(err));
		if (r != t[i].rc || strcmp(err, t[i].err) != 0)
			fail_msg("case %zu: rc %d err \"%s\", want %d \"%s\"",
			    i, r, err, t[i].rc, t[i].err);
	}
	after = golden_dump(&f, NULL);
	assert_string_equal(before, after);
	free(before);
	free(after);
	facts_free(&f);
}

/* Partial multi-RE answers: the data is used, the error is in err. */
static void
test_partial_replies(void **state)
{
	struct dev_facts	 f;
	char			 err[256];

	(void)state;
	facts_init(&f);
	assert_int_equal(parse_file(XRPC_CHASSIS, FIXTURE_DIR
	    "/errors-node1-down_get-chassis-inventory.xml", &f, err,
	    sizeof(err)), 0);
	assert_string_equal(err, "node1: node1 is not reachable");
	assert_string_equal(f.serial, "DB2914AK0042");
	assert_non_null(find_item(&f, "node0"));
	assert_null(find_item(&f, "node1"));
	assert_int_equal(parse_file(XRPC_SOFTWARE, FIXTURE_DIR
	    "/errors-warning_get-software-information.xml", &f, err,
	    sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_string_equal(f.hostname, "pe1");
	facts_free(&f);
}

/* Which item of a multi-RE software reply speaks for the device. */
static void
test_master(void **state)
{
	static const char vc[] =
	    "<rpc-reply><virtual-chassis-information><member-list>"
	    "<member><member-status>Prsnt</member-status><member-id>0"
	    "</member-id><member-serial-number>PE01</member-serial-number>"
	    "<member-role>Backup</member-role></member>"
	    "<member><member-status>Prsnt</member-status><member-id>1"
	    "</member-id><member-serial-number>PE02</member-serial-number>"
	    "<member-role>Master*</member-role></member>"
	    "</member-list></virtual-chassis-information></rpc-reply>";
	static const char sw_fmt[] =
	    "<rpc-reply><multi-routing-engine-results>"
	    "<multi-routing-engine-item><re-name>%s0</re-name>"
	    "<software-information><host-name>h0</host-name><junos-version>"
	    "21.4R3-S4.9</junos-version></software-information>"
	    "</multi-routing-engine-item>"
	    "<multi-routing-engine-item><re-name>%s1</re-name>"
	    "<software-information><host-name>h1</host-name><junos-version>"
	    "21.4R3-S5.4</junos-version></software-information>"
	    "</multi-routing-engine-item></multi-routing-engine-results>"
	    "%s</rpc-reply>";
	static const struct {
		const char	*pfx;
		const char	*cli;
		int		 vcfirst;
		const char	*host;
	} t[] = {
		{ "fpc", "", 0, "h0" },			/* first */
		{ "fpc", "<cli><banner>{master:1}</banner></cli>", 0, "h1" },
		{ "member", "<cli><banner>{master:member1-re0}</banner></cli>",
		  0, "h1" },
		{ "node", "<cli><banner>{primary:node1}</banner></cli>", 0, "h1" },
		/* Where we logged in, not who is primary: ignored. */
		{ "node", "<cli><banner>{secondary:node1}</banner></cli>", 0, "h0" },
		{ "re", "<cli><banner>{master}</banner></cli>", 0, "h0" },
		{ "fpc", "", 1, "h1" },			/* VC role */
		{ "member", "", 1, "h1" },
	};
	struct dev_facts	 f;
	char			 err[256], xml[2048];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		facts_init(&f);
		if (t[i].vcfirst)
			assert_int_equal(parse_str(XRPC_VC, vc, &f, err,
			    sizeof(err)), 0);
		snprintf(xml, sizeof(xml), sw_fmt, t[i].pfx, t[i].pfx, t[i].cli);
		assert_int_equal(parse_str(XRPC_SOFTWARE, xml, &f, err,
		    sizeof(err)), 0);
		if (strcmp(f.hostname, t[i].host) != 0)
			fail_msg("case %zu: hostname %s, want %s", i, f.hostname,
			    t[i].host);
		assert_string_equal(f.version, strcmp(t[i].host, "h0") == 0 ?
		    "21.4R3-S4.9" : "21.4R3-S5.4");
		facts_free(&f);
	}
}

/* Releases: where each comes from, kept as written. */
static void
test_versions(void **state)
{
	static const struct {
		const char	*body;
		const char	*version;
		const char	*source;
		enum dev_os	 os;
	} t[] = {
		{ "<junos-version>15.1F5.15</junos-version>", "15.1F5.15",
		  "junos-version", OS_JUNOS },
		{ "<junos-version>16.1-20160720.0</junos-version>",
		  "16.1-20160720.0", "junos-version", OS_JUNOS },
		{ "<junos-version>17.4-20170706_dev_common.0</junos-version>",
		  "17.4-20170706_dev_common.0", "junos-version", OS_JUNOS },
		{ "<junos-version>22.2R3-S1.3-EVO</junos-version>",
		  "22.2R3-S1.3-EVO", "junos-version", OS_JUNOS_EVO },
		{ "<junos-version> 18.3I20180716_1639 </junos-version>",
		  "18.3I20180716_1639", "junos-version", OS_JUNOS },
		/* < 15.1: the "junos" package, else "jbase". */
		{ "<package-information><name>jais</name><comment>AI-Scripts "
		  "[6.0R2-THIN.0]</comment></package-information>"
		  "<package-information><name>junos</name><comment>JUNOS "
		  "Software Release [12.1X46-D15.3]</comment>"
		  "</package-information>", "12.1X46-D15.3",
		  "package-information[junos]", OS_JUNOS },
		{ "<package-information><name>jbase</name><comment>JUNOS Base "
		  "OS Software Suite [12.3R6.6]</comment></package-information>",
		  "12.3R6.6", "package-information[jbase]", OS_JUNOS },
		{ "<package-information><name>junos-version</name><comment>"
		  "Junos: 14.2R4</comment></package-information>", "14.2R4",
		  "package-information[junos-version]", OS_JUNOS },
		{ "<package-information><name>JUNOS version</name><comment>"
		  "JUNOS version : 17.4-20170718_dev_common.1-secure</comment>"
		  "</package-information>", "17.4-20170718_dev_common.1-secure",
		  "package-information[JUNOS version]", OS_JUNOS },
		{ "<version-information><component>MGD</component><release>"
		  "15.1X53-D45.3.secure [dc-builder]</release>"
		  "</version-information>", "15.1X53-D45.3.secure",
		  "version-information[MGD]", OS_JUNOS },
		/* Never guessed from other packages or build stamps. */
		{ "<package-information><name>junos</name></package-information>"
		  "<package-information><name>jais</name><comment>AI-Scripts "
		  "[6.0R2-THIN.0]</comment></package-information>", "", "",
		  OS_JUNOS },
		{ "<package-information><name>junos</name><comment>JUNOS OS "
		  "Kernel [20180515.183843_fbsd-builder_stable_11]</comment>"
		  "</package-information>", "", "", OS_JUNOS },
		{ "<package-information><name>os-kernel</name><comment>JUNOS "
		  "Kernel [18.3R1.9]</comment></package-information>", "", "",
		  OS_JUNOS },
	};
	struct dev_facts	 f;
	char			 err[256], xml[1024], src[128];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		facts_init(&f);
		snprintf(xml, sizeof(xml), "<rpc-reply><software-information>"
		    "<host-name>h</host-name><product-model>mx480</product-model>"
		    "%s</software-information></rpc-reply>", t[i].body);
		assert_int_equal(parse_str(XRPC_SOFTWARE, xml, &f, err,
		    sizeof(err)), 0);
		snprintf(src, sizeof(src), "%s%s", t[i].source[0] ?
		    "get-software-information:" : "", t[i].source);
		if (strcmp(f.version, t[i].version) != 0 ||
		    strcmp(f.version_source, src) != 0 || f.os != t[i].os)
			fail_msg("case %zu: %s (%s) os %d, want %s (%s) os %d", i,
			    f.version, f.version_source, f.os, t[i].version, src,
			    t[i].os);
		assert_string_equal(f.model, "MX480");
		facts_free(&f);
	}
}

/* VC rows: naming, roles, absent members, the device's serial. */
static void
test_vc_members(void **state)
{
	struct dev_facts	 f;
	const struct item	*it;
	char			 err[256];
	size_t			 i;

	(void)state;
	facts_init(&f);
	assert_int_equal(parse_file(XRPC_VC, FIXTURE_DIR
	    "/ex4300-vc8_get-virtual-chassis-information.xml", &f, err,
	    sizeof(err)), 0);
	assert_int_equal(f.nitems, 8);		/* member 8 is NotPrsnt */
	for (i = 0; i < 8; i++) {
		char	 name[32];

		snprintf(name, sizeof(name), "member %zu", i);
		assert_non_null(it = find_item(&f, name));
		assert_int_equal(it->kind, ITEM_MEMBER);
		assert_string_equal(it->role, i == 0 ? "backup" : i == 1 ?
		    "master" : "linecard");
		assert_string_equal(it->model, i < 2 ? "EX4300-48P" :
		    "EX4300-48T");
		assert_string_equal(it->source, "netconf");
	}
	assert_null(find_item(&f, "member 8"));
	assert_string_equal(f.serial, "PE3714AA0011");	/* the master's */
	assert_string_equal(f.model, "EX4300-48P");
	facts_free(&f);
}

/* Identity of what one poll found, independent of the RPC order. */
static char *
identity(const struct dev_facts *f)
{
	char	*b = NULL;
	size_t	 len = 0, i;
	FILE	*fp;

	fp = open_memstream(&b, &len);
	assert_non_null(fp);
	fprintf(fp, "%s|%s|%s|%s|%d\n", f->hostname, f->model, f->serial,
	    f->version, f->os);
	for (i = 0; i < f->nitems; i++) {
		const struct item	*it = &f->items[i];

		fprintf(fp, "%d|%s|%s|%d|%s|%s|%s|%s\n", it->kind, it->name,
		    it->serial, it->serialized, it->parent >= 0 ?
		    f->items[it->parent].name : "-", it->model, it->role,
		    it->version);
	}
	assert_int_equal(fclose(fp), 0);
	return (b);
}

static int
line_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* The identity lines sorted (items may come in another order). */
static char *
sorted_identity(const struct dev_facts *f)
{
	char	*id = identity(f), *lines[4096], *out = NULL, *p;
	size_t	 n = 0, i, len = 0;
	FILE	*fp;

	for (p = strtok(id, "\n"); p != NULL && n < 4096; p = strtok(NULL, "\n"))
		lines[n++] = p;
	qsort(lines, n, sizeof(lines[0]), line_cmp);
	fp = open_memstream(&out, &len);
	assert_non_null(fp);
	for (i = 0; i < n; i++)
		fprintf(fp, "%s\n", lines[i]);
	assert_int_equal(fclose(fp), 0);
	free(id);
	return (out);
}

static void
test_any_order(void **state)
{
	static const char *const files[3] = {
		FIXTURE_DIR "/ex4300-vc8_get-software-information.xml",
		FIXTURE_DIR "/ex4300-vc8_get-chassis-inventory.xml",
		FIXTURE_DIR "/ex4300-vc8_get-virtual-chassis-information.xml",
	};
	static const enum xml_rpc rpcs[3] = { XRPC_SOFTWARE, XRPC_CHASSIS,
	    XRPC_VC };
	static const int perm[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 },
		{ 2, 1, 0 }
	};
	struct dev_facts	 f;
	char			 err[256], *first = NULL, *id;
	size_t			 p, k;

	(void)state;
	for (p = 0; p < 6; p++) {
		facts_init(&f);
		for (k = 0; k < 3; k++)
			assert_int_equal(parse_file(rpcs[perm[p][k]],
			    files[perm[p][k]], &f, err, sizeof(err)), 0);
		assert_int_equal(f.nitems, 34);
		id = sorted_identity(&f);
		if (first == NULL)
			first = id;
		else {
			if (strcmp(first, id) != 0)
				fail_msg("order %d%d%d differs:\n%s\nvs\n%s",
				    perm[p][0], perm[p][1], perm[p][2], first, id);
			free(id);
		}
		facts_free(&f);
	}
	free(first);
}

/* Re-parsing the same replies adds nothing: one serial, one item. */
static void
test_idempotent(void **state)
{
	struct dev_facts	 f;
	char			 err[256], *a, *b;

	(void)state;
	facts_init(&f);
	assert_int_equal(parse_file(XRPC_CHASSIS, FIXTURE_DIR
	    "/srx345-cluster_get-chassis-inventory.xml", &f, err,
	    sizeof(err)), 0);
	a = sorted_identity(&f);
	assert_int_equal(parse_file(XRPC_CHASSIS, FIXTURE_DIR
	    "/srx345-cluster_get-chassis-inventory.xml", &f, err,
	    sizeof(err)), 0);
	b = sorted_identity(&f);
	/* Serialized items merge; the unserialized rows come twice. */
	assert_int_equal(f.nitems, 8 + 6);
	assert_non_null(strstr(b, "node0|CV1718AF0123|1"));
	assert_null(strstr(strstr(b, "node0|CV1718AF0123|1") + 1,
	    "node0|CV1718AF0123|1"));
	free(a);
	free(b);
	facts_free(&f);
}

/*
 * SNMP and NETCONF polls of one device must name and merge alike: every
 * serialized item of one is an item of the same kind (and member name)
 * in the other, and the device identity agrees.
 */
static void
agree(const char *walk, const char *const *files, const enum xml_rpc *rpcs,
    size_t n)
{
	struct vblist		 l;
	struct dev_facts	 s, x;
	char			 err[512];
	size_t			 i, j, hits;

	vblist_init(&l);
	facts_init(&s);
	facts_init(&x);
	if (snmprec_load(walk, &l, err, sizeof(err)) == -1)
		fail_msg("%s", err);
	assert_int_equal(parse_device(&l, &s), 0);
	vblist_free(&l);
	for (i = 0; i < n; i++)
		assert_int_equal(parse_file(rpcs[i], files[i], &x, err,
		    sizeof(err)), 0);
	assert_string_equal(s.serial, x.serial);
	assert_string_equal(s.model, x.model);
	assert_string_equal(s.version, x.version);
	for (i = 0; i < s.nitems; i++) {
		const struct item	*a = &s.items[i];

		if (!a->serialized)
			continue;
		for (j = 0, hits = 0; j < x.nitems; j++) {
			const struct item	*b = &x.items[j];

			if (strcmp(a->serial, b->serial) != 0)
				continue;
			hits++;
			if (a->kind != b->kind || (a->kind == ITEM_MEMBER &&
			    strcmp(a->name, b->name) != 0))
				fail_msg("%s: %s is %s \"%s\" by SNMP, %s \"%s\" "
				    "by NETCONF", walk, a->serial,
				    item_kind_str(a->kind), a->name,
				    item_kind_str(b->kind), b->name);
		}
		if (hits != 1)
			fail_msg("%s: serial %s in %zu NETCONF items", walk,
			    a->serial, hits);
	}
	for (j = 0; j < x.nitems; j++) {
		if (!x.items[j].serialized)
			continue;
		for (i = 0; i < s.nitems; i++)
			if (strcmp(s.items[i].serial, x.items[j].serial) == 0)
				break;
		if (i == s.nitems)
			fail_msg("%s: NETCONF serial %s not seen by SNMP", walk,
			    x.items[j].serial);
	}
	facts_free(&s);
	facts_free(&x);
}

static void
test_snmp_agreement(void **state)
{
	static const char *const ex[] = {
		FIXTURE_DIR "/ex4300-vc8_get-software-information.xml",
		FIXTURE_DIR "/ex4300-vc8_get-chassis-inventory.xml",
		FIXTURE_DIR "/ex4300-vc8_get-virtual-chassis-information.xml",
	};
	static const enum xml_rpc exr[] = { XRPC_SOFTWARE, XRPC_CHASSIS, XRPC_VC };
	static const char *const srx[] = {
		FIXTURE_DIR "/srx345-cluster_get-software-information.xml",
		FIXTURE_DIR "/srx345-cluster_get-chassis-inventory.xml",
	};
	static const enum xml_rpc srxr[] = { XRPC_SOFTWARE, XRPC_CHASSIS };

	(void)state;
	agree(SNMPREC_DIR "/ex4300-vc8.snmprec", ex, exr, 3);
	agree(SNMPREC_DIR "/srx345-cluster.snmprec", srx, srxr, 2);
}

/* A reply merges into what SNMP found in the same dev_facts. */
static void
test_merge_into_snmp(void **state)
{
	struct vblist		 l;
	struct dev_facts	 f;
	const struct item	*it;
	char			 err[512];
	size_t			 n;

	(void)state;
	vblist_init(&l);
	facts_init(&f);
	if (snmprec_load(SNMPREC_DIR "/srx345-cluster.snmprec", &l, err,
	    sizeof(err)) == -1)
		fail_msg("%s", err);
	assert_int_equal(parse_device(&l, &f), 0);
	vblist_free(&l);
	n = f.nitems;
	assert_int_equal(parse_file(XRPC_CHASSIS, FIXTURE_DIR
	    "/srx345-cluster_get-chassis-inventory.xml", &f, err,
	    sizeof(err)), 0);
	/* The nodes merge (same serial); the 6 unserialized rows are new. */
	assert_int_equal(f.nitems, n + 6);
	assert_non_null(it = find_item(&f, "node0"));
	assert_string_equal(it->source, "snmp");
	assert_string_equal(it->serial, "CV1718AF0123");
	assert_int_equal(f.items[0].kind, ITEM_MEMBER);
	facts_free(&f);
}

/* The release and identity of real corpus replies, beside the goldens. */
static void
test_corpus_facts(void **state)
{
	static const struct {
		const char	*file;
		enum xml_rpc	 rpc;
		int		 rc;
		const char	*host, *model, *serial, *version;
	} t[] = {
		{ "py-junos-eznc/facts/rpc-reply/sw_info_dual_command.xml",
		  XRPC_SOFTWARE, 0, "baku", "MX480", "", "15.1F5.15-C1.12" },
		{ "py-junos-eznc/facts/rpc-reply/personality_mx_command.xml",
		  XRPC_SOFTWARE, 0, "cots", "MX80", "", "16.1-20160720.0" },
		{ "py-junos-eznc/facts/rpc-reply/"
		  "sw_info_bsys_get-software-information.xml", XRPC_SOFTWARE, 0,
		  "bsys", "MX2020", "", "17.4-20170706_dev_common.0" },
		{ "py-junos-eznc/ofacts/rpc-reply/get-software-information.xml",
		  XRPC_SOFTWARE, 0, "wf-kiwi", "MX960", "", "12.3R6.6" },
		{ "py-junos-eznc/rpc-reply/get-software-information.xml",
		  XRPC_SOFTWARE, 0, "firefly", "FIREFLY-PERIMETER", "",
		  "12.1X46-D15.3" },
		{ "py-junos-eznc/facts/rpc-reply/sw_info_dual_other_re_off.xml",
		  XRPC_SOFTWARE, 0, "R1_re01", "MX960", "", "18.3I20180716_1639" },
		{ "py-junos-eznc/facts/rpc-reply/"
		  "chassis_serialnumber_get-chassis-inventory.xml", XRPC_CHASSIS,
		  0, "", "MX480", "JN1249018AFB", "" },
		{ "py-junos-eznc/facts/rpc-reply/"
		  "chassis_error_xml_get-chassis-inventory.xml", XRPC_CHASSIS, 1,
		  "", "", "", "" },
		{ "py-junos-eznc/facts/rpc-reply/"
		  "cluster_false_get-chassis-cluster-status.xml", XRPC_CHASSIS, 1,
		  "", "", "", "" },
		{ "py-junos-eznc/facts/rpc-reply/"
		  "sw_info_vc_get-virtual-chassis-information.xml", XRPC_VC, 0,
		  "", "MX240", "JN1230B3FAFC", "" },
	};
	struct dev_facts	 f;
	char			 err[256], path[2 * PATH_MAX];
	size_t			 i;
	int			 r;

	(void)state;
	if (!have_corpus)
		skip();
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		facts_init(&f);
		snprintf(path, sizeof(path), "%s/xml/%s", corpus, t[i].file);
		r = parse_file(t[i].rpc, path, &f, err, sizeof(err));
		if (r != t[i].rc || strcmp(f.hostname, t[i].host) != 0 ||
		    strcmp(f.model, t[i].model) != 0 ||
		    strcmp(f.serial, t[i].serial) != 0 ||
		    strcmp(f.version, t[i].version) != 0)
			fail_msg("%s: rc %d %s/%s/%s/%s, want %d %s/%s/%s/%s",
			    t[i].file, r, f.hostname, f.model, f.serial,
			    f.version, t[i].rc, t[i].host, t[i].model,
			    t[i].serial, t[i].version);
		facts_free(&f);
	}
}

/*
 * main
 */

int
main(int argc, char *argv[])
{
	static const struct CMUnitTest unit[] = {
		cmocka_unit_test(test_rpc_names),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_hostile_files),
		cmocka_unit_test(test_hostile_utf16),
		cmocka_unit_test(test_billion_laughs_fast),
		cmocka_unit_test(test_xinclude_ignored),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_item_limit),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_namespaces),
		cmocka_unit_test(test_bare_elements),
		cmocka_unit_test(test_error_replies),
		cmocka_unit_test(test_partial_replies),
		cmocka_unit_test(test_master),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_vc_members),
		cmocka_unit_test(test_any_order),
		cmocka_unit_test(test_idempotent),
		cmocka_unit_test(test_snmp_agreement),
		cmocka_unit_test(test_merge_into_snmp),
		cmocka_unit_test(test_corpus_facts),
	};
	struct golden		*g = NULL;
	struct CMUnitTest	*gt;
	char			 dir[PATH_MAX + 16];
	size_t			 n = 0, i;
	int			 fails;

	(void)argc;
	golden_find_root(argv[0], GOLDEN_DIR, "test_xmlparse");
	xmlInitParser();
	have_corpus = golden_corpus(CORPUS_DEFAULT, "xml", corpus,
	    sizeof(corpus), dir, sizeof(dir));

	fails = cmocka_run_group_tests_name("xmlparse", unit, NULL, NULL);

	if (have_corpus)
		list_corpus("", &g, &n);
	list_fixtures(&g, &n);
	list_goldens(&g, &n);
	if (n > 1)
		qsort(g, n, sizeof(*g), golden_cmp);
	if ((gt = calloc(n + 1, sizeof(*gt))) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		snprintf(g[i].test_name, sizeof(g[i].test_name), "golden %s",
		    g[i].name);
		gt[i].name = g[i].test_name;
		gt[i].test_func = test_golden;
		gt[i].initial_state = &g[i];
	}
	fails += _cmocka_run_group_tests("golden_xml", gt, n, NULL, NULL);
	free(gt);
	free(g);
	xmlCleanupParser();
	return (fails);
}
