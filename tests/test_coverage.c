/*
 * test_coverage.c: db_coverage() (db/db_coverage.c) over a database
 * filled through the store (db_store_result) and the import
 * (import_mem + db_import), as of fixed days.  Every status and flag
 * with its evidence, inheritance on and off, the ancestor walk over a
 * non-serialized PIC, filters, REPLACED from a second scan with another
 * chassis serial (the new item, and the gone one with include_gone),
 * report order, the callback's stop value, and the empty database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "db/coverage.h"
#include "db/db.h"
#include "db/db_int.h"

#define T1	1795341600	/* 2026-11-22T10:00:00Z */
#define T2	(T1 + 86400)

static time_t	fake_now = T1;

static time_t
fake_clock(void)
{
	return (fake_now);
}

static struct db *
open_mem(void)
{
	struct db	*db;
	char		 err[256];

	if ((db = db_open(":memory:", err, sizeof(err))) == NULL)
		fail_msg("db_open: %s", err);
	db_set_clock(db, fake_clock);
	fake_now = T1;
	return (db);
}

static void
add(struct dev_facts *f, enum item_kind kind, int parent, const char *name,
    const char *serial, const char *part, const char *model)
{
	struct item	*it;

	it = facts_add_item(f, kind);
	assert_non_null(it);
	it->parent = parent;
	fact_strlcpy(it->name, name, sizeof(it->name));
	if (serial != NULL) {
		fact_strlcpy(it->serial, serial, sizeof(it->serial));
		it->serialized = 1;
	}
	fact_strlcpy(it->part_number, part, sizeof(it->part_number));
	fact_strlcpy(it->model, model, sizeof(it->model));
	fact_strlcpy(it->source, "snmp", sizeof(it->source));
}

static void
dev(struct dev_facts *f, const char *host, const char *model,
    const char *serial, const char *version, const char *loc)
{
	facts_init(f);
	snprintf(f->sys_descr, sizeof(f->sys_descr), "Juniper Networks, Inc. "
	    "%s, kernel JUNOS %s", model, version);
	fact_strlcpy(f->hostname, host, sizeof(f->hostname));
	fact_strlcpy(f->sys_name, host, sizeof(f->sys_name));
	fact_strlcpy(f->sys_location, loc, sizeof(f->sys_location));
	f->have_system = 1;
	f->os = OS_JUNOS;
	fact_strlcpy(f->model, model, sizeof(f->model));
	fact_strlcpy(f->serial, serial, sizeof(f->serial));
	fact_strlcpy(f->version, version, sizeof(f->version));
}

static void
store(struct db *db, const char *addr, const struct dev_facts *f)
{
	int64_t	 id;
	char	 err[256];

	if (db_scan_begin(db, "test", &id, err, sizeof(err)) == -1 ||
	    db_store_result(db, id, addr, POLL_OK, NULL, f, err,
	    sizeof(err)) == -1 ||
	    db_scan_end(db, id, 1, 1, 0, err, sizeof(err)) == -1)
		fail_msg("store: %s", err);
}

/* An MX480 at 192.0.2.10: chassis, FPC, built-in PIC, optic in it. */
static void
store_mx(struct db *db, const char *chassis)
{
	struct dev_facts	 f;

	dev(&f, "mx1", "MX480", chassis, "21.4R3-S5.4", "DC1");
	add(&f, ITEM_CHASSIS, -1, "Chassis", chassis, "", "MX480");
	add(&f, ITEM_COMPONENT, 0, "FPC 0", "FPCA", "750-056519",
	    "MPC7E-10G");
	add(&f, ITEM_COMPONENT, 1, "PIC 0", NULL, "", "");
	add(&f, ITEM_COMPONENT, 2, "Xcvr 0", "XA", "740-021308",
	    "SFPP-10GE-SR");
	store(db, "192.0.2.10:161", &f);
	facts_free(&f);
}

/* A Virtual Chassis at 192.0.2.9 (before .10 in address order). */
static void
store_vc(struct db *db)
{
	struct dev_facts	 f;

	dev(&f, "vc1", "EX4300-48T", "M1", "19.4R3-S1.3", "Lab 2");
	add(&f, ITEM_MEMBER, -1, "member 0", "M1", "", "EX-OLD");
	add(&f, ITEM_MEMBER, -1, "member 1", "M2", "", "EX-W");
	add(&f, ITEM_MEMBER, -1, "member 2", "M3", "", "EX-X");
	add(&f, ITEM_MEMBER, -1, "member 3", "M4", "", "EX-CPO");
	add(&f, ITEM_MEMBER, -1, "member 4", "M5", "", "EX-EOS");
	add(&f, ITEM_COMPONENT, 4, "Power Supply 0", "P5", "", "PSU-X");
	store(db, "192.0.2.9:161", &f);
	facts_free(&f);
}

static void
import(struct db *db, enum import_kind kind, const char *name,
    const char *csv)
{
	struct import_result	 res;
	struct db_import_stats	 st;
	char			 err[256], src[64];

	import_init(&res);
	if (import_mem(&res, kind, name, csv, strlen(csv), NULL, err,
	    sizeof(err)) == -1)
		fail_msg("import_mem %s: %s (%s)", name, err,
		    res.nerrors ? res.errors[0] : "");
	snprintf(src, sizeof(src), "/data/%s", name);
	if (db_import(db, kind, src, &res, 0, &st, err, sizeof(err)) == -1)
		fail_msg("db_import %s: %s", name, err);
	import_clear(&res);
}

static void
import_all(struct db *db)
{
	import(db, IMPORT_CONTRACTS, "c.csv",
	    "Contract,Serial,Service Level,Start Date,End Date,Site,Customer,"
	    "Price,Currency\n"
	    "K1,JNA,Core Plus,2026-01-01,2027-12-31,DC1,Acme,100.00,EUR\n"	/* 2 */
	    "K2,xa ,Core,2024-07-01,2025-06-30,DC1,Acme,,\n"			/* 3 */
	    "K3,M5,Core,2024-01-01,2025-12-31,Lab 2,Beta,,\n"			/* 4 */
	    "K4,M1,Next Day,2026-01-01,2026-12-20,Lab 2,Beta,,\n"		/* 5 */
	    "K5,M4,Same Day,2026-03-01,2027-06-30,Lab 2,Beta,,\n"		/* 6 */
	    "K6,P5,Core,2026-01-01,2026-12-31,Lab 3,Beta,,\n");		/* 7 */
	import(db, IMPORT_HW_LIFECYCLE, "hw.csv",
	    "Model,EOL Announcement Date,Last Order Date,"
	    "Last Date to Convert Warranty,End of Support\n"
	    "MX480,2025-01-01,2027-01-01,,2031-12-31\n"			/* 2 */
	    "EX-OLD,2015-01-01,2016-01-01,,2020-12-31\n"			/* 3 */
	    "EX-W,,,2027-01-15,2030-01-01\n"					/* 4 */
	    "EX-EOS,2019-01-01,2020-01-01,,2027-01-30\n"			/* 5 */
	    "EX-X;EX-CPO,,,,2035-01-01\n");					/* 6 */
	import(db, IMPORT_SW_LIFECYCLE, "sw.csv",
	    "Release,End of Engineering,End of Support\n"
	    "19.4,2021-12-20,2022-06-20\n"					/* 2 */
	    "21.4,2027-06-30,2028-06-30\n");					/* 3 */
	import(db, IMPORT_CPO, "cpo.csv",
	    "Serial,Purchase Date,CPO Line,Care\n"
	    "M4,2026-01-01,end-of-production,no\n");				/* 2 */
	import(db, IMPORT_WARRANTY, "w.csv",
	    "Pattern,Months\n"
	    "EX-*,12\n");							/* 2 */
	import(db, IMPORT_REGISTRATIONS, "r.csv",
	    "Serial,Ship Date,Site,Customer\n"
	    "M2,2026-06-01,Lab 2,Beta\n"					/* 2 */
	    "JNA,2020-01-01,DC1,Acme\n");					/* 3 */
}

/* What the tests look at, copied out of each row. */
struct got {
	char		 serial[ENT_SERIAL_LEN];
	int		 status, gone, kind;
	unsigned int	 flags;
	char		 status_src[ENT_REF_LEN];
	char		 flag_src[ENT_NFLAGS][ENT_REF_LEN];
	char		 via[ENT_SERIAL_LEN], contract[ENT_ID_LEN];
	char		 site[64], customer[64], replaced[ENT_SERIAL_LEN];
	char		 replaced_by[ENT_SERIAL_LEN];
	int		 lifecycle_known;
	int64_t		 price;
	char		 model[64], part[64];
	char		 hw[ENT_REF_LEN];	/* lifecycle row, "" none */
	char		 wterm[ENT_REF_LEN];	/* warranty term row */
};

struct gots {
	struct got	 v[32];
	size_t		 n;
	size_t		 stop_at;	/* 0: never stop */
};

static int
collect(const struct cov_row *r, void *arg)
{
	struct gots	*g = arg;
	struct got	*x;

	assert_true(g->n < 32);
	x = &g->v[g->n++];
	memset(x, 0, sizeof(*x));
	snprintf(x->serial, sizeof(x->serial), "%s", r->serial);
	x->status = r->v.status;
	x->flags = r->v.flags;
	x->gone = r->gone;
	x->kind = r->kind;
	memcpy(x->status_src, r->v.status_src, sizeof(x->status_src));
	memcpy(x->flag_src, r->v.flag_src, sizeof(x->flag_src));
	snprintf(x->via, sizeof(x->via), "%s", r->v.via_chassis);
	snprintf(x->contract, sizeof(x->contract), "%s", r->v.contract_id);
	snprintf(x->site, sizeof(x->site), "%s", r->site ? r->site : "");
	snprintf(x->customer, sizeof(x->customer), "%s",
	    r->customer ? r->customer : "");
	snprintf(x->replaced, sizeof(x->replaced), "%s",
	    r->replaced_serial ? r->replaced_serial : "");
	snprintf(x->replaced_by, sizeof(x->replaced_by), "%s",
	    r->v.replaced_by);
	x->lifecycle_known = r->v.lifecycle_known;
	x->price = r->price_cents;
	snprintf(x->model, sizeof(x->model), "%s", r->model ? r->model : "");
	snprintf(x->part, sizeof(x->part), "%s",
	    r->part_number ? r->part_number : "");
	snprintf(x->hw, sizeof(x->hw), "%s", r->hw ? r->hw->src : "");
	snprintf(x->wterm, sizeof(x->wterm), "%s", r->v.warranty_term_src);
	return (g->stop_at != 0 && g->n == g->stop_at ? 7 : 0);
}

static void
run(struct db *db, struct cov_opts *o, struct gots *g)
{
	char	 err[256];
	int	 rc;

	g->n = 0;
	rc = db_coverage(db, o, collect, g, err, sizeof(err));
	if (rc == -1)
		fail_msg("db_coverage: %s", err);
	assert_int_equal(rc, g->stop_at != 0 && g->n == g->stop_at ? 7 : 0);
}

static void
opts(struct cov_opts *o, const char *day)
{
	memset(o, 0, sizeof(*o));
	ent_policy_init(&o->policy);
	assert_int_equal(ent_day_parse(day, &o->as_of), 0);
}

static const struct got *
find(const struct gots *g, const char *serial)
{
	size_t	 i;

	for (i = 0; i < g->n; i++)
		if (strcmp(g->v[i].serial, serial) == 0)
			return (&g->v[i]);
	fail_msg("no row for %s", serial);
	return (NULL);
}

#define F(x)	ENT_F_##x
#define SRC(x, flag)	((x)->flag_src[ent_flag_index(ENT_F_##flag)])

static void
test_empty(void **state)
{
	struct db		*db = open_mem();
	struct cov_counts	 n;
	struct cov_opts		 o;
	struct gots		 g;
	char			 err[256];

	(void)state;
	memset(&g, 0, sizeof(g));
	assert_int_equal(db_coverage_counts(db, &n, err, sizeof(err)), 0);
	assert_true(n.items == 0 && n.contract_lines == 0 && n.hw_rows == 0 &&
	    n.sw_rows == 0 && n.cpo_rows == 0 && n.reg_rows == 0 &&
	    n.warranty_rows == 0);
	opts(&o, "2026-12-01");
	run(db, &o, &g);
	assert_int_equal(g.n, 0);
	/* Items but no contracts: counted apart, so "no contracts" shows. */
	store_vc(db);
	assert_int_equal(db_coverage_counts(db, &n, err, sizeof(err)), 0);
	assert_int_equal(n.items, 6);
	assert_int_equal(n.contract_lines, 0);
	run(db, &o, &g);
	assert_int_equal(g.n, 6);
	assert_int_equal(g.v[0].status, ENT_UNCOVERED);
	assert_false(g.v[0].lifecycle_known);
	assert_true(g.v[0].flags & F(UNREGISTERED));
	db_close(db);
}

/* Every status and flag, each with the file:line behind it. */
static void
test_statuses_flags(void **state)
{
	struct db		*db = open_mem();
	struct cov_opts		 o;
	struct cov_counts	 n;
	struct gots		 g;
	const struct got	*x;
	char			 err[256];
	static const char *const order[] = {
		"M1", "M2", "M3", "M4", "M5", "P5", "JNA", "FPCA", "XA"
	};
	size_t			 i;

	(void)state;
	memset(&g, 0, sizeof(g));
	store_mx(db, "JNA");
	store_vc(db);
	import_all(db);
	assert_int_equal(db_coverage_counts(db, &n, err, sizeof(err)), 0);
	assert_int_equal(n.items, 9);
	assert_int_equal(n.contract_lines, 6);
	assert_int_equal(n.hw_rows, 5);
	opts(&o, "2026-12-01");
	run(db, &o, &g);

	/* Order: devices by address (.9 before .10), members, components. */
	assert_int_equal(g.n, 9);
	for (i = 0; i < 9; i++)
		assert_string_equal(g.v[i].serial, order[i]);

	x = find(&g, "M1");			/* EOS 2020-12-31 past */
	assert_int_equal(x->status, ENT_UNSUPPORTABLE);
	assert_string_equal(x->status_src, "hw.csv:3");
	assert_string_equal(x->contract, "K4");	/* D15: still named */
	assert_true(x->flags & F(END_OF_SALE));
	assert_string_equal(SRC(x, END_OF_SALE), "hw.csv:3");
	assert_true(x->flags & F(SW_EOE) && x->flags & F(SW_EOS));
	assert_string_equal(SRC(x, SW_EOS), "sw.csv:2");

	x = find(&g, "M2");			/* shipped 2026-06-01, 12 months */
	assert_int_equal(x->status, ENT_WARRANTY);
	assert_string_equal(x->status_src, "r.csv:2");
	assert_true(x->flags & F(CONVERT_BY));
	assert_string_equal(SRC(x, CONVERT_BY), "hw.csv:4");
	assert_false(x->flags & F(UNREGISTERED));
	assert_string_equal(x->customer, "Beta");

	x = find(&g, "M3");			/* in no file */
	assert_int_equal(x->status, ENT_UNCOVERED);
	assert_string_equal(x->status_src, "");
	assert_true(x->flags & F(UNREGISTERED));
	assert_true(x->lifecycle_known);	/* "EX-X;EX-CPO" row */

	x = find(&g, "M4");			/* CPO EOP, no Care */
	assert_int_equal(x->status, ENT_COVERED);
	assert_string_equal(x->status_src, "c.csv:6");
	assert_true(x->flags & F(CPO_CARE_INELIGIBLE));
	assert_string_equal(SRC(x, CPO_CARE_INELIGIBLE), "c.csv:6");

	x = find(&g, "M5");			/* K3 ended 2025-12-31 */
	assert_int_equal(x->status, ENT_LAPSED);
	assert_string_equal(x->status_src, "c.csv:4");
	assert_true(x->flags & F(EOS_SOON));
	assert_string_equal(SRC(x, EOS_SOON), "hw.csv:5");

	x = find(&g, "P5");			/* own line, other site */
	assert_int_equal(x->status, ENT_EXPIRING);
	assert_true(x->flags & F(SITE_MISMATCH));
	assert_string_equal(SRC(x, SITE_MISMATCH), "c.csv:7");
	assert_false(x->lifecycle_known);
	assert_string_equal(x->site, "Lab 2");	/* seen site first */

	x = find(&g, "JNA");
	assert_int_equal(x->status, ENT_COVERED);
	assert_true(x->flags & F(EOL));
	assert_string_equal(SRC(x, EOL), "hw.csv:2");
	assert_false(x->flags & F(SW_EOE));	/* 21.4 EOE 2027-06-30 */
	assert_int_equal(x->price, 10000);
	assert_string_equal(x->customer, "Acme");

	/* Inheritance, through the non-serialized PIC for the optic. */
	x = find(&g, "FPCA");
	assert_int_equal(x->status, ENT_COVERED);
	assert_string_equal(x->via, "JNA");
	assert_string_equal(x->status_src, "c.csv:2");
	assert_false(x->flags & F(UNREGISTERED));
	assert_string_equal(x->customer, "Acme");
	x = find(&g, "XA");			/* own K2 lapsed: chassis wins */
	assert_int_equal(x->status, ENT_COVERED);
	assert_string_equal(x->via, "JNA");

	/* Policy own: on their own serials. */
	o.policy.component = ENT_POLICY_OWN;
	run(db, &o, &g);
	x = find(&g, "FPCA");
	assert_int_equal(x->status, ENT_UNCOVERED);
	assert_true(x->flags & F(UNREGISTERED));
	assert_string_equal(x->via, "");
	x = find(&g, "XA");			/* "xa " imported: D13 */
	assert_int_equal(x->status, ENT_LAPSED);
	assert_string_equal(x->status_src, "c.csv:3");

	/* Another day: M1 still supportable, K4 yet to come. */
	opts(&o, "2020-06-01");
	run(db, &o, &g);
	assert_int_equal(find(&g, "M1")->status, ENT_UNCOVERED);
	/* Shipped 2020-01-01, no term row for MX480: the default 12. */
	assert_int_equal(find(&g, "JNA")->status, ENT_WARRANTY);
	assert_string_equal(find(&g, "JNA")->status_src, "r.csv:3");
	db_close(db);
}

static void
test_filters(void **state)
{
	struct db		*db = open_mem();
	struct cov_opts		 o;
	struct gots		 g;

	(void)state;
	memset(&g, 0, sizeof(g));
	store_mx(db, "JNA");
	store_vc(db);
	import_all(db);
	opts(&o, "2026-12-01");
	o.device = "MX1";			/* hostname, any case */
	run(db, &o, &g);
	assert_int_equal(g.n, 3);
	o.device = "192.0.2.9";			/* address without port */
	run(db, &o, &g);
	assert_int_equal(g.n, 6);
	o.device = "192.0.2.9:161";
	run(db, &o, &g);
	assert_int_equal(g.n, 6);
	o.device = "jna";			/* device serial */
	run(db, &o, &g);
	assert_int_equal(g.n, 3);
	o.device = "192.0.2.1";
	run(db, &o, &g);
	assert_int_equal(g.n, 0);
	o.device = NULL;
	o.site = "lab 2";
	run(db, &o, &g);
	assert_int_equal(g.n, 6);
	o.site = NULL;
	o.customer = "ACME";			/* inherited customer too */
	run(db, &o, &g);
	assert_int_equal(g.n, 3);
	o.customer = "";			/* "" is no filter */
	run(db, &o, &g);
	assert_int_equal(g.n, 9);
	/* The callback's value stops the walk and is returned. */
	g.stop_at = 2;
	run(db, &o, &g);
	assert_int_equal(g.n, 2);
	db_close(db);
}

static void
test_replaced(void **state)
{
	struct db		*db = open_mem();
	struct cov_opts		 o;
	struct gots		 g;
	const struct got	*x;

	(void)state;
	memset(&g, 0, sizeof(g));
	store_mx(db, "JNA");
	import_all(db);
	opts(&o, "2026-12-01");
	run(db, &o, &g);
	assert_false(find(&g, "JNA")->flags & F(REPLACED));
	fake_now = T2;
	store_mx(db, "JNB");			/* RMA: new chassis serial */
	run(db, &o, &g);
	assert_int_equal(g.n, 3);		/* JNA gone: not listed */
	x = find(&g, "JNB");
	assert_true(x->flags & F(REPLACED));
	assert_string_equal(x->replaced, "JNA");
	assert_string_equal(x->replaced_by, "JNB");
	assert_string_equal(SRC(x, REPLACED),
	    "scan 2 2026-11-23T10:00:00Z: JNA -> JNB");
	assert_int_equal(x->status, ENT_UNCOVERED);	/* K1 is JNA's */
	assert_true(x->flags & F(UNREGISTERED));
	/* The components now inherit from the new chassis. */
	x = find(&g, "FPCA");
	assert_int_equal(x->status, ENT_UNCOVERED);
	assert_false(x->flags & F(REPLACED));

	o.include_gone = 1;
	run(db, &o, &g);
	assert_int_equal(g.n, 4);
	x = find(&g, "JNA");
	assert_int_equal(x->gone, 1);
	assert_int_equal(x->status, ENT_COVERED);
	assert_true(x->flags & F(REPLACED));
	assert_string_equal(x->replaced_by, "JNB");
	assert_string_equal(x->replaced, "");
	db_close(db);
}

static void
test_bad_opts(void **state)
{
	struct db	*db = open_mem();
	struct cov_opts	 o;
	struct gots	 g;
	char		 err[256] = "";

	(void)state;
	memset(&g, 0, sizeof(g));
	store_vc(db);
	opts(&o, "2026-12-01");
	o.as_of = ENT_DAY_NONE;
	assert_int_equal(db_coverage(db, &o, collect, &g, err, sizeof(err)),
	    -1);
	assert_true(err[0] != '\0');
	opts(&o, "2026-12-01");
	o.policy.window_days = -1;
	assert_int_equal(db_coverage(db, &o, collect, &g, err, sizeof(err)),
	    -1);
	db_close(db);
}

/*
 * db_coverage() matches lifecycle rows and warranty terms per model and
 * per part number (cached) and combines the two winners: the result must
 * be ent_hw_match() / ent_warranty_match() on both over the whole table,
 * ties between a model and a part match included, cache hits too.
 */
static void
test_lifecycle_match(void **state)
{
	/* The rows as db_coverage() sees them: models;parts. */
	static const struct ent_hw_lifecycle hw[] = {
		{ .pattern = "MOD-*", .src = "hw.csv:2" },
		{ .pattern = "750-0*", .src = "hw.csv:3" },
		{ .pattern = "MOD-12*;750-00*", .src = "hw.csv:4" },
		{ .pattern = "750-000123", .src = "hw.csv:5" },
		{ .pattern = "MOD-123;X1", .src = "hw.csv:6" },
		{ .pattern = "ABC-1*", .src = "hw.csv:7" },
		{ .pattern = "XYZ-1*", .src = "hw.csv:8" },
		{ .pattern = "*", .src = "hw.csv:9" },
	};
	static const struct ent_warranty_term wt[] = {
		{ .pattern = "750-0*", .months = 36, .src = "w.csv:2" },
		{ .pattern = "MOD-*", .months = 24, .src = "w.csv:3" },
		{ .pattern = "750-000123", .months = 48, .src = "w.csv:4" },
	};
	static const char *const items[][2] = {	/* model, part */
		{ "MOD-123", "750-000123" },	/* exact model beats exact part */
		{ "MOD-129", "750-000123" },	/* exact part beats a wildcard */
		{ "MOD-129", "750-001" },	/* one row wins on both */
		{ "MOD-5", "750-0999" },	/* more literal characters */
		{ "ZZZ", "" },
		{ "", "750-0999" },
		{ "XYZ-12", "ABC-12" },		/* tie: the model, later row */
		{ "ABC-12", "XYZ-12" },		/* tie: the model, earlier row */
		{ "MOD-5", "750-000123" },	/* again: from the caches */
		{ "MOD-123", "750-0999" },
		{ "XYZ-12", "ABC-12" },
	};
	struct db				*db = open_mem();
	struct dev_facts			 f;
	struct cov_opts				 o;
	struct gots				 g;
	const struct ent_hw_lifecycle		*h;
	const struct ent_warranty_term		*w;
	const struct got			*x;
	char					 name[32], serial[32];
	size_t					 i;

	(void)state;
	memset(&g, 0, sizeof(g));
	dev(&f, "m1", "MX480", "CH1", "21.4R3-S5.4", "DC1");
	add(&f, ITEM_CHASSIS, -1, "Chassis", "CH1", "", "MX480");
	for (i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		snprintf(name, sizeof(name), "FPC %zu", i);
		snprintf(serial, sizeof(serial), "S%zu", i);
		add(&f, ITEM_COMPONENT, 0, name, serial, items[i][1],
		    items[i][0]);
	}
	store(db, "192.0.2.20:161", &f);
	facts_free(&f);
	import(db, IMPORT_HW_LIFECYCLE, "hw.csv",
	    "Model,Part Number,End of Support\n"
	    "MOD-*,,2030-01-01\n"
	    ",750-0*,2030-01-01\n"
	    "MOD-12*,750-00*,2030-01-01\n"
	    ",750-000123,2030-01-01\n"
	    "MOD-123;X1,,2030-01-01\n"
	    ",ABC-1*,2030-01-01\n"
	    "XYZ-1*,,2030-01-01\n"
	    "*,,2030-01-01\n");
	import(db, IMPORT_WARRANTY, "w.csv",
	    "Pattern,Months\n"
	    "750-0*,36\n"
	    "MOD-*,24\n"
	    "750-000123,48\n");
	/* Warranty terms apply from a ship date. */
	import(db, IMPORT_REGISTRATIONS, "r.csv",
	    "Serial,Ship Date\n"
	    "CH1,2026-01-01\nS0,2026-01-01\nS1,2026-01-01\nS2,2026-01-01\n"
	    "S3,2026-01-01\nS4,2026-01-01\nS5,2026-01-01\nS6,2026-01-01\n"
	    "S7,2026-01-01\nS8,2026-01-01\nS9,2026-01-01\nS10,2026-01-01\n");
	opts(&o, "2026-12-01");
	o.policy.component = ENT_POLICY_OWN;
	run(db, &o, &g);
	assert_int_equal(g.n, sizeof(items) / sizeof(items[0]) + 1);
	for (i = 0; i < g.n; i++) {
		x = &g.v[i];
		h = ent_hw_match(x->model, x->part, hw,
		    sizeof(hw) / sizeof(hw[0]));
		w = ent_warranty_match(x->model, x->part, wt,
		    sizeof(wt) / sizeof(wt[0]));
		assert_non_null(h);
		if (strcmp(x->hw, h->src) != 0)
			fail_msg("%s (%s, %s): hw %s, want %s", x->serial,
			    x->model, x->part, x->hw, h->src);
		if (strcmp(x->wterm, w != NULL ? w->src : "") != 0)
			fail_msg("%s (%s, %s): warranty term %s, want %s",
			    x->serial, x->model, x->part, x->wterm,
			    w != NULL ? w->src : "");
	}
	/* The cases the comments name, spelled out. */
	assert_string_equal(find(&g, "S0")->hw, "hw.csv:6");
	assert_string_equal(find(&g, "S1")->hw, "hw.csv:5");
	assert_string_equal(find(&g, "S3")->hw, "hw.csv:3");
	assert_string_equal(find(&g, "S6")->hw, "hw.csv:8");
	assert_string_equal(find(&g, "S7")->hw, "hw.csv:7");
	assert_string_equal(find(&g, "S0")->wterm, "w.csv:4");
	assert_string_equal(find(&g, "S3")->wterm, "w.csv:2");
	db_close(db);
}

/*
 * The items stream in report order from the indexes (devices_sort, then
 * items_report): no temporary B-tree, which would sort the whole install
 * base.  Without ANALYZE statistics, as ibagent's databases are (with
 * statistics of a database this small, scanning its one CPO row and
 * sorting each device's few rows would be the better plan).
 */
static void
plan_check(struct db *db, int include_gone)
{
	sqlite3_stmt	*st;
	char		 sql[8192];
	int		 sorted = 0, devices = 0, items = 0;

	snprintf(sql, sizeof(sql), "EXPLAIN QUERY PLAN %s",
	    db_coverage_items_sql);
	assert_int_equal(sqlite3_prepare_v2(db->h, sql, -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_bind_int(st, 1, include_gone), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(st, 3);

		if (d == NULL)
			continue;
		sorted += strstr(d, "TEMP B-TREE") != NULL;
		devices += strstr(d, "SCAN d USING INDEX devices_sort") != NULL;
		items += strstr(d, "SEARCH i USING INDEX items_report") != NULL;
	}
	sqlite3_finalize(st);
	assert_int_equal(sorted, 0);
	assert_int_equal(devices, 1);
	assert_int_equal(items, 1);
}

static void
test_plan(void **state)
{
	struct db	*db = open_mem();

	(void)state;
	store_mx(db, "JNA");
	store_vc(db);
	import_all(db);
	plan_check(db, 0);
	plan_check(db, 1);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_statuses_flags),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_replaced),
		cmocka_unit_test(test_bad_opts),
		cmocka_unit_test(test_lifecycle_match),
		cmocka_unit_test(test_plan),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
