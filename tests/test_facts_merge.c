/*
 * test_facts_merge.c: facts_copy() and facts_merge(), the merge of an
 * SNMP and a NETCONF result of one device with its cross-check.
 *
 * The merge cases are a table: two sides written as item lists, the
 * merged facts rendered one line per item, and the conflicts expected.
 * The last test merges real replies of one device (our ex4300-vc8 and
 * srx345-cluster profiles: their walk in tests/data/snmprec and their
 * XML in tests/data/xml), where the two protocols must agree.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/facts.h"
#include "collector/parse.h"
#include "collector/vb.h"
#include "collector/xmlparse.h"

#define MAXIT	12

/* One item of a side: ser 0 keeps serial as a placeholder (or none). */
struct tit {
	enum item_kind	 kind;
	int		 parent;
	const char	*name;
	const char	*serial;
	int		 ser;
	const char	*part;
	const char	*ref;
};

struct tside {
	const char	*hostname;
	const char	*model;
	const char	*serial;
	const char	*version;
	struct tit	 it[MAXIT];	/* up to the first without a name */
};

struct tcase {
	const char	*what;
	struct tside	 snmp;
	struct tside	 nc;
	const char	*want;		/* render() of the merged facts */
	const char	*want_cc;	/* "field:snmp/netconf ..." */
};

#define C	ITEM_CHASSIS
#define M	ITEM_MEMBER
#define K	ITEM_COMPONENT

static const struct tcase cases[] = {
	{ "same serial, other names: one item with both sources",
	  { "r1", "MX480", "JN1", "21.4R3-S5.4", {
	    { C, -1, "Chassis", "JN1", 1, "", "jnxBoxSerialNo.0" },
	    { K, 0, "FPC 0", "CAAB1", 1, "", "jnxContentsSerialNo.7.1.0.0" },
	  } },
	  { "r1", "MX480", "JN1", "21.4R3-S5.4", {
	    { C, -1, "Chassis", "JN1", 1, "", "get-chassis-inventory:Chassis" },
	    { K, 0, "FPC 0 (MPC7E)", "CAAB1", 1, "750-1",
	      "get-chassis-inventory:FPC 0" },
	  } },
	  "host=r1 model=MX480 serial=JN1 version=21.4R3-S5.4\n"
	  "0 chassis Chassis JN1 p=-1 snmp,netconf part=- "
	  "ref=jnxBoxSerialNo.0 | get-chassis-inventory:Chassis\n"
	  "1 component FPC 0 CAAB1 p=0 snmp,netconf part=750-1 "
	  "ref=jnxContentsSerialNo.7.1.0.0 | get-chassis-inventory:FPC 0\n",
	  "" },

	{ "netconf-only modules hang under the snmp FPC",
	  { "r1", "MX480", "JN1", "21.4R3-S5.4", {
	    { C, -1, "Chassis", "JN1", 1, "", "s0" },
	    { K, 0, "FPC 0", "CAAB1", 1, "", "s1" },
	  } },
	  /* The optic comes before its MIC, the FPC after both. */
	  { "", "", "", "", {
	    { C, -1, "Chassis", "JN1", 1, "", "n0" },
	    { K, 3, "Xcvr 0", "X1", 1, "740-1", "n1" },
	    { K, 0, "FPC 0", "CAAB1", 1, "", "n2" },
	    { K, 2, "MIC 0", "MIC1", 1, "750-2", "n3" },
	  } },
	  "host=r1 model=MX480 serial=JN1 version=21.4R3-S5.4\n"
	  "0 chassis Chassis JN1 p=-1 snmp,netconf part=- ref=s0 | n0\n"
	  "1 component FPC 0 CAAB1 p=0 snmp,netconf part=- ref=s1 | n2\n"
	  "2 component MIC 0 MIC1 p=1 netconf part=750-2 ref=n3\n"
	  "3 component Xcvr 0 X1 p=2 netconf part=740-1 ref=n1\n",
	  "" },

	{ "not serialized: by kind and name",
	  { "r1", "MX480", "JN1", "", {
	    { C, -1, "Chassis", "JN1", 1, "", "s0" },
	    { K, 0, "PIC 0", "BUILTIN", 0, "", "s1" },
	    { K, 0, "Fan Tray 0", "", 0, "", "s2" },
	    { K, 0, "PEM 0", "N/A", 0, "", "s3" },
	    { K, 0, "Xcvr 0", "X1", 1, "", "s4" },
	  } },
	  { "", "", "JN1", "", {
	    { C, -1, "Chassis", "JN1", 1, "", "n0" },
	    /* Same kind and name: the same item. */
	    { K, 0, "PIC 0", "BUILTIN", 0, "750-3", "n1" },
	    /* Another kind: another item. */
	    { M, 0, "Fan Tray 0", "", 0, "", "n2" },
	    /* A real serial replaces the placeholder. */
	    { K, 0, "PEM 0", "PEM1", 1, "740-4", "n3" },
	    /* Two serials, one name: two things. */
	    { K, 0, "Xcvr 0", "X2", 1, "", "n4" },
	  } },
	  "host=r1 model=MX480 serial=JN1 version=-\n"
	  "0 chassis Chassis JN1 p=-1 snmp,netconf part=- ref=s0 | n0\n"
	  "1 component PIC 0 ~BUILTIN p=0 snmp,netconf part=750-3 "
	  "ref=s1 | n1\n"
	  "2 component Fan Tray 0 - p=0 snmp part=- ref=s2\n"
	  "3 component PEM 0 PEM1 p=0 snmp,netconf part=740-4 ref=s3 | n3\n"
	  "4 component Xcvr 0 X1 p=0 snmp part=- ref=s4\n"
	  "5 member Fan Tray 0 - p=0 netconf part=- ref=n2\n"
	  "6 component Xcvr 0 X2 p=0 netconf part=- ref=n4\n",
	  "" },

	{ "one name in every member: the parent tells them apart",
	  { "vc", "EX4300-48T", "M0", "", {
	    { M, -1, "member 0", "M0", 1, "", "s0" },
	    { M, -1, "member 1", "M1", 1, "", "s1" },
	    { K, 0, "Power Supply 0", "", 0, "", "s2" },
	    { K, 1, "Power Supply 0", "", 0, "", "s3" },
	    { K, 1, "Routing Engine 1", "BUILTIN", 0, "", "s4" },
	  } },
	  { "", "", "", "", {
	    { M, -1, "FPC 1", "M1", 1, "", "n0" },
	    { M, -1, "FPC 0", "M0", 1, "", "n1" },
	    { K, 0, "Power Supply 0", "", 0, "PS-1", "n2" },
	    { K, 1, "Power Supply 0", "", 0, "PS-0", "n3" },
	    /* Under another parent, but the only one of its name. */
	    { K, 1, "Routing Engine 1", "BUILTIN", 0, "RE-1", "n4" },
	  } },
	  "host=vc model=EX4300-48T serial=M0 version=-\n"
	  "0 member member 0 M0 p=-1 snmp,netconf part=- ref=s0 | n1\n"
	  "1 member member 1 M1 p=-1 snmp,netconf part=- ref=s1 | n0\n"
	  "2 component Power Supply 0 - p=0 snmp,netconf part=PS-0 "
	  "ref=s2 | n3\n"
	  "3 component Power Supply 0 - p=1 snmp,netconf part=PS-1 "
	  "ref=s3 | n2\n"
	  "4 component Routing Engine 1 ~BUILTIN p=1 snmp,netconf part=RE-1 "
	  "ref=s4 | n4\n",
	  "" },

	{ "a name matches once: node1's FPC 0 is not node0's",
	  { "fw", "SRX345", "N0", "", {
	    { M, -1, "node0", "N0", 1, "", "s0" },
	    { M, -1, "node1", "N1", 1, "", "s1" },
	    { K, 0, "FPC 0", "BUILTIN", 0, "", "s2" },
	    { K, 1, "FPC 5", "BUILTIN", 0, "", "s3" },
	  } },
	  { "", "", "", "", {
	    { M, -1, "node0", "N0", 1, "", "n0" },
	    { M, -1, "node1", "N1", 1, "", "n1" },
	    { K, 0, "FPC 0", "BUILTIN", 0, "", "n2" },
	    { K, 1, "FPC 0", "BUILTIN", 0, "", "n3" },
	  } },
	  "host=fw model=SRX345 serial=N0 version=-\n"
	  "0 member node0 N0 p=-1 snmp,netconf part=- ref=s0 | n0\n"
	  "1 member node1 N1 p=-1 snmp,netconf part=- ref=s1 | n1\n"
	  "2 component FPC 0 ~BUILTIN p=0 snmp,netconf part=- ref=s2 | n2\n"
	  "3 component FPC 5 ~BUILTIN p=1 snmp part=- ref=s3\n"
	  "4 component FPC 0 ~BUILTIN p=1 netconf part=- ref=n3\n",
	  "" },

	{ "device fields: dst's kept, gaps and placeholders filled",
	  { "", "", "<private>", "21.4R3-S5.4", {
	    { C, -1, "Chassis", "<private>", 0, "", "s0" },
	  } },
	  { "r1.example.net", "MX480", "JN1", "21.4R3-S6.2", {
	    { C, -1, "Chassis", "JN1", 1, "", "n0" },
	  } },
	  "host=r1.example.net model=MX480 (nc-model) serial=JN1 "
	  "version=21.4R3-S5.4\n"
	  "0 chassis Chassis JN1 p=-1 snmp,netconf part=- ref=s0 | n0\n",
	  "version:21.4R3-S5.4/21.4R3-S6.2" },

	{ "conflicts: serial, version, member count",
	  { "r1", "EX4300-48T", "JN1", "21.4R3-S5.4", {
	    { C, -1, "Chassis", "JN1", 1, "", "s0" },
	    { M, 0, "member 0", "M0", 1, "", "s1" },
	    { M, 0, "member 1", "M1", 1, "", "s2" },
	  } },
	  { "r1", "EX4300-48T", "JN9", "21.4R3-S6.2", {
	    /* One device, one chassis: the serials are a conflict. */
	    { C, -1, "Chassis", "JN9", 1, "", "n0" },
	    { M, 0, "member 0", "M0", 1, "", "n1" },
	    { M, 0, "member 1", "M1", 1, "", "n2" },
	    { M, 0, "member 2", "M2", 1, "", "n3" },
	  } },
	  "host=r1 model=EX4300-48T serial=JN1 version=21.4R3-S5.4\n"
	  "0 chassis Chassis JN1 p=-1 snmp,netconf part=- ref=s0 | n0\n"
	  "1 member member 0 M0 p=0 snmp,netconf part=- ref=s1 | n1\n"
	  "2 member member 1 M1 p=0 snmp,netconf part=- ref=s2 | n2\n"
	  "3 member member 2 M2 p=0 netconf part=- ref=n3\n",
	  "serial:JN1/JN9 version:21.4R3-S5.4/21.4R3-S6.2 members:2/3" },

	{ "the same version in another case and with blanks",
	  { "r1", "MX480", "JN1", "21.4R3-S5.4", {
	    { C, -1, "Chassis", "JN1", 1, "", "s0" },
	  } },
	  { "", "", "JN1", " 21.4r3-s5.4 ", {
	    { C, -1, "Chassis", "JN1", 1, "", "n0" },
	  } },
	  "host=r1 model=MX480 serial=JN1 version=21.4R3-S5.4\n"
	  "0 chassis Chassis JN1 p=-1 snmp,netconf part=- ref=s0 | n0\n",
	  "" },

	{ "a VC against a single chassis",
	  { "vc", "EX4300-48T", "M0", "", {
	    { M, -1, "member 0", "M0", 1, "", "s0" },
	    { M, -1, "member 1", "M1", 1, "", "s1" },
	  } },
	  { "", "", "M0", "", {
	    { C, -1, "Chassis", "M0", 1, "", "n0" },
	  } },
	  "host=vc model=EX4300-48T serial=M0 version=-\n"
	  "0 member member 0 M0 p=-1 snmp,netconf part=- ref=s0 | n0\n"
	  "1 member member 1 M1 p=-1 snmp part=- ref=s1\n",
	  "members:2/0" },

	{ "a lone VC member against a single chassis is no conflict",
	  { "sw", "EX2300-24T", "M0", "", {
	    { C, -1, "Chassis", "C0", 1, "", "s0" },
	    { M, 0, "member 0", "M0", 1, "", "s1" },
	  } },
	  { "", "", "", "", {
	    { C, -1, "Chassis", "C0", 1, "", "n0" },
	  } },
	  "host=sw model=EX2300-24T serial=M0 version=-\n"
	  "0 chassis Chassis C0 p=-1 snmp,netconf part=- ref=s0 | n0\n"
	  "1 member member 0 M0 p=0 snmp part=- ref=s1\n",
	  "" },

	{ "no inventory on one side: member counts are not compared",
	  { "vc", "EX4300-48T", "M0", "21.4R3-S5.4", {
	    { M, -1, "member 0", "M0", 1, "", "s0" },
	    { M, -1, "member 1", "M1", 1, "", "s1" },
	  } },
	  { "vc", "", "", "21.4R3-S5.4", { { C, 0, NULL, NULL, 0, NULL,
	    NULL } } },
	  "host=vc model=EX4300-48T serial=M0 version=21.4R3-S5.4\n"
	  "0 member member 0 M0 p=-1 snmp part=- ref=s0\n"
	  "1 member member 1 M1 p=-1 snmp part=- ref=s1\n",
	  "" },

	{ "snmp failed: the merge is netconf's",
	  { "", "", "", "", { { C, 0, NULL, NULL, 0, NULL, NULL } } },
	  { "r1", "MX480", "JN1", "21.4R3-S5.4", {
	    { C, -1, "Chassis", "JN1", 1, "", "n0" },
	    { K, 0, "FPC 0", "CAAB1", 1, "", "n1" },
	  } },
	  "host=r1 model=MX480 (nc-model) serial=JN1 version=21.4R3-S5.4 "
	  "(nc-version)\n"
	  "0 chassis Chassis JN1 p=-1 netconf part=- ref=n0\n"
	  "1 component FPC 0 CAAB1 p=0 netconf part=- ref=n1\n",
	  "" },

	{ "netconf failed: snmp's unchanged",
	  { "r1", "MX480", "JN1", "21.4R3-S5.4", {
	    { C, -1, "Chassis", "JN1", 1, "", "s0" },
	  } },
	  { "", "", "", "", { { C, 0, NULL, NULL, 0, NULL, NULL } } },
	  "host=r1 model=MX480 serial=JN1 version=21.4R3-S5.4\n"
	  "0 chassis Chassis JN1 p=-1 snmp part=- ref=s0\n",
	  "" },
};

/* Build one side; which is "snmp" or "netconf". */
static void
build(struct dev_facts *f, const struct tside *t, const char *which)
{
	struct item	*it;
	size_t		 i;
	int		 nc = strcmp(which, "netconf") == 0;

	facts_init(f);
	fact_strlcpy(f->hostname, t->hostname, sizeof(f->hostname));
	fact_strlcpy(f->model, t->model, sizeof(f->model));
	fact_strlcpy(f->serial, t->serial, sizeof(f->serial));
	fact_strlcpy(f->version, t->version, sizeof(f->version));
	if (t->model[0] != '\0')
		fact_strlcpy(f->model_source, nc ? "nc-model" : "snmp-model",
		    sizeof(f->model_source));
	if (t->version[0] != '\0')
		fact_strlcpy(f->version_source, nc ? "nc-version" :
		    "snmp-version", sizeof(f->version_source));
	if (!nc && (t->hostname[0] != '\0' || t->it[0].name != NULL)) {
		f->have_system = 1;
		f->os = OS_JUNOS;
		fact_strlcpy(f->sys_name, t->hostname, sizeof(f->sys_name));
	}
	for (i = 0; i < MAXIT && t->it[i].name != NULL; i++) {
		it = facts_add_item(f, t->it[i].kind);
		assert_non_null(it);
		it->parent = t->it[i].parent;
		fact_strlcpy(it->name, t->it[i].name, sizeof(it->name));
		fact_strlcpy(it->serial, t->it[i].serial, sizeof(it->serial));
		it->serialized = t->it[i].ser;
		fact_strlcpy(it->part_number, t->it[i].part,
		    sizeof(it->part_number));
		fact_strlcpy(it->source, which, sizeof(it->source));
		fact_strlcpy(it->source_ref, t->it[i].ref,
		    sizeof(it->source_ref));
	}
}

static const char *
dash(const char *s)
{
	return (s[0] != '\0' ? s : "-");
}

/* The merged facts as the table's want strings: see cases[]. */
static char *
render(const struct dev_facts *f)
{
	const struct item	*it;
	FILE			*fp;
	char			*buf = NULL;
	size_t			 len = 0, i;

	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	fprintf(fp, "host=%s model=%s", dash(f->hostname), dash(f->model));
	if (f->model_source[0] != '\0' &&
	    strcmp(f->model_source, "snmp-model") != 0)
		fprintf(fp, " (%s)", f->model_source);
	fprintf(fp, " serial=%s version=%s", dash(f->serial),
	    dash(f->version));
	if (f->version_source[0] != '\0' &&
	    strcmp(f->version_source, "snmp-version") != 0)
		fprintf(fp, " (%s)", f->version_source);
	fputc('\n', fp);
	for (i = 0; i < f->nitems; i++) {
		it = &f->items[i];
		fprintf(fp, "%zu %s %s %s%s p=%d %s part=%s ref=%s\n", i,
		    item_kind_str(it->kind), it->name,
		    !it->serialized && it->serial[0] != '\0' ? "~" : "",
		    dash(it->serial), it->parent, it->source,
		    dash(it->part_number), dash(it->source_ref));
	}
	fclose(fp);
	return (buf);
}

static void
cc_render(const struct crosscheck *cc, char *buf, size_t len)
{
	size_t	 i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < cc->n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s:%s/%s",
		    i > 0 ? " " : "", cc->c[i].field, cc->c[i].snmp,
		    cc->c[i].netconf);
}

static void
test_table(void **state)
{
	const struct tcase	*t;
	struct dev_facts	 snmp, nc, ncsave;
	struct crosscheck	 cc;
	char			*got, *nc_before, *nc_after, ccbuf[512];
	size_t			 i;
	int			 bad = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t = &cases[i];
		build(&snmp, &t->snmp, "snmp");
		build(&nc, &t->nc, "netconf");
		facts_init(&ncsave);
		assert_int_equal(facts_copy(&ncsave, &nc), 0);
		nc_before = render(&nc);
		memset(&cc, 0xa5, sizeof(cc));
		assert_int_equal(facts_merge(&snmp, &nc, &cc), 0);
		got = render(&snmp);
		cc_render(&cc, ccbuf, sizeof(ccbuf));
		if (strcmp(got, t->want) != 0 ||
		    strcmp(ccbuf, t->want_cc) != 0) {
			print_error("case \"%s\"\n--- want\n%s[%s]\n--- got\n"
			    "%s[%s]\n", t->what, t->want, t->want_cc, got,
			    ccbuf);
			bad = 1;
		}
		/* src is never changed. */
		nc_after = render(&nc);
		assert_string_equal(nc_before, nc_after);
		assert_int_equal(nc.nitems, ncsave.nitems);
		if (nc.nitems > 0)
			assert_memory_equal(nc.items, ncsave.items,
			    nc.nitems * sizeof(*nc.items));
		free(got);
		free(nc_before);
		free(nc_after);
		facts_free(&snmp);
		facts_free(&nc);
		facts_free(&ncsave);
	}
	if (bad)
		fail();
}

/* facts_dump() of f into a malloc'd string. */
static char *
dump(const struct dev_facts *f)
{
	FILE	*fp;
	char	*buf = NULL;
	size_t	 len = 0;

	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	facts_dump(fp, f);
	fclose(fp);
	return (buf);
}

/* NETCONF failed (empty src): dst is byte for byte what it was. */
static void
test_empty_src_unchanged(void **state)
{
	struct dev_facts	 snmp, empty;
	struct crosscheck	 cc;
	char			*before, *after;

	(void)state;
	build(&snmp, &cases[1].snmp, "snmp");
	facts_init(&empty);
	before = dump(&snmp);
	cc.n = 3;
	assert_int_equal(facts_merge(&snmp, &empty, &cc), 0);
	assert_int_equal(cc.n, 0);
	after = dump(&snmp);
	assert_string_equal(before, after);
	/* Both empty: still empty. */
	assert_int_equal(facts_merge(&empty, &empty, NULL), 0);
	assert_int_equal(empty.nitems, 0);
	free(before);
	free(after);
	facts_free(&snmp);
}

/* A copy shares nothing with its original. */
static void
test_copy_independent(void **state)
{
	struct dev_facts	 a, b;
	char			*da, *db;

	(void)state;
	build(&a, &cases[0].snmp, "snmp");
	da = dump(&a);
	/* Into a struct that already has items: they are released. */
	build(&b, &cases[3].snmp, "snmp");
	assert_int_equal(facts_copy(&b, &a), 0);
	db = dump(&b);
	assert_string_equal(da, db);
	free(db);
	assert_true(a.items != b.items);
	assert_int_equal(b.capitems, b.nitems);

	/* Change and free the original: the copy does not move. */
	fact_strlcpy(a.items[0].serial, "CHANGED", sizeof(a.items[0].serial));
	fact_strlcpy(a.hostname, "changed", sizeof(a.hostname));
	facts_free(&a);
	db = dump(&b);
	assert_string_equal(da, db);
	free(db);

	/* The copy grows on its own. */
	assert_non_null(facts_add_item(&b, ITEM_COMPONENT));
	assert_int_equal(b.nitems, 3);

	/* To itself: nothing happens. */
	assert_int_equal(facts_copy(&b, &b), 0);
	assert_int_equal(b.nitems, 3);

	/* An empty original gives an empty copy with no array. */
	facts_init(&a);
	assert_int_equal(facts_copy(&b, &a), 0);
	assert_null(b.items);
	assert_int_equal(b.nitems, 0);
	free(da);
	facts_free(&b);
}

/* Merging the same answer again adds no source, ref or item. */
static void
test_merge_idempotent(void **state)
{
	struct dev_facts	 snmp, nc;
	struct crosscheck	 cc;
	char			*once, *twice;

	(void)state;
	build(&snmp, &cases[1].snmp, "snmp");
	build(&nc, &cases[1].nc, "netconf");
	assert_int_equal(facts_merge(&snmp, &nc, NULL), 0);
	once = render(&snmp);
	assert_int_equal(facts_merge(&snmp, &nc, &cc), 0);
	assert_int_equal(cc.n, 0);
	twice = render(&snmp);
	assert_string_equal(once, twice);
	/* A merge with itself is a no-op. */
	assert_int_equal(facts_merge(&snmp, &snmp, &cc), 0);
	free(twice);
	twice = render(&snmp);
	assert_string_equal(once, twice);
	free(once);
	free(twice);
	facts_free(&snmp);
	facts_free(&nc);
}

/* Long refs are joined, then cut on a character boundary. */
static void
test_ref_truncated(void **state)
{
	struct dev_facts	 snmp, nc;
	char			 ref[ITEM_REF_LEN];
	size_t			 i, n;

	(void)state;
	build(&snmp, &cases[0].snmp, "snmp");
	build(&nc, &cases[0].nc, "netconf");
	/* 2-byte characters, so an odd cut would split one. */
	for (i = 0; i + 2 < sizeof(ref); i += 2)
		memcpy(ref + i, "\xc3\xa9", 2);
	ref[i] = '\0';
	fact_strlcpy(nc.items[1].source_ref, ref,
	    sizeof(nc.items[1].source_ref));
	assert_int_equal(facts_merge(&snmp, &nc, NULL), 0);
	n = strlen(snmp.items[1].source_ref);
	assert_true(n < ITEM_REF_LEN);
	assert_true(n > ITEM_REF_LEN - 3);
	assert_memory_equal(snmp.items[1].source_ref,
	    "jnxContentsSerialNo.7.1.0.0 | \xc3\xa9", 32);
	/* Ends on a whole character. */
	assert_int_equal((n - strlen("jnxContentsSerialNo.7.1.0.0 | ")) % 2,
	    0);
	assert_int_equal((unsigned char)snmp.items[1].source_ref[n - 1],
	    0xa9);
	facts_free(&snmp);
	facts_free(&nc);
}

/* More than an int of items cannot be merged: -1, dst untouched. */
static void
test_too_many(void **state)
{
	struct dev_facts	 snmp, nc;
	struct crosscheck	 cc;
	size_t			 n;

	(void)state;
	build(&snmp, &cases[0].snmp, "snmp");
	build(&nc, &cases[0].nc, "netconf");
	n = nc.nitems;
	nc.nitems = (size_t)INT32_MAX;	/* only the count is looked at */
	cc.n = 2;
	assert_int_equal(facts_merge(&snmp, &nc, &cc), -1);
	assert_int_equal(cc.n, 0);
	assert_int_equal(snmp.nitems, 2);
	assert_string_equal(snmp.items[0].source, "snmp");
	nc.nitems = n;
	facts_free(&snmp);
	facts_free(&nc);
}

static char *
slurp(const char *path, size_t *lenp)
{
	FILE	*fp;
	char	*buf;
	long	 n;

	if ((fp = fopen(path, "rb")) == NULL)
		return (NULL);
	if (fseek(fp, 0, SEEK_END) == -1 || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) == -1 ||
	    (buf = malloc((size_t)n + 1)) == NULL) {
		fclose(fp);
		return (NULL);
	}
	*lenp = fread(buf, 1, (size_t)n, fp);
	buf[*lenp] = '\0';
	fclose(fp);
	return (buf);
}

/*
 * One device's walk and its NETCONF replies: the protocols agree on
 * serial, version and members, every serial is one item, dst's items
 * keep their place, and every member was seen by both.
 */
static void
merge_profile(const char *name, size_t nreplies)
{
	static const enum xml_rpc rpcs[] = { XRPC_SOFTWARE, XRPC_CHASSIS,
	    XRPC_VC };
	struct vblist		 l;
	struct dev_facts	 snmp, nc, orig;
	struct crosscheck	 cc;
	char			 path[256], err[256], *buf;
	size_t			 i, j, len, nreplied = 0;

	vblist_init(&l);
	facts_init(&snmp);
	facts_init(&nc);
	facts_init(&orig);
	snprintf(path, sizeof(path), "tests/data/snmprec/%s.snmprec", name);
	if (snmprec_load(path, &l, err, sizeof(err)) == -1)
		fail_msg("%s", err);
	assert_int_equal(parse_device(&l, &snmp), 0);
	for (i = 0; i < sizeof(rpcs) / sizeof(rpcs[0]); i++) {
		snprintf(path, sizeof(path), "tests/data/xml/%s_%s.xml", name,
		    xml_rpc_name(rpcs[i]));
		if ((buf = slurp(path, &len)) == NULL)
			continue;
		if (xmlparse_reply(rpcs[i], buf, len, &nc, err,
		    sizeof(err)) != 0)
			fail_msg("%s: %s", path, err);
		free(buf);
		nreplied++;
	}
	assert_int_equal(nreplied, nreplies);
	assert_int_equal(facts_copy(&orig, &snmp), 0);
	assert_int_equal(facts_merge(&snmp, &nc, &cc), 0);
	for (i = 0; i < cc.n; i++)
		print_error("%s: %s: snmp %s, netconf %s\n", name,
		    cc.c[i].field, cc.c[i].snmp, cc.c[i].netconf);
	assert_int_equal(cc.n, 0);
	assert_string_equal(snmp.serial, orig.serial);
	assert_string_equal(snmp.version, orig.version);
	for (i = 0; i < orig.nitems; i++) {
		assert_string_equal(snmp.items[i].name, orig.items[i].name);
		assert_int_equal(snmp.items[i].parent, orig.items[i].parent);
		if (orig.items[i].kind == ITEM_MEMBER)
			assert_string_equal(snmp.items[i].source,
			    "snmp,netconf");
	}
	for (i = 0; i < snmp.nitems; i++) {
		assert_true(snmp.items[i].parent < (int)snmp.nitems);
		assert_true(snmp.items[i].parent != (int)i);
		if (!snmp.items[i].serialized)
			continue;
		for (j = i + 1; j < snmp.nitems; j++)
			if (snmp.items[j].serialized &&
			    strcmp(snmp.items[i].serial,
			    snmp.items[j].serial) == 0)
				fail_msg("%s: serial %s twice", name,
				    snmp.items[i].serial);
	}
	/* Every serial NETCONF saw is in the merge. */
	for (i = 0; i < nc.nitems; i++) {
		if (!nc.items[i].serialized)
			continue;
		for (j = 0; j < snmp.nitems; j++)
			if (strcmp(snmp.items[j].serial,
			    nc.items[i].serial) == 0)
				break;
		assert_true(j < snmp.nitems);
	}
	facts_free(&snmp);
	facts_free(&nc);
	facts_free(&orig);
	vblist_free(&l);
}

static void
test_profiles(void **state)
{
	(void)state;
	merge_profile("ex4300-vc8", 3);
	merge_profile("srx345-cluster", 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_empty_src_unchanged),
		cmocka_unit_test(test_copy_independent),
		cmocka_unit_test(test_merge_idempotent),
		cmocka_unit_test(test_ref_truncated),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_profiles),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
