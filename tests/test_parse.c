/*
 * test_parse.c: unit and golden tests of the parsing layer (facts.c,
 * vb.c, parse.c).
 *
 * Golden tests load every walk (corpus/snmprec/ *.snmprec and our own
 * tests/data/snmprec/ *.snmprec), run parse_device() and compare
 * facts_dump() byte for byte with tests/data/golden/<name>.out.  Goldens
 * are written with build/tools/ibparse and checked by hand against the
 * walk.  The corpus is ../shared/corpus from the repository root (or
 * $IB_CORPUS); without it the corpus cases are skipped, never passed.
 *
 * The agreement test compares our version, chassis serial and model with
 * what LibreNMS expects for the same walks (the corpus' derived TSV
 * summary of expected/ *.json); each place where we deliberately differ
 * is listed in agree_exc[] with the reason.
 */
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
#include <unistd.h>

#include <cmocka.h>

#include "collector/facts.h"
#include "collector/parse.h"
#include "collector/vb.h"
#include "tests/golden.h"

#define GOLDEN_DIR	"tests/data/golden"
#define FIXTURE_DIR	"tests/data/snmprec"
#define CORPUS_DEFAULT	"../shared/corpus"

static char	 corpus[PATH_MAX];
static int	 have_corpus;

/*
 * Small helpers.
 */

/* Load and parse a walk; fails the test on any error. */
static void
parse_walk(const char *path, struct dev_facts *f)
{
	struct vblist	 l;
	char		 err[512];

	vblist_init(&l);
	facts_init(f);
	if (snmprec_load(path, &l, err, sizeof(err)) == -1) {
		vblist_free(&l);
		fail_msg("%s", err);
	}
	assert_int_equal(parse_device(&l, f), 0);
	vblist_free(&l);
}

static void
add_vb(struct vblist *l, const char *oidtext, enum vb_type t, long long num,
    const char *str, size_t len)
{
	uint32_t	 oid[VB_MAX_OID];
	int		 n;

	n = oid_parse(oidtext, oid, VB_MAX_OID);
	assert_true(n > 0);
	assert_int_equal(vblist_add(l, oid, (size_t)n, t, num, str,
	    str ? len : 0), 0);
}

static void
add_str(struct vblist *l, const char *oid, const char *s)
{
	add_vb(l, oid, VB_STR, 0, s, strlen(s));
}

static void
add_int(struct vblist *l, const char *oid, long long n)
{
	add_vb(l, oid, VB_INT, n, NULL, 0);
}

static void
add_oid(struct vblist *l, const char *oid, const char *val)
{
	add_vb(l, oid, VB_OID, 0, val, strlen(val));
}

/*
 * facts.c
 */

static void
test_enum_strings(void **state)
{
	static const char *const ps[] = {
		"ok", "partial", "timeout", "auth", "refused", "badreply", "error"
	};
	int	 i;

	(void)state;
	for (i = POLL_OK; i <= POLL_ERROR; i++)
		assert_string_equal(poll_status_str((enum poll_status)i), ps[i]);
	assert_string_equal(item_kind_str(ITEM_CHASSIS), "chassis");
	assert_string_equal(item_kind_str(ITEM_MEMBER), "member");
	assert_string_equal(item_kind_str(ITEM_COMPONENT), "component");
	assert_string_equal(dev_os_str(OS_UNKNOWN), "unknown");
	assert_string_equal(dev_os_str(OS_JUNOS), "junos");
	assert_string_equal(dev_os_str(OS_JUNOS_EVO), "junos-evolved");
	assert_string_equal(dev_os_str(OS_OTHER), "other");
}

static void
test_fact_strlcpy(void **state)
{
	char	 b[6];

	(void)state;
	fact_strlcpy(b, "abc", sizeof(b));
	assert_string_equal(b, "abc");
	fact_strlcpy(b, "abcdefgh", sizeof(b));
	assert_string_equal(b, "abcde");
	fact_strlcpy(b, NULL, sizeof(b));
	assert_string_equal(b, "");
	b[0] = 'x';
	fact_strlcpy(b, "abc", 0);		/* nothing written */
	assert_int_equal(b[0], 'x');
}

static void
test_fact_sanitize(void **state)
{
	static const struct {
		const char	*in;
		size_t		 inlen;
		size_t		 dstlen;
		const char	*out;
	} t[] = {
		{ "  MX480 \t", 9, 64, "MX480" },
		{ "a\0b", 3, 64, "a b" },			/* NUL inside */
		{ "abc\0\0\0", 6, 64, "abc" },			/* NUL padding */
		{ "a\r\nb", 4, 64, "a  b" },
		{ "\x01\x02x\x7f", 4, 64, "x" },
		{ "caf\xc3\xa9", 5, 64, "caf\xc3\xa9" },	/* valid UTF-8 */
		{ "caf\xc3\xa9", 5, 5, "caf" },		/* never half a char */
		{ "a\xff" "b", 3, 64, "a?b" },			/* invalid byte */
		{ "\xc0\xaf", 2, 64, "??" },			/* overlong '/' */
		{ "\xed\xa0\x80", 3, 64, "???" },		/* surrogate */
		{ "\xf4\x90\x80\x80", 4, 64, "????" },		/* > U+10FFFF */
		{ "\xe2\x82", 2, 64, "??" },			/* cut sequence */
		{ "abcdef", 6, 4, "abc" },
		{ "", 0, 4, "" },
	};
	char	 b[64];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		fact_sanitize(b, t[i].in, t[i].inlen, t[i].dstlen);
		if (strcmp(b, t[i].out) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, b,
			    t[i].out);
	}
	fact_sanitize(b, NULL, 0, sizeof(b));
	assert_string_equal(b, "");
}

static void
test_facts_items(void **state)
{
	struct dev_facts	 f;
	struct item		*it;
	int			 i;

	(void)state;
	facts_init(&f);
	for (i = 0; i < 100; i++) {
		it = facts_add_item(&f, i % 2 ? ITEM_COMPONENT : ITEM_MEMBER);
		assert_non_null(it);
		assert_int_equal(it->parent, -1);
		assert_int_equal(it->serialized, 0);
		assert_string_equal(it->serial, "");
		snprintf(it->name, sizeof(it->name), "n%d", i);
	}
	assert_int_equal(f.nitems, 100);
	assert_string_equal(f.items[99].name, "n99");
	assert_int_equal(f.items[98].kind, ITEM_MEMBER);
	facts_free(&f);
	assert_null(f.items);
	assert_int_equal(f.nitems, 0);
	facts_free(&f);			/* twice is harmless */
	facts_free(NULL);
}

static void
test_facts_dump_escapes(void **state)
{
	struct dev_facts	 f;
	struct item		*it;
	char			*s;

	(void)state;
	facts_init(&f);
	/* Fields filled without fact_sanitize() must still dump as one line. */
	memcpy(f.sys_name, "a\nb\\c\x01\xff\xc3\xa9", 10);
	f.os = OS_JUNOS;
	f.sys_uptime = 4294967295U;
	it = facts_add_item(&f, ITEM_CHASSIS);
	assert_non_null(it);
	fact_strlcpy(it->name, "Chassis\t0", sizeof(it->name));
	memset(it->description, 'x', sizeof(it->description));	/* no NUL */
	s = golden_dump(&f, NULL);
	assert_non_null(strstr(s, "\nsys_name=a\\nb\\\\c\\x01\\xff\xc3\xa9\n"));
	assert_non_null(strstr(s, "\nsys_uptime=4294967295\n"));
	assert_non_null(strstr(s, "\nos=junos\n"));
	assert_non_null(strstr(s, "\nnitems=1\nitem.0.kind=chassis\n"
	    "item.0.parent=-1\nitem.0.serialized=0\nitem.0.name=Chassis\\t0\n"));
	assert_non_null(strstr(s, "item.0.description=xxxxxxxxxx"));
	assert_non_null(strstr(s, "item.0.source_ref=\n"));
	free(s);
	facts_free(&f);
}

/*
 * vb.c
 */

static void
test_oid(void **state)
{
	uint32_t	 o[VB_MAX_OID], p[4];
	char		 buf[64];

	(void)state;
	assert_int_equal(oid_parse("1.3.6.1.2.1.1.1.0", o, VB_MAX_OID), 9);
	assert_int_equal(o[0], 1);
	assert_int_equal(o[8], 0);
	assert_int_equal(oid_parse(".1.3.6", o, VB_MAX_OID), 3);
	assert_int_equal(oid_parse("0.0", o, VB_MAX_OID), 2);
	assert_int_equal(oid_parse("1.4294967295", o, VB_MAX_OID), 2);
	assert_int_equal(o[1], 4294967295U);
	assert_int_equal(oid_parse("1.4294967296", o, VB_MAX_OID), -1);
	assert_int_equal(oid_parse("", o, VB_MAX_OID), -1);
	assert_int_equal(oid_parse(".", o, VB_MAX_OID), -1);
	assert_int_equal(oid_parse("1..3", o, VB_MAX_OID), -1);
	assert_int_equal(oid_parse("1.3.", o, VB_MAX_OID), -1);
	assert_int_equal(oid_parse("1.3a", o, VB_MAX_OID), -1);
	assert_int_equal(oid_parse("-1.3", o, VB_MAX_OID), -1);
	assert_int_equal(oid_parse("1.2.3.4.5", p, 4), -1);
	assert_int_equal(oid_parse(NULL, o, VB_MAX_OID), -1);

	assert_int_equal(oid_parse("1.3.6.1.4.1", o, VB_MAX_OID), 6);
	assert_string_equal(oid_format(o, 6, buf, sizeof(buf)), "1.3.6.1.4.1");
	assert_string_equal(oid_format(o, 6, buf, 8), "1.3.6.1");
	assert_string_equal(oid_format(o, 6, buf, 7), "1.3.6");
	assert_string_equal(oid_format(o, 0, buf, sizeof(buf)), "");

	p[0] = 1; p[1] = 3; p[2] = 7;
	assert_true(oid_cmp(o, 6, p, 3) < 0);
	assert_true(oid_cmp(p, 3, o, 6) > 0);
	assert_int_equal(oid_cmp(o, 2, p, 2), 0);
	assert_true(oid_cmp(o, 2, p, 3) < 0);		/* prefix first */
	assert_true(oid_cmp(p, 3, p, 2) > 0);
}

static void
test_vblist(void **state)
{
	struct vblist	 l;
	uint32_t	 o[VB_MAX_OID + 1];
	size_t		 i;

	(void)state;
	vblist_init(&l);
	add_str(&l, "1.3.6.1.2.1.1.5.0", "b");
	add_str(&l, "1.3.6.1.2.1.1.1.0", "a");
	add_int(&l, "1.3.6.1.2.1.1.7", 72);
	add_vb(&l, "1.3.6.1.2.1.1.4.0", VB_STR, 0, "x\0y", 3);
	for (i = 0; i < 200; i++)
		add_int(&l, "1.3.6.1.2.1.2.1.0", (long long)i);
	vblist_sort(&l);
	assert_int_equal(l.n, 204);
	assert_int_equal(l.v[0].oidlen, 9);
	assert_string_equal(l.v[0].str, "a");
	assert_int_equal(l.v[1].len, 3);
	assert_memory_equal(l.v[1].str, "x\0y", 4);
	assert_string_equal(l.v[2].str, "b");
	assert_int_equal(l.v[3].num, 72);
	assert_null(l.v[3].str);
	memset(o, 0, sizeof(o));
	assert_int_equal(vblist_add(&l, o, VB_MAX_OID + 1, VB_INT, 0, NULL, 0),
	    -1);
	assert_int_equal(vblist_add(&l, o, VB_MAX_OID, VB_INT, 0, NULL, 0), 0);
	vblist_free(&l);
	assert_int_equal(l.n, 0);
	vblist_free(&l);
}

/* Write text to a fresh temporary file; returns its path (static buffer). */
static const char *
tmpfile_with(const char *text)
{
	static char	 path[64];
	int		 fd;
	size_t		 n = strlen(text);

	snprintf(path, sizeof(path), "/tmp/test_parse.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	return (path);
}

static void
test_snmprec_load(void **state)
{
	struct vblist	 l;
	char		 err[256];
	const char	*path;

	(void)state;
	vblist_init(&l);
	path = tmpfile_with(
	    "# a note\r\n"
	    "1.3.6.1.2.1.1.1.0|4|hello|world\r\n"
	    "\r\n"
	    "1.3.6.1.2.1.1.5.0|4|\r\n"
	    "1.3.6.1.2.1.1.4.0|4x|4e554c00414243\n"
	    "1.3.6.1.2.1.1.8.0|4x|\n"
	    "1.3.6.1.2.1.1.3.0|67|12345\n"
	    ".1.3.6.1.2.1.1.2.0|6|.1.3.6.1.4.1.2636.1.1.1.2.57\n"
	    "1.3.6.1.2.1.1.7.0|2|-72\n"
	    "1.3.6.1.4.1.1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20."
	    "21.22.23.24.25.26.27.28.29.30.31.32.33.34.35.36.37.38.39.40.41.42."
	    "43.44|4|too long for us, skipped\n"
	    "1.3.6.1.2.1.4.20.1.1.10.0.0.1|64|10.0.0.1\n"
	    "1.3.6.1.2.1.4.20.1.1.10.0.0.2|64x|0a000002\n"
	    "1.3.6.1.2.1.31.1.1.1.6.1|70|18446744073709551615\n"
	    "1.3.6.1.2.1.1.9.0|128|\n"
	    "1.3.6.1.2.1.1.6.0|4|no newline at the end");
	if (snmprec_load(path, &l, err, sizeof(err)) == -1)
		fail_msg("%s", err);
	unlink(path);
	assert_int_equal(l.n, 12);
	assert_int_equal(l.v[0].type, VB_STR);
	assert_string_equal(l.v[0].str, "hello|world");
	assert_int_equal(l.v[1].len, 0);
	assert_string_equal(l.v[1].str, "");
	assert_int_equal(l.v[2].len, 7);
	assert_memory_equal(l.v[2].str, "NUL\0ABC", 7);
	assert_int_equal(l.v[3].len, 0);
	assert_int_equal(l.v[4].type, VB_UINT);
	assert_int_equal(l.v[4].num, 12345);
	assert_int_equal(l.v[5].type, VB_OID);
	assert_string_equal(l.v[5].str, "1.3.6.1.4.1.2636.1.1.1.2.57");
	assert_int_equal(l.v[5].oidlen, 9);
	assert_int_equal(l.v[6].type, VB_INT);
	assert_int_equal(l.v[6].num, -72);
	assert_int_equal(l.v[7].type, VB_IPADDR);
	assert_string_equal(l.v[7].str, "10.0.0.1");
	assert_string_equal(l.v[8].str, "10.0.0.2");
	assert_int_equal(l.v[9].num, LLONG_MAX);	/* saturated */
	assert_int_equal(l.v[10].type, VB_NULL);
	assert_string_equal(l.v[11].str, "no newline at the end");
	vblist_free(&l);
}

static void
test_snmprec_errors(void **state)
{
	static const struct {
		const char	*text;
		const char	*reason;	/* after "path:" */
	} t[] = {
		{ "1.3.6.1.2.1.1.1.0|4\n", "1: missing '|' after type" },
		{ "1.3.6.1.2.1.1.1.0\n", "1: missing '|' after OID" },
		{ "# x\n\n1.3.6.1|4|a\nabc|4|x\n", "4: bad OID" },
		{ "1..3|4|x\n", "1: bad OID" },
		{ "1.3.6|4x|abc\n", "1: bad hex string" },
		{ "1.3.6|4x|zz\n", "1: bad hex string" },
		{ "1.3.6|2|12a\n", "1: bad integer" },
		{ "1.3.6|2|\n", "1: bad integer" },
		{ "1.3.6|2|99999999999999999999\n", "1: bad integer" },
		{ "1.3.6|66|-1\n", "1: bad unsigned integer" },
		{ "1.3.6|6|1..3\n", "1: bad OID value" },
		{ "1.3.6|6|\n", "1: bad OID value" },
		{ "1.3.6|64x|0a00\n", "1: bad hex IpAddress" },
		{ "1.3.6|99|x\n", "1: unsupported type" },
		{ "1.3.6|4:numeric|x\n", "1: unsupported type" },
	};
	struct vblist	 l;
	char		 err[256], want[256];
	const char	*path;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		vblist_init(&l);
		path = tmpfile_with(t[i].text);
		assert_int_equal(snmprec_load(path, &l, err, sizeof(err)), -1);
		snprintf(want, sizeof(want), "%s:%s", path, t[i].reason);
		if (strcmp(err, want) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, err, want);
		unlink(path);
		vblist_free(&l);
	}
	vblist_init(&l);
	assert_int_equal(snmprec_load("/nonexistent/x.snmprec", &l, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/x.snmprec: No such file or "
	    "directory");
	vblist_free(&l);
}

/*
 * parse.c: text parsers
 */

static void
test_parse_serial(void **state)
{
	static const struct {
		const char	*in;
		int		 rc;
		const char	*out;
	} t[] = {
		{ "TA3716123456", 1, "TA3716123456" },
		{ "G0290", 1, "G0290" },
		{ "  abc123 ", 1, "ABC123" },
		{ "S/N ab12cd", 1, "AB12CD" },
		{ "s/n: CV1718AF0123", 1, "CV1718AF0123" },
		{ "S/NABC", 1, "S/NABC" },
		{ "1ed7d183412\r\n", 1, "1ED7D183412" },
		{ "AB\x01" "CD", 1, "AB CD" },
		{ "", 0, "" },
		{ "   ", 0, "" },
		{ "BUILTIN", 0, "BUILTIN" },
		{ "builtin", 0, "builtin" },
		{ "Built-in", 0, "Built-in" },
		{ "N/A", 0, "N/A" },
		{ "n/a", 0, "n/a" },
		{ "NONE", 0, "NONE" },
		{ "none", 0, "none" },
		{ "NULL", 0, "NULL" },
		{ "Unknown", 0, "Unknown" },
		{ "Default", 0, "Default" },
		{ "Not Available", 0, "Not Available" },
		{ "0", 0, "0" },
		{ "000000000000", 0, "000000000000" },
		{ "00-0000.00", 0, "00-0000.00" },
		{ "XXXXXXXX", 0, "XXXXXXXX" },
		{ "ffffffff", 0, "ffffffff" },
		{ "<private>", 0, "<private>" },
		{ "<none>", 0, "<none>" },
		{ "S/N BUILTIN", 0, "BUILTIN" },
		{ " s/n n/a ", 0, "n/a" },
		{ "AAB", 1, "AAB" },
		{ "0000000001", 1, "0000000001" },
	};
	char	 out[ITEM_SERIAL_LEN], small[4], longin[200];
	size_t	 i;
	int	 rc;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		rc = parse_serial(t[i].in, out, sizeof(out));
		if (rc != t[i].rc || strcmp(out, t[i].out) != 0)
			fail_msg("\"%s\": got %d \"%s\", want %d \"%s\"",
			    t[i].in, rc, out, t[i].rc, t[i].out);
	}
	assert_int_equal(parse_serial(NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(parse_serial("abcdefg", small, sizeof(small)), 1);
	assert_string_equal(small, "ABC");
	memset(longin, 'a', sizeof(longin) - 1);
	longin[5] = 'b';
	longin[sizeof(longin) - 1] = '\0';
	assert_int_equal(parse_serial(longin, out, sizeof(out)), 1);
	assert_int_equal(strlen(out), ITEM_SERIAL_LEN - 1);
}

static const struct sysdescr_case {
	const char	*descr;
	int		 rc;
	const char	*version;
	const char	*model;
} sysdescr_cases[] = {
	/* Written for these tests in the forms Junos uses. */
	{ "Juniper Networks, Inc. mx480 internet router, kernel JUNOS "
	  "21.4R3-S5.4, Build date: 2023-01-01 00:00:00 UTC Copyright (c) "
	  "1996-2023 Juniper Networks, Inc.", 1, "21.4R3-S5.4", "MX480" },
	{ "Juniper Networks, Inc. srx1500 internet router, kernel JUNOS "
	  "15.1X49-D170.4, Build date: x", 1, "15.1X49-D170.4", "SRX1500" },
	{ "Juniper Networks, Inc. ex4300-48t Ethernet Switch, kernel JUNOS "
	  "18.4R2-S3.1, Build date: x", 1, "18.4R2-S3.1", "EX4300-48T" },
	{ "Juniper Networks, Inc. qfx5130-32cd , kernel JUNOS 22.2R1.9-EVO, "
	  "Copyright (c) 1996-2022 Juniper Networks, Inc.", 2, "22.2R1.9-EVO",
	  "QFX5130-32CD" },
	{ "Juniper Networks, Inc. ptx10001-36mr Packet Transport Router, "
	  "kernel JUNOS Evolved 21.2R1.10-EVO", 2, "21.2R1.10-EVO",
	  "PTX10001-36MR" },
	{ "Juniper Networks, Inc. JUNOS Evolved", 2, "", "" },
	{ "Juniper Networks, Inc. firefly-perimeter internet router, kernel "
	  "JUNOS 12.1X46-D15.3 #0: 2014-01-01", 1, "12.1X46-D15.3",
	  "FIREFLY-PERIMETER" },
	{ "Juniper Networks, Inc. vmx internet router, kernel JUNOS 18.2R1.9,",
	  1, "18.2R1.9", "VMX" },
	{ "Juniper Networks, Inc. mx80\n internet router, kernel JUNOS "
	  "16.2R2.8", 1, "16.2R2.8", "MX80" },
	{ "kernel JUNOS 21.4R3-S5.4", 1, "21.4R3-S5.4", "" },
	{ "Juniper Networks, Inc. m320 internet router, kernel JUNOS ???",
	  1, "", "M320" },
	{ "Juniper Networks, Inc. mx960 internet router, JUNOS 11.4R1.14", 1,
	  "11.4R1.14", "MX960" },
	/* Not Junos, or not saying so. */
	{ "core-sw-01", 0, "", "" },
	{ "", 0, "", "" },
	{ "Juniper Networks, Inc. ERX-1400 Edge Routing Switch SW Version : "
	  "(10.3.2 patch-0.2 [BuildId 1])", 0, "", "" },
	{ "Juniper Networks, Inc WLC880R 7.7.4.4 REL", 0, "", "" },
	{ "Cisco IOS Software, C3750 Software, Version 12.2(55)SE", 0, "", "" },
	{ "lab box running junos 21.4R1", 0, "", "" },
	{ "host JUNOS-LAB 21.4R1", 0, "", "" },
	{ "JUNOS lab router", 0, "", "" },
};

static void
test_parse_sysdescr(void **state)
{
	const struct sysdescr_case	*t;
	char				 v[ITEM_VER_LEN], m[ITEM_MODEL_LEN];
	size_t				 i;
	int				 rc;

	(void)state;
	for (i = 0; i < sizeof(sysdescr_cases) / sizeof(sysdescr_cases[0]); i++) {
		t = &sysdescr_cases[i];
		rc = parse_sysdescr(t->descr, v, sizeof(v), m, sizeof(m));
		if (rc != t->rc || strcmp(v, t->version) != 0 ||
		    strcmp(m, t->model) != 0)
			fail_msg("\"%s\": got %d \"%s\" \"%s\", want %d \"%s\" \"%s\"",
			    t->descr, rc, v, m, t->rc, t->version, t->model);
		assert_int_equal(parse_sysdescr(t->descr, NULL, 0, NULL, 0), t->rc);
	}
	assert_int_equal(parse_sysdescr(NULL, v, sizeof(v), m, sizeof(m)), 0);
	assert_string_equal(v, "");
	assert_string_equal(m, "");
}

/* The string value of "key": "..." inside [obj, end); malloc'd or NULL. */
static char *
json_str(const char *obj, const char *end, const char *key)
{
	char		 pat[64], *out;
	const char	*p, *q;
	size_t		 n = 0;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	if ((p = strstr(obj, pat)) == NULL || p >= end)
		return (NULL);
	p += strlen(pat);
	while (*p == ' ' || *p == ':')
		p++;
	if (*p++ != '"')
		return (NULL);
	if ((out = malloc(strlen(p) + 1)) == NULL)
		return (NULL);
	for (q = p; *q && *q != '"'; q++) {
		if (*q == '\\' && q[1] != '\0')
			q++;
		out[n++] = *q;
	}
	out[n] = '\0';
	return (out);
}

/*
 * Every Juniper case of sysdescrparser's test data (read in place).  It
 * labels the two JunosE strings (ERX-700, RX1400) "junos"; they are not
 * Junos, and we must say 0 for them.
 */
static void
test_sysdescrparser_corpus(void **state)
{
	char		 path[PATH_MAX + 64], v[ITEM_VER_LEN], m[ITEM_MODEL_LEN];
	char		*buf, *raw, *ser, *ver, *vendor;
	const char	*obj, *end;
	int		 rc, njunos = 0, nother = 0;

	(void)state;
	if (!have_corpus)
		skip();
	snprintf(path, sizeof(path), "%s/expected/"
	    "sysdescrparser_test_data.juniper-subset.json", corpus);
	if ((buf = golden_slurp(path, SIZE_MAX, NULL)) == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	for (obj = buf; (obj = strchr(obj, '{')) != NULL; obj = end) {
		if ((end = strchr(obj, '}')) == NULL)
			break;
		raw = json_str(obj, end, "raw");
		ser = json_str(obj, end, "series");
		ver = json_str(obj, end, "version");
		vendor = json_str(obj, end, "vendor");
		assert_non_null(raw);
		assert_non_null(ser);
		assert_non_null(ver);
		assert_non_null(vendor);
		assert_string_equal(vendor, "juniper");
		rc = parse_sysdescr(raw, v, sizeof(v), m, sizeof(m));
		if (strstr(raw, "JUNOS") != NULL) {
			njunos++;
			for (char *c = ser; *c; c++)
				if (*c >= 'a' && *c <= 'z')
					*c = (char)(*c - 'a' + 'A');
			if (rc != 1 || strcmp(v, ver) != 0 || strcmp(m, ser) != 0)
				fail_msg("\"%s\": got %d \"%s\" \"%s\", want 1 "
				    "\"%s\" \"%s\"", raw, rc, v, m, ver, ser);
		} else {
			nother++;
			if (rc != 0 || v[0] != '\0' || m[0] != '\0')
				fail_msg("JunosE \"%s\": got %d \"%s\" \"%s\"",
				    raw, rc, v, m);
		}
		free(raw);
		free(ser);
		free(ver);
		free(vendor);
	}
	free(buf);
	assert_int_equal(njunos, 15);
	assert_int_equal(nother, 2);
}

static void
test_parse_hrsw(void **state)
{
	static const struct {
		const char	*in;
		int		 rc;
		const char	*out;
	} t[] = {
		{ "JUNOS Software Release [15.1X49-D120.3]", 1, "15.1X49-D120.3" },
		{ "JUNOS Base OS Software Suite [16.2R2.8]", 1, "16.2R2.8" },
		{ "JUNOS Kernel Software Suite [21.4R3-S5.4]", 1, "21.4R3-S5.4" },
		/* Garbled rows seen in real walks (qfx5100-vcs). */
		{ "JUNOS Base OS boot [14.1X53-D40.8]X53-D40.8]", 1,
		  "14.1X53-D40.8" },
		{ "junos-ez-stdlib [11.10.4_1.junos.i386]D40.8]", 0, "" },
		/* Evolved package names (form assumed from Evolved releases). */
		{ "junos-evo-install-qfx-ms-x86-64-22.2R3-S1.3-EVO", 1,
		  "22.2R3-S1.3-EVO" },
		{ "junos-evo [22.2R3-S1.3-EVO]", 1, "22.2R3-S1.3-EVO" },
		{ "JUNOS [23.2R1.13-EVO]", 1, "23.2R1.13-EVO" },
		/* Not a Junos OS release. */
		{ "JUNOS Online Documentation [11.10.4_1.junos.i386]", 0, "" },
		{ "JUNOS Crypto Software Suite [21.4R3-S5.4", 0, "" },
		{ "JUNOS Web Management []", 0, "" },
		{ "JUNOS Web Management", 0, "" },
		{ "JUNOS Host Software [15.1R-]", 0, "" },
		{ "junos-evo-install-22.2R3", 0, "" },
		{ "FreeBSD [12.1R1.1]", 0, "" },
		{ "jweb [15.1R7.9]", 0, "" },
		{ "", 0, "" },
	};
	char	 v[ITEM_VER_LEN];
	size_t	 i;
	int	 rc;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		rc = parse_hrsw(t[i].in, v, sizeof(v));
		if (rc != t[i].rc || strcmp(v, t[i].out) != 0)
			fail_msg("\"%s\": got %d \"%s\", want %d \"%s\"",
			    t[i].in, rc, v, t[i].rc, t[i].out);
	}
	assert_int_equal(parse_hrsw(NULL, v, sizeof(v)), 0);
	assert_int_equal(parse_hrsw("JUNOS Software Release [15.1R7.9]", NULL, 0),
	    1);
}

static void
test_parse_is_junos(void **state)
{
	(void)state;
	assert_true(parse_is_junos("Juniper Networks, Inc. mx80 internet "
	    "router, kernel JUNOS 16.2R2.8", "1.3.6.1.4.1.2636.1.1.1.2.57"));
	/* junos_1.snmprec: sysObjectID .0.0.0 but a Junos sysDescr. */
	assert_true(parse_is_junos("Juniper Networks, Inc. qfx5200-32c-32q "
	    "Ethernet Switch, kernel JUNOS 15.1X53-D30.5", ".0.0.0"));
	/* sysDescr overwritten by the operator. */
	assert_true(parse_is_junos("core-sw-01", "1.3.6.1.4.1.2636.1.1.1.2.57"));
	assert_true(parse_is_junos(NULL, ".1.3.6.1.4.1.2636.1.1.1.4.82.5"));
	assert_true(parse_is_junos("", "1.3.6.1.4.1.2636.1.1.1.2.999"));
	/* JunosE, EX2500, Trapeze WLC, others. */
	assert_false(parse_is_junos(NULL, "1.3.6.1.4.1.4874.1.1.1.1.1"));
	assert_false(parse_is_junos(NULL, "1.3.6.1.4.1.1411.102"));
	assert_false(parse_is_junos("Juniper Networks, Inc WLC880R 7.7.4.4 REL",
	    "1.3.6.1.4.1.14525.3.3.1"));
	assert_false(parse_is_junos("Cisco IOS", "1.3.6.1.4.1.9.1.1"));
	assert_false(parse_is_junos(NULL, "1.3.6.1.4.1.2636.1.1.1"));
	assert_false(parse_is_junos(NULL, "1.3.6.1.4.1.2636.3.1.2"));
	assert_false(parse_is_junos(NULL, NULL));
	assert_false(parse_is_junos("", ""));
}

/*
 * parse.c: parse_device on synthetic varbinds (rules the walks lack)
 */

#define SYS		"1.3.6.1.2.1.1."
#define BOX		"1.3.6.1.4.1.2636.3.1."
#define JC		"1.3.6.1.4.1.2636.3.1.8.1."
#define VC		"1.3.6.1.4.1.2636.3.40.1.4.1.1.1."
#define HRSW		"1.3.6.1.2.1.25.6.3.1.2."
#define EP		"1.3.6.1.2.1.47.1.1.1.1."

static void
run_device(struct vblist *l, struct dev_facts *f)
{
	facts_init(f);
	assert_int_equal(parse_device(l, f), 0);
}

/* Overwritten sysDescr, no VC, box descr without a model word. */
static void
test_device_objid_model(void **state)
{
	struct vblist		 l;
	struct dev_facts	 f;

	(void)state;
	vblist_init(&l);
	add_str(&l, SYS "1.0", "border-1");
	add_oid(&l, SYS "2.0", "1.3.6.1.4.1.2636.1.1.1.4.131.2");
	add_str(&l, BOX "2.0", "Juniper Virtual Chassis Switch");
	add_str(&l, HRSW "2", "junos-ez-stdlib [11.10.4_1.junos.i386]D40.8]");
	add_str(&l, HRSW "3", "JUNOS Base OS boot [14.1X53-D40.8]X53-D40.8]");
	add_str(&l, HRSW "4", "JUNOS Software Release [99.9R9.9]");
	run_device(&l, &f);
	assert_int_equal(f.os, OS_JUNOS);
	/* .4.131.2 is the EX3400-48T variation: the product (line) is EX3400. */
	assert_string_equal(f.model, "EX3400");
	assert_string_equal(f.model_source, "sysObjectID");
	assert_string_equal(f.version, "14.1X53-D40.8");
	assert_string_equal(f.version_source, "hrSWInstalledName.3");
	assert_string_equal(f.serial, "");
	assert_int_equal(f.nitems, 0);
	facts_free(&f);

	/* A product line name (QFXSwitch) is no model: nothing. */
	vblist_free(&l);
	add_oid(&l, SYS "2.0", "1.3.6.1.4.1.2636.1.1.1.4.82.5");
	run_device(&l, &f);
	assert_int_equal(f.os, OS_JUNOS);
	assert_string_equal(f.model, "");
	assert_string_equal(f.model_source, "");
	facts_free(&f);

	/* jnxBoxDescr with a model word wins over the sysObjectID. */
	vblist_free(&l);
	add_str(&l, SYS "1.0", "pe1.example.net");
	add_oid(&l, SYS "2.0", "1.3.6.1.4.1.2636.1.1.1.2.25");
	add_str(&l, BOX "2.0", "Juniper MX480 Internet Backbone Router");
	add_str(&l, BOX "3.0", " s/n jn1249018afb ");
	run_device(&l, &f);
	assert_string_equal(f.model, "MX480");
	assert_string_equal(f.model_source, "jnxBoxDescr.0");
	assert_string_equal(f.serial, "JN1249018AFB");
	assert_int_equal(f.nitems, 1);
	assert_int_equal(f.items[0].kind, ITEM_CHASSIS);
	assert_int_equal(f.items[0].serialized, 1);
	assert_string_equal(f.items[0].model, "MX480");
	assert_string_equal(f.items[0].description,
	    "Juniper MX480 Internet Backbone Router");
	facts_free(&f);
	vblist_free(&l);
}

/* Evolved without a usable sysDescr: entPhysical gives model and version. */
static void
test_device_entphysical(void **state)
{
	struct vblist		 l;
	struct dev_facts	 f;

	(void)state;
	vblist_init(&l);
	add_str(&l, SYS "1.0", "leaf-7");
	add_oid(&l, SYS "2.0", "1.3.6.1.4.1.2636.1.1.1.4.82.28");
	add_str(&l, EP "2.1", "Chassis");
	add_int(&l, EP "4.1", 0);
	add_str(&l, EP "10.1", "23.4R1.9-EVO");
	add_str(&l, EP "11.1", "yr3624060106");
	add_str(&l, EP "13.1", "QFX5130-32CD");
	add_str(&l, EP "2.5", "Power supply bay");	/* a container: no item */
	add_int(&l, EP "4.5", 1);
	add_int(&l, EP "5.5", 5);
	add_str(&l, EP "2.6", "PSM slot 0");
	add_int(&l, EP "4.6", 5);			/* via the container */
	add_int(&l, EP "5.6", 6);
	add_str(&l, EP "11.6", "1ED7D183412");
	add_str(&l, EP "13.6", "JPSU-1600W-1UACAFO");
	add_str(&l, EP "2.7", "temperature sensor");	/* no item */
	add_int(&l, EP "4.7", 6);
	add_int(&l, EP "5.7", 8);
	add_str(&l, EP "2.8", "loop A");		/* containedIn loop */
	add_int(&l, EP "4.8", 9);
	add_int(&l, EP "5.8", 5);
	add_str(&l, EP "2.9", "loop B");
	add_int(&l, EP "4.9", 8);
	add_int(&l, EP "5.9", 5);
	add_str(&l, EP "2.10", "Fan in a loop");
	add_int(&l, EP "4.10", 8);
	add_int(&l, EP "5.10", 7);
	run_device(&l, &f);
	assert_int_equal(f.os, OS_JUNOS_EVO);
	assert_string_equal(f.version, "23.4R1.9-EVO");
	assert_string_equal(f.version_source, "entPhysicalSoftwareRev.1");
	/* The exact entPhysical model beats the sysObjectID (no model word). */
	assert_string_equal(f.model, "QFX5130-32CD");
	assert_string_equal(f.model_source, "entPhysicalModelName.1");
	assert_string_equal(f.serial, "YR3624060106");
	assert_int_equal(f.nitems, 3);
	assert_int_equal(f.items[0].kind, ITEM_CHASSIS);
	assert_string_equal(f.items[0].source_ref, "entPhysicalSerialNum.1");
	assert_string_equal(f.items[1].name, "PSM slot 0");
	assert_int_equal(f.items[1].parent, 0);
	assert_string_equal(f.items[2].name, "Fan in a loop");
	assert_int_equal(f.items[2].parent, 0);
	facts_free(&f);
	vblist_free(&l);
}

/* jnxContents details: L3 under the PIC, chassis row with its own serial. */
static void
test_device_contents(void **state)
{
	struct vblist		 l;
	struct dev_facts	 f;

	(void)state;
	vblist_init(&l);
	add_str(&l, SYS "1.0", "Juniper Networks, Inc. mx480 internet router, "
	    "kernel JUNOS 21.4R3-S5.4, Build date: x");
	add_str(&l, BOX "3.0", "JN1249018AFB");
	add_str(&l, JC "6.1.1.0.0", "midplane");
	add_str(&l, JC "7.1.1.0.0", "ACAA1234");	/* not the box serial */
	add_int(&l, JC "11.1.1.0.0", 2);
	add_str(&l, JC "6.7.2.0.0", "FPC: MPC7E 3D 40XGE @ 1/*/*");
	add_str(&l, JC "7.7.2.0.0", "CAFB1234");
	add_str(&l, JC "10.7.2.0.0", "750-056519");
	add_str(&l, JC "14.7.2.0.0", "MPC7E-10G");
	add_str(&l, JC "6.8.2.1.0", "PIC: 20x10GE SFPP @ 1/0/*");
	add_str(&l, JC "7.8.2.1.0", "BUILTIN");
	add_str(&l, JC "10.8.2.1.0", "BUILTIN");
	add_str(&l, JC "6.10.2.1.3", "Xcvr 3 @ 1/0/3");
	add_str(&l, JC "7.10.2.1.3", "S/N fx12345");
	add_str(&l, JC "10.10.2.1.3", "740-031980");
	add_str(&l, JC "6.10.2.2.1", "Xcvr 1 @ 1/1/1");	/* no PIC 1/1 */
	add_str(&l, JC "7.10.2.2.1", "FX67890");
	add_str(&l, JC "6.2.1.0.0", "PEM 0");
	add_str(&l, JC "7.2.1.0.0", "1EDB4");
	add_str(&l, JC "6.2.2.0.0", "PEM 1");
	add_str(&l, JC "7.2.2.0.0", "1edb4");		/* same serial: merged */
	add_str(&l, JC "10.2.2.0.0", "740-029970");
	run_device(&l, &f);
	assert_string_equal(f.serial, "JN1249018AFB");
	assert_int_equal(f.nitems, 7);
	assert_string_equal(f.items[0].name, "Chassis");
	assert_string_equal(f.items[0].description, "");
	assert_string_equal(f.items[0].model, "MX480");
	/* The chassis row names another serial: a component of its own. */
	assert_string_equal(f.items[1].name, "midplane");
	assert_string_equal(f.items[1].serial, "ACAA1234");
	assert_int_equal(f.items[1].parent, 0);
	assert_string_equal(f.items[2].name, "PEM 0");
	assert_string_equal(f.items[2].part_number, "740-029970");
	assert_int_equal(f.items[2].parent, 0);
	assert_string_equal(f.items[3].name, "FPC 1");
	assert_string_equal(f.items[3].model, "MPC7E-10G");
	assert_string_equal(f.items[4].name, "PIC 1/0");
	assert_int_equal(f.items[4].parent, 3);
	assert_string_equal(f.items[4].part_number, "");	/* BUILTIN */
	assert_string_equal(f.items[5].name, "Xcvr 3");
	assert_string_equal(f.items[5].serial, "FX12345");
	assert_int_equal(f.items[5].parent, 4);
	assert_string_equal(f.items[6].name, "Xcvr 1");
	assert_int_equal(f.items[6].parent, 3);
	facts_free(&f);
	vblist_free(&l);
}

/* Non-Junos agents keep the system group only, whatever else answers. */
static void
test_device_other(void **state)
{
	struct vblist		 l;
	struct dev_facts	 f;

	(void)state;
	vblist_init(&l);
	run_device(&l, &f);
	assert_int_equal(f.os, OS_UNKNOWN);
	assert_int_equal(f.have_system, 0);
	facts_free(&f);

	/* Overwritten sysDescr, sysObjectID 0.0.0: jnxBoxAnatomy says Junos. */
	add_str(&l, SYS "1.0", "core-1");
	add_oid(&l, SYS "2.0", "0.0.0");
	add_str(&l, BOX "3.0", "ABC123");
	run_device(&l, &f);
	assert_int_equal(f.os, OS_JUNOS);
	assert_string_equal(f.serial, "ABC123");
	assert_int_equal(f.nitems, 1);
	facts_free(&f);
	vblist_free(&l);

	/* The same answer beside another vendor's sysObjectID is not. */
	add_str(&l, SYS "1.0", "Juniper Networks, Inc. ERX-1400 Edge Routing "
	    "Switch SW Version : (10.3.2 patch-0.2 [BuildId 12841])");
	add_oid(&l, SYS "2.0", "1.3.6.1.4.1.4874.1.1.1.1.1");
	add_str(&l, SYS "5.0", "erx1");
	add_str(&l, BOX "3.0", "ABC123");
	add_str(&l, VC "2.0", "DEF456");
	run_device(&l, &f);
	assert_int_equal(f.os, OS_OTHER);
	assert_int_equal(f.have_system, 1);
	assert_string_equal(f.sys_name, "erx1");
	assert_string_equal(f.hostname, "erx1");
	assert_string_equal(f.model, "");
	assert_string_equal(f.version, "");
	assert_string_equal(f.serial, "");
	assert_int_equal(f.nitems, 0);
	facts_free(&f);
	vblist_free(&l);
}

/* Device text is sanitised on the way in; wrong types are ignored. */
static void
test_device_sanitise(void **state)
{
	struct vblist		 l;
	struct dev_facts	 f;
	char			 big[2000];

	(void)state;
	vblist_init(&l);
	memset(big, 'd', sizeof(big));
	add_vb(&l, SYS "1.0", VB_STR, 0, big, sizeof(big));
	add_oid(&l, SYS "2.0", ".1.3.6.1.4.1.2636.1.1.1.2.57");
	add_vb(&l, SYS "5.0", VB_STR, 0, "r1\0\x1b[31m\xff\n", 10);
	add_vb(&l, SYS "6.0", VB_INT, 5, NULL, 0);	/* wrong type */
	add_vb(&l, SYS "3.0", VB_UINT, 1LL << 40, NULL, 0);
	add_vb(&l, BOX "3.0", VB_STR, 0, "ab\0cd", 5);
	run_device(&l, &f);
	assert_int_equal(strlen(f.sys_descr), DEV_DESCR_LEN - 1);
	assert_string_equal(f.sys_object_id, "1.3.6.1.4.1.2636.1.1.1.2.57");
	assert_string_equal(f.sys_name, "r1  [31m?");
	assert_string_equal(f.sys_location, "");
	assert_int_equal(f.sys_uptime, UINT32_MAX);
	assert_string_equal(f.model, "MX80");
	assert_string_equal(f.model_source, "sysObjectID");
	assert_string_equal(f.serial, "AB CD");
	facts_free(&f);
	vblist_free(&l);
}

/* The order of the varbinds does not matter. */
static void
test_device_any_order(void **state)
{
	struct vblist		 l;
	struct dev_facts	 f1, f2;
	struct vb		 tmp;
	char			*d1, *d2, err[256];
	size_t			 i;

	(void)state;
	vblist_init(&l);
	if (snmprec_load(FIXTURE_DIR "/ex4300-vc8.snmprec", &l, err,
	    sizeof(err)) == -1)
		fail_msg("%s", err);
	run_device(&l, &f1);
	for (i = 0; i < l.n / 2; i++) {
		tmp = l.v[i];
		l.v[i] = l.v[l.n - 1 - i];
		l.v[l.n - 1 - i] = tmp;
	}
	run_device(&l, &f2);
	d1 = golden_dump(&f1, NULL);
	d2 = golden_dump(&f2, NULL);
	assert_string_equal(d1, d2);
	free(d1);
	free(d2);
	facts_free(&f1);
	facts_free(&f2);
	vblist_free(&l);
}

/*
 * Golden files.
 */

struct golden {
	char	 name[NAME_MAX + 1];	/* walk file name without .snmprec */
	int	 fixture;		/* 1: ours (tests/data/snmprec) */
	char	 test_name[NAME_MAX + 16];
};

static void
test_golden(void **state)
{
	const struct golden	*g = *state;
	struct dev_facts	 f;
	char			 walk[PATH_MAX + NAME_MAX + 32];
	char			 gold[PATH_MAX + NAME_MAX + 32];
	char			*want, *got;
	const char		*a, *b;
	size_t			 wlen, glen;
	int			 line;

	if (!g->fixture && !have_corpus)
		skip();
	if (g->fixture)
		snprintf(walk, sizeof(walk), "%s/%s.snmprec", FIXTURE_DIR,
		    g->name);
	else
		snprintf(walk, sizeof(walk), "%s/snmprec/%s.snmprec", corpus,
		    g->name);
	snprintf(gold, sizeof(gold), "%s/%s.out", GOLDEN_DIR, g->name);
	if (access(walk, R_OK) == -1)
		fail_msg("%s: golden without a walk (%s)", gold, walk);
	if ((want = golden_slurp(gold, SIZE_MAX, &wlen)) == NULL)
		fail_msg("%s: no golden for %s (write it with build/tools/"
		    "ibparse and review it)", gold, walk);
	parse_walk(walk, &f);
	got = golden_dump(&f, &glen);
	facts_free(&f);
	if (wlen != glen || memcmp(want, got, wlen) != 0) {
		line = golden_first_diff(want, got, &a, &b);
		print_error("%s:%d: want: %.*s\n", gold, line,
		    (int)strcspn(a, "\n"), a);
		print_error("%s:%d: got:  %.*s\n", gold, line,
		    (int)strcspn(b, "\n"), b);
		free(want);
		free(got);
		fail_msg("%s differs from parse_device(%s)", gold, walk);
	}
	free(want);
	free(got);
}

static int
name_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct golden *)a)->name,
	    ((const struct golden *)b)->name));
}

/* Append the *.suffix names of dir to g (fixture flag as given). */
static void
list_dir(const char *dir, const char *suffix, int fixture, struct golden **g,
    size_t *n)
{
	DIR		*d;
	struct dirent	*de;
	size_t		 len, slen = strlen(suffix), i;
	struct golden	*ng;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= slen || strcmp(de->d_name + len - slen, suffix) != 0)
			continue;
		for (i = 0; i < *n; i++)
			if (strlen((*g)[i].name) == len - slen &&
			    strncmp((*g)[i].name, de->d_name, len - slen) == 0)
				break;
		if (i < *n) {
			(*g)[i].fixture |= fixture;
			continue;
		}
		if ((ng = realloc(*g, (*n + 1) * sizeof(**g))) == NULL)
			abort();
		*g = ng;
		memset(&(*g)[*n], 0, sizeof(**g));
		snprintf((*g)[*n].name, sizeof((*g)[*n].name), "%.*s",
		    (int)(len - slen), de->d_name);
		(*g)[*n].fixture = fixture;
		(*n)++;
	}
	closedir(d);
}

/*
 * Agreement with LibreNMS.
 */

static const struct agree_exc {
	const char	*walk;
	const char	*field;		/* "version", "serial", "model" */
	const char	*ours;		/* what we must say instead */
	const char	*why;
} agree_exc[] = {
	{ "junos.snmprec", "version", "12.3X48-D35.7",
	  "merged LibreNMS fixture: an SRX100H2 sysDescr (12.3X48-D35.7) "
	  "beside an EX4200 VC table (12.3R11.2); LibreNMS prefers the VC "
	  "table, our precedence puts sysDescr first" },
	{ "junos_qfx5100-vcs-14.1x53-d40.8-1.snmprec", "model", "QFX5100-24Q-2P",
	  "LibreNMS shows jnxBoxDescr \"Juniper Virtual Chassis Switch\", "
	  "which is no model; sysDescr says qfx5100-24q-2p" },
	{ "junos_qfx5100-vcs-14.1x53-d40.8-2.snmprec", "model", "QFX5100-24Q-2P",
	  "as for -1" },
	{ "junos_qfx5100.snmprec", "model", "QFX5100-48S-6Q",
	  "LibreNMS shows jnxBoxDescr \"Juniper QFX5100-48S-6Q Switch\"; its "
	  "model word is QFX5100-48S-6Q" },
	{ "junos_vmx.snmprec", "model", "VMX",
	  "LibreNMS shows jnxBoxDescr \"Juniper VMX Internet Backbone "
	  "Router\"; sysDescr says vmx" },
	{ "juniper-mss.snmprec", "version", "",
	  "Trapeze/Juniper WLC, not Junos: OS_OTHER keeps the system group "
	  "only" },
	{ "juniper-mss.snmprec", "model", "", "as for the version" },
	{ "junose.snmprec", "model", "",
	  "JunosE, not Junos: OS_OTHER; LibreNMS maps the sysObjectID with "
	  "its own JunosE table" },
};

static const struct agree_exc *
agree_find(const char *walk, const char *field)
{
	size_t	 i;

	for (i = 0; i < sizeof(agree_exc) / sizeof(agree_exc[0]); i++)
		if (strcmp(agree_exc[i].walk, walk) == 0 &&
		    strcmp(agree_exc[i].field, field) == 0)
			return (&agree_exc[i]);
	return (NULL);
}

/*
 * Compare one field; librenms "" or "None" means LibreNMS found nothing
 * and there is nothing to agree with.  Returns the number of failures.
 */
static int
agree_field(const char *walk, const char *field, const char *theirs,
    const char *ours)
{
	const struct agree_exc	*e = agree_find(walk, field);
	char			 want[256];
	const char		*t = theirs;
	size_t			 i;

	if (*theirs == '\0' || strcmp(theirs, "None") == 0) {
		if (e != NULL) {
			print_error("%s %s: stale exception\n", walk, field);
			return (1);
		}
		return (0);
	}
	if (e != NULL) {
		if (strcmp(ours, e->ours) != 0) {
			print_error("%s %s: ours \"%s\", documented \"%s\" (%s)\n",
			    walk, field, ours, e->ours, e->why);
			return (1);
		}
		print_message("  %s %s: LibreNMS \"%s\", ours \"%s\": %s\n",
		    walk, field, theirs, ours, e->why);
		return (0);
	}
	if (strcmp(field, "model") == 0) {
		/* "Juniper MX80" -> "MX80"; several words need an exception. */
		if (strncmp(t, "Juniper ", 8) == 0)
			t += 8;
		if (strchr(t, ' ') != NULL) {
			print_error("%s model: LibreNMS \"%s\" is no model word "
			    "and has no documented exception\n", walk, theirs);
			return (1);
		}
		for (i = 0; t[i] && i < sizeof(want) - 1; i++)
			want[i] = (t[i] >= 'a' && t[i] <= 'z') ?
			    (char)(t[i] - 'a' + 'A') : t[i];
		want[i] = '\0';
		t = want;
	}
	if (strcmp(t, ours) != 0) {
		print_error("%s %s: LibreNMS \"%s\", ours \"%s\"\n", walk, field,
		    theirs, ours);
		return (1);
	}
	return (0);
}

static void
test_agreement(void **state)
{
	char		 path[PATH_MAX + 64], walk[PATH_MAX + NAME_MAX + 32];
	char		*buf, *line, *next, *col[16];
	int		 ci_walk = -1, ci_ver = -1, ci_hw = -1, ci_ser = -1;
	int		 ncol, i, bad = 0, nwalks = 0;
	struct dev_facts f;

	(void)state;
	if (!have_corpus)
		skip();
	snprintf(path, sizeof(path), "%s/expected/"
	    "DERIVED_librenms_snmprec_identity_summary.tsv", corpus);
	if ((buf = golden_slurp(path, SIZE_MAX, NULL)) == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	for (line = buf; line != NULL && *line; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line == '#' || *line == '\0')
			continue;
		for (ncol = 0, col[0] = line; ncol < 16; ) {
			char *tab = strchr(col[ncol], '\t');

			ncol++;
			if (tab == NULL)
				break;
			*tab = '\0';
			if (ncol < 16)
				col[ncol] = tab + 1;
		}
		if (ci_walk == -1) {		/* the header row */
			for (i = 0; i < ncol; i++) {
				if (strcmp(col[i], "snmprec") == 0)
					ci_walk = i;
				else if (strcmp(col[i], "librenms_expected_version") == 0)
					ci_ver = i;
				else if (strcmp(col[i], "librenms_expected_hardware") == 0)
					ci_hw = i;
				else if (strcmp(col[i], "librenms_expected_serial") == 0)
					ci_ser = i;
			}
			assert_true(ci_walk >= 0 && ci_ver >= 0 && ci_hw >= 0 &&
			    ci_ser >= 0);
			continue;
		}
		if (ncol <= ci_ser || ncol <= ci_hw || ncol <= ci_ver)
			continue;
		/* Only walks LibreNMS has an expected/ *.json for. */
		snprintf(walk, sizeof(walk), "%s/expected/%.*s.json", corpus,
		    (int)(strlen(col[ci_walk]) - strlen(".snmprec")),
		    col[ci_walk]);
		if (access(walk, R_OK) == -1)
			continue;
		snprintf(walk, sizeof(walk), "%s/snmprec/%s", corpus,
		    col[ci_walk]);
		parse_walk(walk, &f);
		print_message("%s: os %s model \"%s\" serial \"%s\" version "
		    "\"%s\" items %zu\n", col[ci_walk], dev_os_str(f.os),
		    f.model, f.serial, f.version, f.nitems);
		bad += agree_field(col[ci_walk], "version", col[ci_ver],
		    f.version);
		bad += agree_field(col[ci_walk], "serial", col[ci_ser], f.serial);
		bad += agree_field(col[ci_walk], "model", col[ci_hw], f.model);
		facts_free(&f);
		nwalks++;
	}
	free(buf);
	if (nwalks < 12)
		bad++, print_error("only %d walks with expected results\n",
		    nwalks);
	if (bad > 0)
		fail_msg("%d disagreement(s) with LibreNMS", bad);
}

/*
 * main
 */

int
main(int argc, char *argv[])
{
	static const struct CMUnitTest unit[] = {
		cmocka_unit_test(test_enum_strings),
		cmocka_unit_test(test_fact_strlcpy),
		cmocka_unit_test(test_fact_sanitize),
		cmocka_unit_test(test_facts_items),
		cmocka_unit_test(test_facts_dump_escapes),
		cmocka_unit_test(test_oid),
		cmocka_unit_test(test_vblist),
		cmocka_unit_test(test_snmprec_load),
		cmocka_unit_test(test_snmprec_errors),
		cmocka_unit_test(test_parse_serial),
		cmocka_unit_test(test_parse_sysdescr),
		cmocka_unit_test(test_sysdescrparser_corpus),
		cmocka_unit_test(test_parse_hrsw),
		cmocka_unit_test(test_parse_is_junos),
		cmocka_unit_test(test_device_objid_model),
		cmocka_unit_test(test_device_entphysical),
		cmocka_unit_test(test_device_contents),
		cmocka_unit_test(test_device_other),
		cmocka_unit_test(test_device_sanitise),
		cmocka_unit_test(test_device_any_order),
		cmocka_unit_test(test_agreement),
	};
	struct golden		*g = NULL;
	struct CMUnitTest	*gt;
	char			 dir[PATH_MAX + 16];
	size_t			 n = 0, i;
	int			 fails;

	(void)argc;
	golden_find_root(argv[0], GOLDEN_DIR, "test_parse");
	have_corpus = golden_corpus(CORPUS_DEFAULT, "snmprec", corpus,
	    sizeof(corpus), dir, sizeof(dir));

	fails = cmocka_run_group_tests_name("parse", unit, NULL, NULL);

	/*
	 * One golden test per walk and per golden: our fixtures, the corpus
	 * walks, and every golden (so a golden whose walk is gone fails, and
	 * without the corpus its cases show as skipped).
	 */
	list_dir(FIXTURE_DIR, ".snmprec", 1, &g, &n);
	if (have_corpus)
		list_dir(dir, ".snmprec", 0, &g, &n);
	list_dir(GOLDEN_DIR, ".out", 0, &g, &n);
	if (n > 0)
		qsort(g, n, sizeof(*g), name_cmp);
	if ((gt = calloc(n + 1, sizeof(*gt))) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		snprintf(g[i].test_name, sizeof(g[i].test_name), "golden %s%s",
		    g[i].fixture ? "fixture " : "", g[i].name);
		gt[i].name = g[i].test_name;
		gt[i].test_func = test_golden;
		gt[i].initial_state = &g[i];
	}
	fails += _cmocka_run_group_tests("golden", gt, n, NULL, NULL);
	free(gt);
	free(g);
	return (fails);
}
